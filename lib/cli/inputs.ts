import { readFileSync } from 'fs';
import { parseAllDocuments } from 'yaml';
import { InputError } from './errors';

/** How a file is named in messages: `-` is standard input. */
export function inputLabel(path: string): string {
  return path === '-' ? '(stdin)' : path;
}

let stdinText: string | undefined;

/** A file's text, or standard input for `-` (read once, however often it is named). */
export function readText(path: string): string {
  try {
    if (path === '-') return (stdinText ??= readFileSync(0, 'utf8'));
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${inputLabel(path)}: ${reasonOf(error)}`);
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
      return 'permission denied';
    default:
      return code ?? String(error);
  }
}

/**
 * Every document of a YAML stream, read as YAML 1.1 as Helm and kubectl read it (`on` and
 * `yes` are booleans there). A syntax error becomes one line: file:line:column: what.
 */
export function parseYamlStream(text: string, label: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const where = error.linePos ? `${label}:${error.linePos[0].line}:${error.linePos[0].col}` : label;
      const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError(`${where}: invalid YAML: ${what}`);
    }
    values.push(doc.toJS({ maxAliasCount: 100 }));
  }
  // A stream that ends in `---` has an empty last document: not something the user wrote.
  return values.filter((v, i) => !(v === null && i === values.length - 1 && values.length > 1));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}
