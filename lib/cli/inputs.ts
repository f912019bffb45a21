import { closeSync, openSync, readSync } from 'fs';
import { Lexer, parseAllDocuments } from 'yaml';
import { InputError, reasonOf } from './errors';
import { RESERVED_KEY_TEXT, reservedKeyPaths, toOwnData } from '../model/plain';

/** How a file is named in messages: `-` is standard input. */
export function inputLabel(path: string): string {
  return path === '-' ? '(stdin)' : path;
}

let stdinText: string | undefined;

/** A file's text, or standard input for `-` (read once, however often it is named). */
export function readText(path: string): string {
  if (path === '-') return (stdinText ??= readBounded(0, path));
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`cannot read ${inputLabel(path)}: ${reasonOf(error)}`);
  }
  try {
    return readBounded(fd, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads until the end or one byte past the limit, whichever comes first: a device (/dev/zero), a
 * pipe that never ends (`yes |`) or a huge file costs at most the limit in memory, never its size.
 */
function readBounded(fd: number, path: string): string {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, INPUT_LIMITS.bytes + 1 - total));
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking standard input with nothing to read yet: wait a little, then read again.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw new InputError(`cannot read ${inputLabel(path)}: ${reasonOf(error)}`);
    }
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > INPUT_LIMITS.bytes) throw new InputError(tooLarge(inputLabel(path), `more than ${INPUT_LIMITS.bytes / 2 ** 20} MiB`));
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function tooLarge(label: string, size: string): string {
  return `${label}: is ${size}; an input may have ${INPUT_LIMITS.bytes / 2 ** 20} MiB (values files and manifests have kilobytes)`;
}

/**
 * What one input may be. Values files and kube-vip manifests are kilobytes with a few levels of
 * nesting; past these limits a document is an accident or an attack (the "billion laughs" shape,
 * aliases that contain themselves, thousands of nested brackets, which exhaust the YAML parser's
 * memory), and the answer is one line, at once.
 */
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

export const INPUT_LIMITS = { bytes: 8 * 1024 * 1024, depth: 64, aliases: 100 } as const;

/**
 * How deep flow collections ([ and {) nest, as the YAML lexer reads them (brackets in quoted,
 * plain and block scalars are text), and the line where the limit is first passed. Stops there:
 * the parser itself runs out of memory on thousands of levels.
 */
function flowDepth(text: string): { depth: number; line: number } {
  let depth = 0;
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > INPUT_LIMITS.depth) return { depth, line };
    } else if ((token === ']' || token === '}') && depth > 0) depth--;
    for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) line++;
  }
  return { depth, line };
}

/** Refuses a converted document that nests deeper than the limit or contains itself. */
function checkShape(value: unknown, label: string, ancestors: unknown[] = []): void {
  if (value === null || typeof value !== 'object') return;
  if (ancestors.includes(value))
    throw new InputError(`${label}: a YAML alias refers to a collection that contains it (a loop); write the values out`);
  if (ancestors.length >= INPUT_LIMITS.depth)
    throw new InputError(`${label}: nests more than ${INPUT_LIMITS.depth} levels deep; no kube-vip setting or manifest is that deep`);
  for (const child of Object.values(value)) checkShape(child, label, [...ancestors, value]);
}

/**
 * Every document of a YAML stream, read as YAML 1.1 as Helm and kubectl read it (`on` and
 * `yes` are booleans there). A syntax error becomes one line: file:line:column: what.
 */
export function parseYamlStream(text: string, label: string): unknown[] {
  if (text.length > INPUT_LIMITS.bytes) throw new InputError(tooLarge(label, `${(text.length / 2 ** 20).toFixed(1)} MiB`));
  const flow = flowDepth(text);
  if (flow.depth > INPUT_LIMITS.depth) {
    throw new InputError(
      `${label}:${flow.line}: brackets nest more than ${INPUT_LIMITS.depth} levels deep; no kube-vip setting or manifest is that deep`,
    );
  }
  // Timestamps and base-60 numbers stay strings, as Helm reads them: a Date would reach the model as
  // an empty map, and 10:30 or an unquoted IPv6 address such as 2001:10:20:30:40:50:1:2 as a number.
  const docs = parseAllDocuments(text, {
    version: '1.1',
    merge: true,
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t.tag !== TIMESTAMP && t.format !== 'TIME')),
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const where = error.linePos ? `${label}:${error.linePos[0].line}:${error.linePos[0].col}` : label;
      const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError(`${where}: invalid YAML: ${what}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: INPUT_LIMITS.aliases });
    } catch (error) {
      // The yaml library's guard against alias expansion ("billion laughs").
      if (!/alias/i.test((error as Error).message)) throw error;
      throw new InputError(`${label}: YAML aliases expand to more than ${INPUT_LIMITS.aliases} copies; write the repeated values out`);
    }
    checkShape(value, label);
    const [reserved] = reservedKeyPaths(value);
    if (reserved) throw new InputError(`${label}: the key ${reserved} ${RESERVED_KEY_TEXT.message}; ${RESERVED_KEY_TEXT.fix}`);
    values.push(toOwnData(value));
  }
  // A stream that ends in `---` has an empty last document: not something the user wrote.
  return values.filter((v, i) => !(v === null && i === values.length - 1 && values.length > 1));
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}
