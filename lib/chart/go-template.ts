import { Cond } from '../expr/cond';
import { BINARY_CAP_MILLI } from '../expr/quantity';
import { Expr, verbsOf } from '../expr/value';
import { VERSION_PATTERN } from '../expr/version';
import { PATTERNS } from '../net/patterns';
import { eachField, Field, fieldAt } from '../model/schema';
import { valuesSchema } from '../model/values';
import { GROUP_FIELD_KINDS, WORKLOAD_FACTS } from '../model/workloads';

/**
 * Compiles the condition language of lib/expr/cond.ts into Go template expressions, so the
 * chart's templates evaluate the very tables the TypeScript renderer evaluates.
 *
 * The generated templates are called with `(dict "values" .Values "workload" $workload)`,
 * so a path `values.a.b` is `.values.a.b` there. Go templates and expr.ts agree on truth:
 * false, 0, "" and empty lists and maps are false.
 */

/**
 * The workload facts the chart's generated workload helper provides (the model's plan,
 * lib/model/workloads.ts), with their types; other `workload.` paths are refused.
 */
const FACT_KINDS: Readonly<Record<string, 'string' | 'integer' | 'boolean'>> = {
  kind: 'string',
  name: 'string',
  controlPlane: 'boolean',
  services: 'boolean',
  bgpPeers: 'string',
  ...Object.fromEntries(Object.entries(GROUP_FIELD_KINDS).map(([field, kind]) => [`group.${field}`, kind])),
  ...Object.fromEntries(WORKLOAD_FACTS.map((f) => [f.fact, f.kind])),
};

/**
 * The Go expressions the scopes of a path start from. The generated templates are called with
 * (dict "values" .Values "workload" $workload), hence `.values`; inside a `range`, where `.` is
 * rebound, `$.values`, and the item a rule is checked for is the range's variable.
 */
export interface Roots {
  readonly values: string;
  readonly workload: string;
  /** The range variable and the `values.` list it ranges over. */
  readonly item?: { readonly expr: string; readonly list: string };
  /** For rules on pairs, the earlier item's range variable (same list as `item`). */
  readonly other?: string;
  /** `values` has the name and namespace the release gives (see the workloads helper). */
  readonly releaseNames?: boolean;
}

export const DOT: Roots = { values: '.values', workload: '.workload' };

/** Paths the chart resolves differently (release name and namespace), so tables may not read them. */
const RELEASE_DERIVED = new Set(['values.name', 'values.namespace']);

/** `free`: inside Kubernetes data the model passes through as it is, read with `dig`. */
type Kind = 'string' | 'integer' | 'boolean' | 'enum' | 'list' | 'map' | 'free';

/**
 * Where a path leaves the typed model for data passed through as it is (an opaque field, or a
 * key an open record does not declare): the typed keys, then the free ones. Go templates fail on
 * a missing key's field, so the free part is read with `dig`, which gives "" for what is absent.
 */
function freeFormSplit(root: Field, keys: readonly string[]): { typed: string[]; free: string[] } | undefined {
  let node: Field | undefined = root;
  for (let i = 0; i < keys.length; i++) {
    if (node?.kind === 'opaque') return { typed: keys.slice(0, i), free: keys.slice(i) };
    if (node?.kind !== 'object' && node?.kind !== 'record') return undefined;
    const next: Field | undefined = fieldAt(node, keys[i]);
    if (!next && node.open) return { typed: keys.slice(0, i), free: keys.slice(i) };
    node = next;
  }
  return undefined;
}

/** The schema a scope's keys are read against: the model, or a list's item. */
function scopeSchema(scope: string, roots: Roots): Field | undefined {
  if (scope === 'values') return valuesSchema;
  if ((scope === 'item' || scope === 'other') && roots.item) {
    const list = eachField(valuesSchema, roots.item.list.replace(/^values\./, ''));
    return list?.kind === 'array' ? list.items : undefined;
  }
  return undefined;
}

function kindOf(field: Field | undefined, path: string): Kind {
  if (!field) throw new Error(`unknown model path ${path}`);
  switch (field.kind) {
    case 'string':
    case 'integer':
    case 'boolean':
    case 'enum':
      return field.kind;
    case 'array':
      return 'list';
    default:
      return 'map';
  }
}

