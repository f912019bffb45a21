/**
 * Conditions and values written as data, so that one table (which kube-vip env var, which RBAC
 * rule, which feature needs the iptables image) can be evaluated here in TypeScript and also be
 * compiled into the Helm chart's Go templates (lib/chart/go-template.ts).
 *
 * Paths start with a scope: `values.` is the config model, `workload.` the facts of the one
 * kube-vip workload being rendered. The language knows nothing of kube-vip: the tables that
 * use it live in lib/kube-vip.
 */

import { regexOf } from '../net/patterns';
import { compareQuantities } from './quantity';
import { versionAtLeast } from './version';

export type Scalar = string | number | boolean;

export type Cond =
  /** Truthy (true, non-zero, non-empty) at path, or equal to `equals`. */
  | { readonly path: string; readonly equals?: Scalar }
  /** The value at path is one of these. */
  | { readonly path: string; readonly oneOf: readonly Scalar[] }
  /** The text at path matches a regular expression (one that JavaScript and Go's RE2 read alike). */
  | { readonly path: string; readonly matches: string }
  /** The number at path equals (`eq`) or is at least (`ge`) the number at path `to`. */
  | { readonly path: string; readonly compare: 'eq' | 'ge'; readonly to: string }
  /** The number at path is greater than a constant. */
  | { readonly path: string; readonly above: number }
  /**
   * The number at path is at most the sum of the numbers at `atMostSumOf` (a path may come twice)
   * plus `plus`: one timing against a budget made of others.
   */
  | { readonly path: string; readonly atMostSumOf: readonly string[]; readonly plus: number }
  /** The text at path equals the text at path `sameText`. */
  | { readonly path: string; readonly sameText: string }
  /**
   * The label maps at path and at `disjointFrom` give one key different values, so no node
   * carries both: two node selectors that can never select one node.
   */
  | { readonly path: string; readonly disjointFrom: string }
  /** The map at path has `keyCount` keys besides those named in `besides` (anything else has none). */
  | { readonly path: string; readonly keyCount: number; readonly besides: readonly string[] }
  /** The text at path is the `field` of an item of the list at `among` (a volume mount's volume). */
  | { readonly path: string; readonly among: string; readonly field: string }
  /**
   * The resource quantity at `quantity` against the one the map at `entryOf` gives under the key
   * named at `key` (a request against its limit), as the API server compares them
   * (lib/expr/quantity.ts): `above` holds when that entry is there and smaller, `unequal` when
   * it is missing or different. Text that is no quantity compares as nothing.
   */
  | { readonly quantity: string; readonly is: 'above' | 'unequal'; readonly entryOf: string; readonly key: string }
  | { readonly all: readonly Cond[] }
  | { readonly any: readonly Cond[] }
  | { readonly not: Cond }
  /** The version at path is `atLeast` or newer; text that is no version counts as `otherwise`. */
  | { readonly version: string; readonly atLeast: string; readonly otherwise: string };

export const when = {
  set: (path: string): Cond => ({ path }),
  is: (path: string, equals: Scalar): Cond => ({ path, equals }),
  all: (...all: Cond[]): Cond => ({ all }),
  any: (...any: Cond[]): Cond => ({ any }),
  not: (not: Cond): Cond => ({ not }),
  oneOf: (path: string, oneOf: readonly Scalar[]): Cond => ({ path, oneOf }),
  matches: (path: string, matches: string): Cond => ({ path, matches }),
  sameAs: (path: string, to: string): Cond => ({ path, compare: 'eq', to }),
  notBelow: (path: string, to: string): Cond => ({ path, compare: 'ge', to }),
  above: (path: string, above: number): Cond => ({ path, above }),
  atMostSumOf: (path: string, atMostSumOf: readonly string[], plus = 0): Cond => ({ path, atMostSumOf, plus }),
  sameText: (path: string, sameText: string): Cond => ({ path, sameText }),
  disjoint: (path: string, disjointFrom: string): Cond => ({ path, disjointFrom }),
  keyCount: (path: string, keyCount: number, besides: readonly string[] = []): Cond => ({ path, keyCount, besides }),
  among: (path: string, among: string, field: string): Cond => ({ path, among, field }),
  versionAtLeast: (path: string, atLeast: string, otherwise: string): Cond => ({ version: path, atLeast, otherwise }),
  quantity: (path: string, is: 'above' | 'unequal', entryOf: string, key: string): Cond => ({ quantity: path, is, entryOf, key }),
};

/**
 * `item.` paths read the list item a rule is checked for, `other.` an earlier item of the same
 * list for rules checked on pairs (see lib/expr/rule.ts).
 */
export type Scope = { readonly values: unknown; readonly workload: unknown; readonly item?: unknown; readonly other?: unknown };

