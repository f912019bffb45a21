import { Cond } from '../expr/cond';
import { VERSION_PATTERN } from '../expr/version';
import { fieldAt } from '../model/schema';
import { valuesSchema } from '../model/values';

/**
 * Compiles the condition language of lib/model/expr.ts into Go template expressions, so the
 * chart's templates evaluate the very tables the TypeScript renderer evaluates.
 *
 * The generated templates are called with `(dict "values" .Values "workload" $workload)`,
 * so a path `values.a.b` is `.values.a.b` there. Go templates and expr.ts agree on truth:
 * false, 0, "" and empty lists and maps are false.
 */

/**
 * The workload facts the chart's workload helper provides, with their types; paths outside
 * this list (or the model) are refused, so a new Workload field cannot be forgotten silently.
 */
const WORKLOAD_FACTS: Record<string, 'string' | 'integer' | 'boolean'> = {
  controlPlane: 'boolean',
  services: 'boolean',
  instanceName: 'string',
  metricsAddress: 'string',
  leaseNamespace: 'string',
  controlPlaneLease: 'string',
  servicesLease: 'string',
  bgpPeers: 'string',
  localApiServer: 'string',
  egressPodCIDR: 'string',
  egressServiceCIDR: 'string',
};

/** Paths the chart resolves differently (release name and namespace), so tables may not read them. */
const RELEASE_DERIVED = new Set(['values.name', 'values.namespace']);

function kindAt(path: string): 'string' | 'integer' | 'boolean' | 'enum' | 'list' | 'map' {
  const [scope, ...rest] = path.split('.');
  if (RELEASE_DERIVED.has(path)) {
    throw new Error(`${path} is derived from the Helm release in the chart; read the workload fact instead`);
  }
  if (scope === 'workload') {
    const kind = WORKLOAD_FACTS[rest.join('.')];
    if (!kind) throw new Error(`unknown workload fact ${path}: add it to WORKLOAD_FACTS and the chart's workload helper`);
    return kind;
  }
  if (scope !== 'values') throw new Error(`path ${path} has no scope (values. or workload.)`);
  const field = fieldAt(valuesSchema, rest.join('.'));
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

/** A Go template literal for a scalar (strings are Go-quoted, JSON quoting is the same). */
function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // Helm reads numbers from YAML as float64; compare as such so eq does not fail on types.
    return `(float64 ${value})`;
  }
  return String(value);
}

/** The expression reading a path, e.g. `.values.controlPlane.enabled`. */
export function pathExpr(path: string): string {
  kindAt(path);
  return `.${path}`;
}

export function condExpr(cond: Cond): string {
  if ('all' in cond) return cond.all.length === 1 ? condExpr(cond.all[0]) : `(and ${cond.all.map(condExpr).join(' ')})`;
  if ('any' in cond) return cond.any.length === 1 ? condExpr(cond.any[0]) : `(or ${cond.any.map(condExpr).join(' ')})`;
  if ('not' in cond) return `(not ${condExpr(cond.not)})`;
  if ('version' in cond) return versionAtLeastExpr(cond.version, literal(`>=${cond.atLeast.replace(/^v/, '')}`), cond.otherwise);
  if (cond.equals === undefined) return pathExpr(cond.path);
  const read = kindAt(cond.path) === 'integer' ? `(float64 ${pathExpr(cond.path)})` : pathExpr(cond.path);
  return `(eq ${read} ${literal(cond.equals)})`;
}

/**
 * Whether the version at path meets a semver constraint, given as a Go expression (e.g.
 * `">=1.2.2"`). As lib/expr/version.ts reads it: text that is no version counts as `otherwise`.
 * `root` is `$` inside a range, where `.` is rebound.
 */
export function versionAtLeastExpr(path: string, constraint: string, otherwise: string, root = ''): string {
  const text = root + pathExpr(path);
  return `(semverCompare ${constraint} (ternary ${text} ${literal(otherwise)} (regexMatch ${literal(VERSION_PATTERN)} ${text})))`;
}

/**
 * The expression printing a path as kube-vip reads it: integers without exponent (Helm's
 * float64 would print 4294967295 as 4.294967295e+09), everything else as its string.
 */
export function stringExpr(path: string): string {
  return kindAt(path) === 'integer' ? `${pathExpr(path)} | int64 | toString` : `${pathExpr(path)} | toString`;
}