function kindAt(path: string, roots: Roots): Kind {
  const [scope, ...rest] = path.split('.');
  const schema = scopeSchema(scope, roots);
  if (schema && freeFormSplit(schema, rest)) return 'free';
  if (RELEASE_DERIVED.has(path) && !roots.releaseNames) {
    throw new Error(`${path} is derived from the Helm release in the chart; read the workload fact instead`);
  }
  if (scope === 'workload') {
    const kind = FACT_KINDS[rest.join('.')];
    if (!kind) throw new Error(`unknown workload fact ${path}: add it to WORKLOAD_FACTS (lib/model/workloads.ts)`);
    return kind;
  }
  if (scope === 'item' || scope === 'other') {
    if (!roots.item || (scope === 'other' && !roots.other)) throw new Error(`${path} reads a list item outside a rule's \`each\``);
    const each = roots.item.list.replace(/^values\./, '');
    const list = eachField(valuesSchema, each);
    // Items of data the model passes through as it is (a container's resources).
    if (list?.kind === 'opaque' || (list === undefined && freeFormSplit(valuesSchema, each.split('[].')[0].split('.')))) return 'free';
    if (list?.kind === 'map') {
      // A map's item is { key, value }.
      if (rest[0] === 'key' && rest.length === 1) return 'string';
      if (rest[0] !== 'value') throw new Error(`${path}: a map's item has only key and value`);
      return rest.length === 1 ? kindOf(list.values, path) : kindOf(fieldAt(list.values, rest.slice(1).join('.')), path);
    }
    if (list?.kind !== 'array') throw new Error(`${roots.item.list} is not a list or a map in the model`);
    return rest.length === 0 ? kindOf(list.items, path) : kindOf(fieldAt(list.items, rest.join('.')), path);
  }
  if (scope !== 'values') throw new Error(`path ${path} has no scope (values., workload., item. or other.)`);
  return kindOf(fieldAt(valuesSchema, rest.join('.')), path);
}

/** A Go template literal for a scalar (strings are Go-quoted, JSON quoting is the same). */
function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // Helm reads numbers from YAML as float64; compare as such so eq does not fail on types.
    return `(float64 ${value})`;
  }
  return String(value);
}

/**
 * The expression reading a path, e.g. `.values.controlPlane.enabled`. What input may leave out
 * (free-form data, a record's keys) reads as `absent`: "" for conditions, as TypeScript reads
 * it; nil where a problem shows the value, so it says "(unset)" as the validator does.
 */
export function pathExpr(path: string, roots: Roots = DOT, absent: '""' | 'nil' = '""'): string {
  kindAt(path, roots);
  const [scope, ...rest] = path.split('.');
  const base = scope === 'item' ? roots.item!.expr : scope === 'other' ? roots.other! : roots[scope as 'values' | 'workload'];
  const schema = scopeSchema(scope, roots);
  const splits = schema ? [freeFormSplit(schema, rest), recordSplit(schema, rest)].filter((x) => x !== undefined) : [];
  const split = splits.sort((a, b) => a.typed.length - b.typed.length)[0];
  if (split) return `(dig ${split.free.map((k) => JSON.stringify(k)).join(' ')} ${absent} ${[base, ...split.typed].join('.')})`;
  return [base, ...rest].join('.');
}

/**
 * Where a path first reads a key of a record (a Kubernetes object such as an affinity term),
 * which input may leave out while the model's own objects are always complete: from there on
 * it is read with `dig`, as free-form data is, so an absent key reads as "".
 */
function recordSplit(root: Field, keys: readonly string[]): { typed: string[]; free: string[] } | undefined {
  let node: Field | undefined = root;
  for (let i = 0; i < keys.length; i++) {
    if (node?.kind === 'record') return { typed: keys.slice(0, i), free: keys.slice(i) };
    if (node?.kind !== 'object') return undefined;
    node = fieldAt(node, keys[i]);
  }
  return undefined;
}

/** A path read as a number when it holds one: Helm has float64 from YAML, int64 from our helpers. */
function numberExpr(path: string, roots: Roots): string {
  return kindAt(path, roots) === 'integer' ? `(float64 ${pathExpr(path, roots)})` : pathExpr(path, roots);
}

