/** Plain data: the shapes values files and props arrive in. */

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
