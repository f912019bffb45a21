import { ENV_RULES } from '../../lib/kube-vip/env';
import { IPTABLES_NEEDS } from '../../lib/kube-vip/iptables';
import { RBAC_GRANTS } from '../../lib/kube-vip/rbac';
import { CLOUD_PROVIDER_ENV, CLOUD_PROVIDER_GRANTS } from '../../lib/kube-vip/cloud-provider';
import { ROLE_PLAN } from '../../lib/render/rbac';
import { CLOUD_PROVIDER_PLAN } from '../../lib/render/cloud-provider';
import { Cond, pathsOf } from '../../lib/expr/cond';
import { defaultsOf, fieldAt } from '../../lib/model/schema';
import { defaultValues, valuesSchema } from '../../lib/model/values';
import { planWorkloads } from '../../lib/model/workloads';
import { resolveValues } from '../../lib/model/resolve';

/** The tables are data that the chart generator also reads: every path in them must exist. */
const workloadFields = Object.keys(planWorkloads(resolveValues({ services: { enabled: true } }))[0]);

function checkPath(path: string): boolean {
  const [scope, ...rest] = path.split('.');
  if (scope === 'values') return fieldAt(valuesSchema, rest.join('.')) !== undefined;
  if (scope === 'workload') return rest.length === 1 && workloadFields.includes(rest[0]);
  return false;
}

const conditions: Cond[] = [
  ...ENV_RULES.flatMap((r) => (r.when ? [r.when] : [])),
  ...ENV_RULES.flatMap((r) => ('test' in r.from ? [r.from.test] : [])),
  ...IPTABLES_NEEDS.map((n) => n.when),
  ...RBAC_GRANTS.map((g) => g.when),
  ...CLOUD_PROVIDER_ENV.flatMap((r) => [...(r.when ? [r.when] : []), ...('test' in r.from ? [r.from.test] : [])]),
  ...CLOUD_PROVIDER_GRANTS.map((g) => g.when),
];

describe('kube-vip tables', () => {
  it('read only paths that exist in the model or the workload', () => {
    const paths = [
      ...conditions.flatMap(pathsOf),
      ...[...ENV_RULES, ...CLOUD_PROVIDER_ENV].flatMap((r) => ('path' in r.from ? [r.from.path] : [])),
    ];
    expect(paths.filter((p) => !checkPath(p))).toEqual([]);
  });
  it('iptables needs judge values only, so the Helm schema can express them', () => {
    expect(IPTABLES_NEEDS.flatMap((n) => pathsOf(n.when)).every((p) => p.startsWith('values.'))).toBe(true);
    expect(IPTABLES_NEEDS.every((n) => fieldAt(valuesSchema, n.path))).toBe(true);
  });
  it('name each env var once', () => {
    const names = ENV_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('config model', () => {
  it("defaults pass their own type checks and match kube-vip where kube-vip has a default, but the lease timings (ours: the fault table's)", () => {
    const defaults = defaultValues();
    expect(defaults).toEqual(defaultsOf(valuesSchema));
    expect(defaults.controlPlane.leaderElection).toMatchObject({
      leaseDurationSeconds: 6,
      renewDeadlineSeconds: 2,
      retryPeriodSeconds: 1,
    });
    expect(defaults.image).toEqual({
      repository: 'ghcr.io/kube-vip/kube-vip',
      iptablesRepository: 'ghcr.io/kube-vip/kube-vip-iptables',
      tag: 'v1.2.3',
      variant: 'auto',
      pullPolicy: 'IfNotPresent',
      digest: '',
      pullSecrets: [],
    });
  });
  it('merges values files as Helm does: maps by key, lists replaced', () => {
    const merged = resolveValues(
      { cluster: { podCIDRs: ['10.0.0.0/16'] }, controlPlane: { port: 7443 } },
      { cluster: { podCIDRs: ['10.1.0.0/16'] } },
    );
    expect(merged.cluster.podCIDRs).toEqual(['10.1.0.0/16']);
    expect(merged.controlPlane.port).toBe(7443);
    expect(merged.controlPlane.leaderElection.enabled).toBe(true);
  });
});

describe('RBAC tables', () => {
  // A grant whose scope has no role in its plan would be dropped without a word.
  it.each([
    ['kube-vip', RBAC_GRANTS, ROLE_PLAN],
    ['the cloud provider', CLOUD_PROVIDER_GRANTS, CLOUD_PROVIDER_PLAN.roles],
  ] as const)('every scope %s is granted in has a role in its plan', (_, grants, plan) => {
    const scopes = new Set(plan.map((role) => role.scope));
    expect(grants.filter((g) => !scopes.has(g.scope)).map((g) => g.why)).toEqual([]);
  });
});