export function condExpr(cond: Cond, roots: Roots = DOT): string {
  const sub = (c: Cond) => condExpr(c, roots);
  // Of no conditions, all hold and none is met, as in TypeScript's every and some.
  if ('all' in cond && cond.all.length === 0) return 'true';
  if ('any' in cond && cond.any.length === 0) return 'false';
  if ('all' in cond) return cond.all.length === 1 ? sub(cond.all[0]) : `(and ${cond.all.map(sub).join(' ')})`;
  if ('any' in cond) return cond.any.length === 1 ? sub(cond.any[0]) : `(or ${cond.any.map(sub).join(' ')})`;
  if ('not' in cond) return `(not ${sub(cond.not)})`;
  if ('version' in cond) return versionAtLeastExpr(cond.version, literal(`>=${cond.atLeast.replace(/^v/, '')}`), cond.otherwise, roots);
  if ('oneOf' in cond) return `(has ${numberExpr(cond.path, roots)} (list ${cond.oneOf.map(literal).join(' ')}))`;
  if ('matches' in cond) {
    // A list's text is its items joined by commas, as JavaScript writes it.
    const text =
      kindAt(cond.path, roots) === 'list' ? `(join "," ${pathExpr(cond.path, roots)})` : `(toString ${pathExpr(cond.path, roots)})`;
    return `(regexMatch ${literal(cond.matches)} ${text})`;
  }
  if ('above' in cond) return `(gt (float64 ${pathExpr(cond.path, roots)}) ${literal(cond.above)})`;
  if ('atMostSumOf' in cond) {
    const terms = cond.atMostSumOf.map((p) => ` (float64 ${pathExpr(p, roots)})`).join('');
    return `(le (float64 ${pathExpr(cond.path, roots)}) (addf ${literal(cond.plus)}${terms}))`;
  }
  if ('sameText' in cond) return `(eq (toString ${pathExpr(cond.path, roots)}) (toString ${pathExpr(cond.sameText, roots)}))`;
  if ('disjointFrom' in cond) {
    return `(ne (include ${JSON.stringify(LABELS_DISJOINT)} (list ${pathExpr(cond.path, roots)} ${pathExpr(cond.disjointFrom, roots)})) "")`;
  }
  if ('keyCount' in cond) {
    const besides = cond.besides.map((k) => ` ${JSON.stringify(k)}`).join('');
    return `(and (kindIs "map" ${pathExpr(cond.path, roots)}) (eq (len (omit ${pathExpr(cond.path, roots)}${besides})) ${cond.keyCount}))`;
  }
  if ('among' in cond) {
    const values = `(include ${JSON.stringify(FIELD_VALUES)} (list ${pathExpr(cond.among, roots)} ${JSON.stringify(cond.field)}) | fromJsonArray)`;
    return `(has (toString ${pathExpr(cond.path, roots)}) ${values})`;
  }
  if ('quantity' in cond) {
    const args = [
      literal(cond.is),
      `(toString ${pathExpr(cond.quantity, roots)})`,
      pathExpr(cond.entryOf, roots),
      `(toString ${pathExpr(cond.key, roots)})`,
    ];
    return `(eq (include ${JSON.stringify(QUANTITY_HOLDS)} (list ${args.join(' ')})) "true")`;
  }
  if ('compare' in cond) return `(${cond.compare} (float64 ${pathExpr(cond.path, roots)}) (float64 ${pathExpr(cond.to, roots)}))`;
  if (cond.equals === undefined) return pathExpr(cond.path, roots);
  return `(eq ${numberExpr(cond.path, roots)} ${literal(cond.equals)})`;
}

/** The helper template behind `disjointFrom`: prints something when two label maps give a shared key different values. */
const LABELS_DISJOINT = 'kube-vip.labelsDisjoint';

/** The helper behind `among`: a JSON list of one field of each map item of a list that has it, as text. */
const FIELD_VALUES = 'kube-vip.fieldValues';

/** The helper behind `quantity`: prints true when a request and its limit compare as asked. */
const QUANTITY_HOLDS = 'kube-vip.quantityHolds';
/** A quantity in milli units, rounded up, as decimal digits ("" for text that is no quantity). */
const MILLI_UNITS = 'kube-vip.milliUnits';
/** Digits times a small number plus a small number, exact: 9 digits at a time in int64. */
const MUL_ADD = 'kube-vip.mulAdd';