/** Paths split once: tables are evaluated for every workload of every deployment. */
const SPLIT = new Map<string, readonly string[]>();

export function lookup(scope: Scope, path: string): unknown {
  let keys = SPLIT.get(path);
  if (!keys) SPLIT.set(path, (keys = path.split('.')));
  let node: unknown = scope;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Go templates' truth: false, 0, "", nil and empty lists and maps are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * A value as text, as String() writes it (a list's items joined by commas), also for what
 * String() cannot convert: a map without a prototype, which every map read from input is.
 */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(asText).join(',');
  if (typeof value === 'object') return '[object Object]';
  return String(value);
}

/** A value as a number, as Number() reads it; NaN for a map or list, which Number() may not convert. */
export function asNumber(value: unknown): number {
  return value !== null && typeof value === 'object' ? NaN : Number(value);
}

export function holds(cond: Cond, scope: Scope): boolean {
  if ('all' in cond) return cond.all.every((c) => holds(c, scope));
  if ('any' in cond) return cond.any.some((c) => holds(c, scope));
  if ('not' in cond) return !holds(cond.not, scope);
  if ('version' in cond) return versionAtLeast(asText(lookup(scope, cond.version)), cond.atLeast, cond.otherwise);
  if ('quantity' in cond) return quantityHolds(cond, scope);
  const value = lookup(scope, cond.path);
  if ('oneOf' in cond) return cond.oneOf.includes(value as Scalar);
  if ('matches' in cond) return regexOf(cond.matches).test(asText(value));
  if ('above' in cond) return asNumber(value) > cond.above;
  if ('atMostSumOf' in cond) return asNumber(value) <= cond.atMostSumOf.reduce((sum, p) => sum + asNumber(lookup(scope, p)), cond.plus);
  if ('sameText' in cond) return asText(value) === asText(lookup(scope, cond.sameText));
  if ('disjointFrom' in cond) return labelsDisjoint(value, lookup(scope, cond.disjointFrom));
  if ('keyCount' in cond) return isMap(value) && Object.keys(value).filter((k) => !cond.besides.includes(k)).length === cond.keyCount;
  if ('among' in cond) {
    const list = lookup(scope, cond.among);
    const text = asText(value);
    return Array.isArray(list) && list.some((item) => isMap(item) && hasOwn(item, cond.field) && asText(item[cond.field]) === text);
  }
  if ('compare' in cond) {
    const to = asNumber(lookup(scope, cond.to));
    return cond.compare === 'eq' ? asNumber(value) === to : asNumber(value) >= to;
  }
  return cond.equals === undefined ? truthy(value) : value === cond.equals;
}

function quantityHolds(cond: Extract<Cond, { quantity: string }>, scope: Scope): boolean {
  const map = lookup(scope, cond.entryOf);
  const key = asText(lookup(scope, cond.key));
  if (!isMap(map) || !hasOwn(map, key)) return cond.is === 'unequal';
  const order = compareQuantities(asText(lookup(scope, cond.quantity)), asText(map[key]));
  return order !== undefined && (cond.is === 'above' ? order > 0 : order !== 0);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Own keys only: the maps read here come from input. */
function hasOwn(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Whether two label maps give a key they share different values, so no node carries both. */
export function labelsDisjoint(a: unknown, b: unknown): boolean {
  const [x, y] = [a, b].map((m) => (isMap(m) ? m : {}));
  return Object.keys(x).some((key) => hasOwn(y, key) && asText(x[key]) !== asText(y[key]));
}

/** A leaf that tests one path for truth or one value. */
export type Test = { readonly path: string; readonly equals?: Scalar };

export function isTest(cond: Cond): cond is Test {
  return (
    'path' in cond &&
    !(
      'oneOf' in cond ||
      'matches' in cond ||
      'compare' in cond ||
      'above' in cond ||
      'atMostSumOf' in cond ||
      'sameText' in cond ||
      'disjointFrom' in cond ||
      'keyCount' in cond ||
      'among' in cond
    )
  );
}

/** Every path a condition reads, for checking tables against the model. */
export function pathsOf(cond: Cond): string[] {
  if ('all' in cond) return cond.all.flatMap(pathsOf);
  if ('any' in cond) return cond.any.flatMap(pathsOf);
  if ('not' in cond) return pathsOf(cond.not);
  if ('version' in cond) return [cond.version];
  if ('quantity' in cond) return [cond.quantity, cond.entryOf, cond.key];
  if ('compare' in cond) return [cond.path, cond.to];
  if ('atMostSumOf' in cond) return [cond.path, ...cond.atMostSumOf];
  if ('sameText' in cond) return [cond.path, cond.sameText];
  if ('disjointFrom' in cond) return [cond.path, cond.disjointFrom];
  if ('among' in cond) return [cond.path, cond.among];
  return [cond.path];
}
