/**
 * An object read from a manifest or values file someone else wrote: its fields are looked up
 * defensively (optional chaining, typeof checks) rather than trusted to a declared shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped input, read with checks
export type Json = Record<string, any>;