const BINARY_BITS = 'dict "Ki" 10 "Mi" 20 "Gi" 30 "Ti" 40 "Pi" 50 "Ei" 60';
const DECIMAL_EXPONENT = 'dict "n" -9 "u" -6 "m" -3 "" 0 "k" 3 "M" 6 "G" 9 "T" 12 "P" 15 "E" 18';
const QUANTITY_PARTS = '^\\+?([0-9]*)(?:\\.([0-9]*))?(.*)$';

/**
 * lib/expr/quantity.ts in Go templates, on digit strings (Helm has no big numbers): the same
 * exact arithmetic, so the chart and the library compare every pair of quantities alike.
 */
const QUANTITY_HELPERS = [
  `{{- define ${JSON.stringify(QUANTITY_HOLDS)} -}}`,
  '{{- $is := index . 0 }}{{- $map := index . 2 }}{{- $key := index . 3 }}',
  '{{- if not (and (kindIs "map" $map) (hasKey $map $key)) }}{{ if eq $is "unequal" }}true{{ end }}',
  '{{- else }}',
  `{{- $a := include ${JSON.stringify(MILLI_UNITS)} (index . 1) }}{{- $b := include ${JSON.stringify(MILLI_UNITS)} (toString (get $map $key)) }}`,
  '{{- if and $a $b }}',
  // Digits without leading zeros: the longer is larger, and of equal length the later in order.
  '{{- $above := or (gt (len $a) (len $b)) (and (eq (len $a) (len $b)) (gt $a $b)) }}',
  '{{- if ternary $above (ne $a $b) (eq $is "above") }}true{{ end }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
  `{{- define ${JSON.stringify(MILLI_UNITS)} -}}`,
  `{{- if regexMatch ${literal(PATTERNS.quantity)} . }}`,
  `{{- $fraction := regexReplaceAll ${literal(QUANTITY_PARTS)} . "\${2}" }}`,
  `{{- $suffix := regexReplaceAll ${literal(QUANTITY_PARTS)} . "\${3}" }}`,
  `{{- $digits := regexReplaceAll "^0+" (print (regexReplaceAll ${literal(QUANTITY_PARTS)} . "\${1}") $fraction) "" }}`,
  `{{- $bits := get (${BINARY_BITS}) $suffix | default 0 }}`,
  `{{- $exponent := 0 }}`,
  `{{- if hasKey (${DECIMAL_EXPONENT}) $suffix }}{{ $exponent = get (${DECIMAL_EXPONENT}) $suffix }}`,
  '{{- else if not $bits }}{{ $exponent = atoi (substr 1 (len $suffix) $suffix) }}{{ end }}',
  '{{- if not $digits }}0',
  '{{- else }}',
  `{{- range until (int (div $bits 10)) }}{{ $digits = include ${JSON.stringify(MUL_ADD)} (list $digits 1024 0) }}{{ end }}`,
  '{{- $shift := add (sub 3 (len $fraction)) $exponent }}',
  '{{- if ge $shift 0 }}{{ $digits = print $digits (repeat (int $shift) "0") }}',
  '{{- else if ge (int (sub 0 $shift)) (len $digits) }}{{ $digits = "1" }}',
  '{{- else }}',
  // Rounded up to a whole milli unit: drop the digits below it, and add one if any was not zero.
  '{{- $keep := int (add (len $digits) $shift) }}',
  '{{- $dropped := substr $keep (len $digits) $digits }}',
  '{{- $digits = substr 0 $keep $digits }}',
  `{{- if trimAll "0" $dropped }}{{ $digits = include ${JSON.stringify(MUL_ADD)} (list $digits 1 1) }}{{ end }}`,
  '{{- end }}',
  // A binary quantity past 2^63-1 units is capped there.
  `{{- $cap := ${literal(BINARY_CAP_MILLI.toString())} }}`,
  '{{- if and $bits (or (gt (len $digits) (len $cap)) (and (eq (len $digits) (len $cap)) (gt $digits $cap))) }}{{ $digits = $cap }}{{ end }}',
  '{{- $digits }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
  `{{- define ${JSON.stringify(MUL_ADD)} -}}`,
  '{{- $digits := index . 0 }}{{- $times := index . 1 }}{{- $carry := index . 2 }}',
  '{{- $padded := print (repeat (int (mod (sub 9 (mod (len $digits) 9)) 9)) "0") $digits }}',
  '{{- $chunks := regexFindAll "[0-9]{9}" $padded -1 }}',
  '{{- $out := "" }}',
  '{{- range $i := until (len $chunks) }}',
  '{{- $v := add (mul (atoi (index $chunks (sub (sub (len $chunks) 1) $i))) $times) $carry }}',
  '{{- $out = print (printf "%09d" (mod $v 1000000000)) $out }}',
  '{{- $carry = div $v 1000000000 }}',
  '{{- end }}',
  '{{- regexReplaceAll "^0+" (print $carry $out) "" | default "0" }}',
  '{{- end }}',
];

