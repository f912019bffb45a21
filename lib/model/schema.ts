/**
 * A tiny schema language for the config model. One declaration gives the TypeScript type
 * (Infer), the defaults (values.yaml), the JSON schema (values.schema.json), the docs table
 * and the type checks run on values files, so none of them can drift from the others.
 */

interface Described {
  readonly description: string;
}

export interface StringField extends Described {
  readonly kind: 'string';
  readonly default: string;
  /** ECMAScript regex the JSON schema and the type check both apply (an empty string always passes). */
  readonly pattern?: string;
  /** What a matching value looks like, for the fix of every refusal: never the regex itself. */
  readonly patternHint?: string;
}

/** A pattern never comes without the words that tell a user what to write instead. */
export type StringFormat =
  { readonly pattern: string; readonly patternHint: string } | { readonly pattern?: undefined; readonly patternHint?: undefined };
export interface BooleanField extends Described {
  readonly kind: 'boolean';
  readonly default: boolean;
}
export interface IntegerField extends Described {
  readonly kind: 'integer';
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
}
export interface EnumField<V extends string = string> extends Described {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly default: V;
}
export interface ObjectField<F extends Fields = Fields> extends Described {
  readonly kind: 'object';
  readonly fields: F;
  /** Other keys are allowed and passed through (Helm's `global`, which every chart of an umbrella shares). */
  readonly open?: boolean;
}
export interface ArrayField<I extends Field = Field> extends Described {
  readonly kind: 'array';
  readonly items: I;
  readonly default: readonly unknown[];
}
/** Arbitrary keys, each value of one schema (per-namespace IPAM pools, nodeSelector). */
export interface MapField<V extends Field = Field> extends Described {
  readonly kind: 'map';
  readonly values: V;
  /** A pattern every key must match (label and annotation keys), with words for a message. */
  readonly keys?: { readonly pattern: string; readonly hint: string };
}
/** A record whose fields are given but which sits inside an array or map (no per-field defaults there). */
export interface RecordField<F extends Fields = Fields, R extends string = string> extends Described {
  readonly kind: 'record';
  readonly required: readonly R[];
  readonly fields: F;
  /** A Kubernetes object whose named fields are checked and whose other fields pass through untouched. */
  readonly open?: boolean;
}
/**
 * A reference to an object of the namespace (a Kubernetes LocalObjectReference): its name, or
 * `{name: ...}` as a pod spec writes it. Both mean the same; the object form has no other field.
 */
export interface NameRefField extends Described {
  readonly kind: 'nameRef';
  /** The name, in either form. */
  readonly name: StringField;
  readonly default: string;
}
/** Kubernetes objects passed through untouched (affinity, tolerations, resources). */
export interface OpaqueField<T = unknown> extends Described {
  readonly kind: 'opaque';
  readonly jsonType: 'object' | 'array';
  readonly default: T;
}

export type Field =
  StringField | BooleanField | IntegerField | EnumField | ObjectField | ArrayField | MapField | RecordField | NameRefField | OpaqueField;
export type Fields = { readonly [key: string]: Field };

type InferRecord<F extends Fields, R extends string> = { -readonly [K in keyof F & R]: Infer<F[K]> } & {
  -readonly [K in Exclude<keyof F, R>]?: Infer<F[K]>;
} extends infer O
  ? { [K in keyof O]: O[K] }
  : never;

export type Infer<N> = N extends StringField
  ? string
  : N extends BooleanField
    ? boolean
    : N extends IntegerField
      ? number
      : N extends EnumField<infer V>
        ? `${V}` // plain strings, as a YAML file writes them; the enums' values are the same strings
        : N extends ObjectField<infer F>
          ? N extends { readonly open: true }
            ? { -readonly [K in keyof F]: Infer<F[K]> } & Record<string, unknown>
            : { -readonly [K in keyof F]: Infer<F[K]> }
          : N extends ArrayField<infer I>
            ? Infer<I>[]
            : N extends MapField<infer V>
              ? Record<string, Infer<V>>
              : N extends RecordField<infer F>
                ? N extends { readonly open: true }
                  ? InferRecord<F, N['required'][number]> & Record<string, unknown>
                  : InferRecord<F, N['required'][number]>
                : N extends NameRefField
                  ? string | { name: string }
                  : N extends OpaqueField<infer T>
                    ? T
                    : never;

