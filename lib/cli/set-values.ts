import { UsageError } from './errors';
import { emptyMap, isPlainObject, isReservedKey, RESERVED_KEY_TEXT } from '../model/plain';
import { INPUT_LIMITS } from './inputs';

/**
 * Helm's `--set` syntax, so that Helm users can write what they already know:
 * `a.b=c,d=e`, list items `peers[0].address=...`, lists `{x,y}`, `\` escapes `.` `,` `=`.
 * Values are typed as Helm types them: true/false, null (which removes the key, so the
 * default applies), whole numbers without a leading zero; everything else stays a string.
 * With `typed` false (`--set-string`) every value is a string.
 */
export function parseSet(text: string, typed: boolean, flag: string, into: Record<string, unknown> = emptyMap()): Record<string, unknown> {
  const result = into;
  if (text.length > INPUT_LIMITS.bytes) {
    throw new UsageError([
      `${flag}: is ${text.length} characters long; one flag may have ${INPUT_LIMITS.bytes}: write the values in a file (-f)`,
    ]);
  }
  const errors: string[] = [];
  for (const assignment of splitUnescaped(text, ',', true)) {
    const eq = indexOfUnescaped(assignment, '=');
    if (eq < 0) {
      errors.push(`${flag} ${excerpt(assignment)}: expected key=value, e.g. ${flag} controlPlane.address=192.168.0.100`);
      continue;
    }
    const keyText = assignment.slice(0, eq);
    const valueText = assignment.slice(eq + 1);
    const keys = parseKey(keyText);
    if (typeof keys === 'string') {
      errors.push(`${flag} ${excerpt(assignment)}: ${keys}`);
      continue;
    }
    assign(result, keys, parseValue(valueText, typed));
  }
  if (errors.length > 0) throw new UsageError(errors);
  return result;
}

type Key = string | number;

/** A long input, as a message quotes it: its start and its length, so one line stays one line. */
function excerpt(text: string): string {
  return text.length <= 120 ? text : `${text.slice(0, 100)}... (${text.length} characters)`;
}

/**
 * How deep a `--set` key may go: Helm refuses more than 30 dotted names (strvals'
 * MaxNestedNameLevel); indexes count towards the depth a values file may have too.
 */
export const SET_LIMITS = { names: 30, index: 10000, depth: INPUT_LIMITS.depth } as const;

/** `a.b[0].c` to ['a', 'b', 0, 'c'], or the reason it is not a key. */
function parseKey(text: string): Key[] | string {
  const keys: Key[] = [];
  const parts = splitUnescaped(text, '.', false);
  if (parts.length > SET_LIMITS.names) return `has ${parts.length} dotted names; Helm and this tool take at most ${SET_LIMITS.names}`;
  for (const part of parts) {
    const match = /^((?:[^[\]\\]|\\.)*)((?:\[[^\]]*\])*)$/.exec(part);
    if (!match || match[1] === '') return `"${excerpt(text)}" is not a key: write dotted names such as controlPlane.address`;
    const name = unescape(match[1]);
    if (isReservedKey(name)) return `the key ${name} ${RESERVED_KEY_TEXT.message}; ${RESERVED_KEY_TEXT.fix}`;
    keys.push(name);
    for (const index of match[2].match(/\[[^\]]*\]/g) ?? []) {
      const digits = index.slice(1, -1);
      if (!/^[0-9]+$/.test(digits) || Number(digits) > SET_LIMITS.index) return `${index} is not a list index: write e.g. peers[0]`;
      keys.push(Number(digits));
    }
  }
  if (keys.length > SET_LIMITS.depth) return `nests ${keys.length} levels deep; no kube-vip setting is deeper than ${SET_LIMITS.depth}`;
  return keys;
}

function parseValue(text: string, typed: boolean): unknown {
  if (typed && text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1);
    return inner === '' ? [] : splitUnescaped(inner, ',', false).map((item) => typedScalar(unescape(item), typed));
  }
  return typedScalar(unescape(text), typed);
}

function typedScalar(text: string, typed: boolean): unknown {
  if (!typed) return text;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return 0;
  if (/^-?[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return text;
}

function assign(target: Record<string, unknown> | unknown[], keys: Key[], value: unknown): void {
  const [key, ...rest] = keys;
  const container = target as Record<Key, unknown>;
  if (rest.length === 0) {
    container[key] = value;
    return;
  }
  const wantList = typeof rest[0] === 'number';
  const existing = container[key];
  const fits = wantList ? Array.isArray(existing) : isPlainObject(existing);
  const child = fits ? (existing as Record<string, unknown> | unknown[]) : wantList ? [] : emptyMap();
  if (Array.isArray(child) && typeof rest[0] === 'number') {
    // Helm pads a list to reach the index; the padding is null, which the type check reports.
    while (child.length < rest[0]) child.push(null);
  }
  container[key] = child;
  assign(child, rest, value);
}

/** Index of the first unescaped `char` (a backslash escapes the character after it), or -1. One pass. */
function indexOfUnescaped(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

/** Splits at unescaped separators; with `braces`, not inside a `{...}` list value. One pass. */
function splitUnescaped(text: string, separator: string, braces: boolean): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (braces && text[i] === '{') depth++;
    else if (braces && text[i] === '}') depth = Math.max(0, depth - 1);
    else if (text[i] === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
