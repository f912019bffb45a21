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
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
}

/** Where a model path's value was read from. */
export interface FieldOrigin {
  readonly source: string;
  readonly object: string;
  readonly field: string;
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