/** What a user may write: every object field optional. Arrays, maps and records are taken whole. */
export type InferInput<N> =
  N extends ObjectField<infer F>
    ? N extends { readonly open: true }
      ? { -readonly [K in keyof F]?: InferInput<F[K]> } & Record<string, unknown>
      : { -readonly [K in keyof F]?: InferInput<F[K]> }
    : Infer<N>;

export const field = {
  string: (description: string, def = '', options: StringFormat = {}): StringField => ({
    kind: 'string',
    description,
    default: def,
    ...options,
  }),
  boolean: (description: string, def: boolean): BooleanField => ({ kind: 'boolean', description, default: def }),
  integer: (description: string, def: number, minimum: number, maximum: number): IntegerField => ({
    kind: 'integer',
    description,
    default: def,
    minimum,
    maximum,
  }),
  enumOf: <V extends string>(description: string, values: readonly V[], def: V): EnumField<V> => ({
    kind: 'enum',
    description,
    values,
    default: def,
  }),
  object: <F extends Fields>(description: string, fields: F): ObjectField<F> => ({ kind: 'object', description, fields }),
  openObject: <F extends Fields>(description: string, fields: F): ObjectField<F> & { readonly open: true } => ({
    kind: 'object',
    description,
    fields,
    open: true,
  }),
  array: <I extends Field>(description: string, items: I, def: readonly Infer<I>[] = []): ArrayField<I> => ({
    kind: 'array',
    description,
    items,
    default: def,
  }),
  map: <V extends Field>(description: string, values: V, keys?: MapField['keys']): MapField<V> => ({
    kind: 'map',
    description,
    values,
    ...(keys ? { keys } : {}),
  }),
  // `const R`: the required keys stay literal where the call sits inside another generic call.
  record: <F extends Fields, const R extends keyof F & string = never>(
    description: string,
    fields: F,
    required: readonly R[],
  ): RecordField<F, R> => ({ kind: 'record', description, fields, required }),
  /** A Kubernetes object (a Volume, a VolumeMount) of which the model checks only `fields`. */
  openRecord: <F extends Fields, const R extends keyof F & string = never>(
    description: string,
    fields: F,
    required: readonly R[],
  ): RecordField<F, R> & { readonly open: true } => ({ kind: 'record', description, fields, required, open: true }),
  /** A name, or {name: ...}: `name` is the name's own field (its pattern and the words for it). */
  nameRef: (description: string, name: StringField): NameRefField => ({ kind: 'nameRef', description, name, default: '' }),
  opaque: <T>(description: string, jsonType: 'object' | 'array', def: T): OpaqueField<T> => ({
    kind: 'opaque',
    description,
    jsonType,
    default: def,
  }),
};

/** The default value a field stands for in values.yaml. */
export function defaultsOf(node: Field): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, defaultsOf(v)]));
    case 'map':
    case 'record':
      return {};
    case 'array':
    case 'opaque':
      return structuredClone(node.default);
    default:
      return node.default;
  }
}

/** Walks object fields depth first, giving each leaf (anything but a plain object) its dotted path. */
export function* leavesOf(node: Field, path = ''): Generator<{ path: string; field: Field }> {
  if (node.kind === 'object') {
    for (const [key, child] of Object.entries(node.fields)) yield* leavesOf(child, path ? `${path}.${key}` : key);
  } else {
    yield { path, field: node };
  }
}

/**
 * The field of the list or map a rule's `each` walks (lib/expr/rule.ts): `a.b[].c` is field c of
 * every item of the list a.b.
 */
export function eachField(root: Field, each: string): Field | undefined {
  const [first, ...rest] = each.split('[].');
  let node = fieldAt(root, first);
  for (const part of rest) {
    if (node?.kind !== 'array') return undefined;
    node = fieldAt(node.items, part);
  }
  return node;
}

export function fieldAt(root: Field, path: string): Field | undefined {
  let node: Field | undefined = root;
  for (const key of path.split('.')) {
    if (node?.kind !== 'object' && node?.kind !== 'record') return undefined;
    node = Object.prototype.hasOwnProperty.call(node.fields, key) ? node.fields[key] : undefined;
  }
  return node;
}