/** The templates the compiled conditions call, for the generated helpers to include once. */
export const LANGUAGE_HELPERS = [
  `{{- define ${JSON.stringify(FIELD_VALUES)} -}}`,
  '{{- $field := index . 1 }}',
  '{{- $values := list }}',
  '{{- range (index . 0 | default list) }}',
  '{{- if and (kindIs "map" .) (hasKey . $field) }}{{ $values = append $values (toString (get . $field)) }}{{ end }}',
  '{{- end }}',
  '{{- toJson $values }}',
  '{{- end }}',
  `{{- define ${JSON.stringify(LABELS_DISJOINT)} -}}`,
  '{{- $a := index . 0 | default dict }}',
  '{{- $b := index . 1 | default dict }}',
  '{{- range $key, $value := $a }}',
  '{{- if and (hasKey $b $key) (ne (toString $value) (toString (get $b $key))) }}{{ $key }}{{ end }}',
  '{{- end }}',
  '{{- end }}',
  ...QUANTITY_HELPERS,
].join('\n');

/** A condition as a Go bool: `and` and `or` return one of their operands, `ternary` needs a bool. */
function boolExpr(cond: Cond, roots: Roots): string {
  return `(not (not ${condExpr(cond, roots)}))`;
}

/** Compiles a value (lib/expr/value.ts) into a Go template expression. */
export function valueExpr(e: Expr, roots: Roots = DOT): string {
  const sub = (x: Expr) => valueExpr(x, roots);
  if ('read' in e) return pathExpr(e.read, roots);
  if ('literal' in e) return typeof e.literal === 'string' ? JSON.stringify(e.literal) : String(e.literal);
  if ('format' in e) {
    const verbs = verbsOf(e.format);
    // Helm reads YAML numbers as float64: %d needs an int64, %s a string.
    const args = e.args.map((arg, i) => (verbs[i] === 'd' ? `(int64 ${sub(arg)})` : `(toString ${sub(arg)})`));
    return `(printf ${JSON.stringify(e.format)} ${args.join(' ')})`;
  }
  if ('if' in e) return `(ternary ${sub(e.then)} ${sub(e.else)} ${boolExpr(e.if, roots)})`;
  if ('orElse' in e) return `(default ${sub(e.orElse)} ${sub(e.value)})`;
  if ('sum' in e) return `(add ${e.sum.map((x) => `(int64 ${sub(x)})`).join(' ')})`;
  if ('join' in e) return `(join ${JSON.stringify(e.separator)} ${pathExpr(e.join, roots)})`;
  if ('withoutPrefix' in e) return `(regexReplaceAll ${JSON.stringify(`^(?:${e.withoutPrefix})`)} ${sub(e.value)} "")`;
  return boolExpr(e.test, roots);
}

/**
 * Whether the version at path meets a semver constraint, given as a Go expression (e.g.
 * `">=1.2.2"`). As lib/expr/version.ts reads it: text that is no version counts as `otherwise`.
 */
export function versionAtLeastExpr(path: string, constraint: string, otherwise: string, roots: Roots = DOT): string {
  const text = pathExpr(path, roots);
  return `(semverCompare ${constraint} (ternary ${text} ${literal(otherwise)} (regexMatch ${literal(VERSION_PATTERN)} ${text})))`;
}

/**
 * The expression printing a path as kube-vip reads it: integers without exponent (Helm's
 * float64 would print 4294967295 as 4.294967295e+09), everything else as its string.
 */
export function stringExpr(path: string, roots: Roots = DOT): string {
  const read = pathExpr(path, roots);
  return kindAt(path, roots) === 'integer' ? `${read} | int64 | toString` : `${read} | toString`;
}
