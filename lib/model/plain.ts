/** Plain data: the shapes values files and props arrive in. */

/**
 * Keys that name JavaScript's object machinery rather than data: assigning `__proto__` replaces
 * a map's prototype, and `constructor` and `prototype` are what an ordinary map inherits. No
 * kube-vip setting, Kubernetes field or label we read is spelt so; every route refuses them as
 * keys, so no input can reach the prototype chain or be mistaken for an inherited member.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.includes(key);
}

/** The refusal of a reserved key, the same words on every route. */
export const RESERVED_KEY_TEXT = {
  message: 'is a key JavaScript reserves for its objects (__proto__, constructor, prototype), not a setting or field',
  fix: 'remove the key; no kube-vip setting or Kubernetes field is spelt so',
} as const;

/** Every reserved key at any depth of plain data, as paths such as `global.__proto__`. */
export function reservedKeyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => reservedKeyPaths(item, `${path}[${i}]`));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = path ? `${path}.${key}` : key;
    return isReservedKey(key) ? [at] : reservedKeyPaths(child, at);
  });
}

/** A map without a prototype: a lookup finds only the keys put into it, never an inherited member. */
export function emptyMap<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Whether a map has a key of its own (never an inherited one). */
export function hasKey(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** A map's own entry, or undefined: a table looked up with a user's string never answers with an inherited member. */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasKey(map, key) ? map[key] : undefined;
}

/**
 * Plain data copied into maps without prototypes, own enumerable keys only, at every depth:
 * what input becomes before the toolkit reads it. Values that are not lists or maps are kept.
 */
export function toOwnData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(toOwnData) as T;
  if (!isPlainObject(value)) return value;
  const copy = emptyMap();
  for (const [key, child] of Object.entries(value)) copy[key] = toOwnData(child);
  return copy as T;
}

/**
 * The reverse, for libraries that want ordinary objects (cdk8s renders only maps whose prototype
 * is Object's): a deep copy whose maps are `{}`. Keys are defined, never assigned, so even a
 * `__proto__` key would stay data.
 */
export function toOrdinaryData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(toOrdinaryData) as T;
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, toOrdinaryData(child)])) as T;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A copy without the map entries whose value `drop` picks, at every depth: props leave
 * `undefined` for "not set", Helm's values use `null` for "remove this key".
 */
export function withoutEntries(value: unknown, drop: (v: unknown) => boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutEntries(v, drop));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => !drop(v))
      .map(([k, v]) => [k, withoutEntries(v, drop)]),
  );
}

/** Sets a dotted path in nested maps, making (or replacing with) a map where one is missing. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Freezes a value at every depth; parts frozen already (shared defaults) are not walked again. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** `{ [key]: value }` when the list or map has entries, else nothing: objects leave empty ones out. */
export function nonEmpty(key: string, value: readonly unknown[] | Record<string, unknown>): Record<string, unknown> {
  return (Array.isArray(value) ? value.length : Object.keys(value).length) > 0 ? { [key]: value } : {};
}
