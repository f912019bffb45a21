import { formatValue, Severity } from '../../model/problem';

/** One problem of an existing deployment: where it is, what is wrong, and the fix. */
export interface Finding {
  /** The rule id; the same ids as the library's validation where the same rule applies. */
  readonly rule: string;
  readonly severity: Severity;
  /** The file (or `-`) it was read from. */
  readonly source: string;
  /** e.g. `DaemonSet kube-system/kube-vip-ds`, or `values` for a values file. */
  readonly object: string;
  /** e.g. `container kube-vip, env lb_fwdmethod (controlPlane.loadBalancer.forwardingMethod)`. */
  readonly field: string;
  /** The same place as data: the container, and the env var with the model path it carries. */
  readonly container?: string;
  readonly env?: EnvOrigin;
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
}

export interface EnvOrigin {
  readonly name: string;
  readonly path?: string;
}

/** Where a model path's value was read from. */
export interface FieldOrigin {
  readonly source: string;
  readonly object: string;
  /** For people: the container and the field in it, or the values path. */
  readonly field: string;
  readonly container?: string;
  readonly env?: EnvOrigin;
}

/** The field in a container, without the container's name. */
export function fieldInContainer(f: Pick<Finding, 'field' | 'container'>): string {
  const prefix = f.container === undefined ? '' : `container ${f.container}, `;
  return f.field.startsWith(prefix) ? f.field.slice(prefix.length) : f.field;
}

export function formatFinding(f: Finding): string {
  return `${f.source}: ${f.severity} [${f.rule}] ${f.object}, ${f.field}: ${formatValue(f.value)} ${f.message}; fix: ${f.fix}`;
}

/** The same problem reached through two workloads (a shared ConfigMap, say) is told once. */
export function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = [f.rule, f.source, f.object, f.field, f.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  return {
    errors: findings.filter((f) => f.severity === Severity.ERROR).length,
    warnings: findings.filter((f) => f.severity === Severity.WARNING).length,
  };
}
