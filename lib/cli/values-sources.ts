import { checkTypes, mergeValues } from '../model/resolve';
import { InputError } from './errors';
import { emptyMap, hasKey, isPlainObject } from '../model/plain';
import { inputLabel, parseYamlStream, readText, typeName } from './inputs';
import { LocatedProblem } from './output';
import { parseSet } from './set-values';

/** One layer of values: a file, or the `--set` flags. Later layers win, as in Helm. */
export interface ValuesSource {
  /** How messages name it: the file name, or --set. */
  readonly label: string;
  readonly input: Record<string, unknown>;
}

/** A values file: one YAML map (an empty file is an empty map). */
export function readValuesFile(path: string): ValuesSource {
  const label = inputLabel(path);
  const docs = parseYamlStream(readText(path), label);
  if (docs.length > 1) throw new InputError(`${label}: has ${docs.length} YAML documents; a values file is one map of settings`);
  const doc = docs[0] ?? null;
  if (doc === null) return { label, input: emptyMap() };
  if (!isPlainObject(doc)) throw new InputError(`${label}: is ${typeName(doc)}, not a map of settings such as "controlPlane:"`);
  return { label, input: doc };
}

/**
 * All `--set` and `--set-string` flags as one layer, each written into the same map in the order
 * given, as Helm does: `--set peers[0].address=A --set peers[0].as=1` make one peer.
 */
export function setSource(sets: readonly { text: string; typed: boolean }[]): ValuesSource | undefined {
  if (sets.length === 0) return undefined;
  const input = emptyMap();
  for (const set of sets) parseSet(set.text, set.typed, set.typed ? '--set' : '--set-string', input);
  return { label: '--set', input };
}

/** The layers merged left to right (maps by key, everything else replaced; null deletes a key). */
export function mergeSources(sources: readonly ValuesSource[]): Record<string, unknown> {
  return sources.reduce<Record<string, unknown>>((acc, s) => mergeValues(acc, s.input), emptyMap());
}

/** Keys of a problem path: `ipam.global.cidrs[0]` to ['ipam', 'global', 'cidrs', 0]. */
function keysOf(path: string): (string | number)[] {
  return path.split('.').flatMap((part) => {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [part];
    const indexes = (match[2].match(/\d+/g) ?? []).map(Number);
    return [match[1], ...indexes];
  });
}

/** Whether a layer sets the value at a path (a list or scalar it sets is replaced whole). */
function sets(input: unknown, path: string): boolean {
  let node = input;
  for (const key of keysOf(path)) {
    if (!isPlainObject(node)) return node !== undefined && node !== null;
    if (!hasKey(node, String(key))) return false;
    node = node[String(key)];
  }
  return node !== null;
}

/** The last layer that sets a path: the one whose value counts, as with Helm. */
export function originOf(sources: readonly ValuesSource[], path: string): string | undefined {
  for (let i = sources.length - 1; i >= 0; i--) if (sets(sources[i].input, path)) return sources[i].label;
  return undefined;
}

/** Type checks layer by layer, so a mistake is reported with the file it is in. */
export function typeProblemsOf(sources: readonly ValuesSource[]): LocatedProblem[] {
  return sources.flatMap((source) => checkTypes(source.input).map((problem) => ({ ...problem, origin: source.label })));
}
