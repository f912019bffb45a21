/** One thing wrong with a config, worded so the user can fix it without reading our source. */
export interface Problem {
  /** Stable id, e.g. P1-masquerade-image; the CLI's check command reports the same ids. */
  readonly rule: string;
  readonly severity: Severity;
  /** Dotted path in the config model, e.g. controlPlane.address. */
  readonly path: string;
  readonly value: unknown;
  /** Why the value is wrong. */
  readonly message: string;
  /** What to do instead. */
  readonly fix: string;
}

export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
}

/** JSON with object keys sorted, as Helm's toJson prints values: the chart's messages read the same. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function formatProblem(problem: Problem): string {
  return `${problem.path}: ${formatValue(problem.value)} ${problem.message}; ${problem.fix}`;
}

export function errorsIn(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.ERROR);
}

/** Thrown with every error found, never just the first. */
export class KubeVipConfigError extends Error {
  public constructor(public readonly problems: readonly Problem[]) {
    super(
      `invalid kube-vip configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'KubeVipConfigError';
  }
}
