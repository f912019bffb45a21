import { Grant, GrantScope, RBAC_GRANTS } from '../kube-vip/rbac';
import { holds } from '../expr/cond';
import { evaluate, Expr, expr } from '../expr/value';
import { nonEmpty } from '../model/plain';
import { KubeVipValues } from '../model/values';
import { workloadLabels } from './labels';
import { Workload } from '../model/workloads';

type Json = Record<string, unknown>;

export function grantsFor(values: KubeVipValues, workload: Workload, scope: GrantScope): Grant[] {
  return RBAC_GRANTS.filter((grant) => grant.scope === scope && holds(grant.when, { values, workload }));
}

function rules(grants: Grant[]): Json[] {
  return grants.map((g) => ({ apiGroups: [...g.apiGroups], resources: [...g.resources], verbs: [...g.verbs] }));
}

/** A role a workload may get: it exists when a grant of its scope applies. */
export interface RoleSlot {
  readonly scope: GrantScope;
  readonly kind: 'ClusterRole' | 'Role';
  readonly name: Expr;
  /** A Role's namespace; a ClusterRole has none. */
  readonly namespace?: Expr;
}

/** The roles of a workload, as data: the chart's kube-vip.rolePlan is generated from it. */
export const ROLE_PLAN: readonly RoleSlot[] = [
  { scope: GrantScope.CLUSTER, kind: 'ClusterRole', name: expr.read('workload.name') },
  { scope: GrantScope.OWN_NAMESPACE, kind: 'Role', name: expr.read('workload.name'), namespace: expr.read('workload.leaseNamespace') },
  // kube-vip may itself run in kube-system; the separate name keeps the two Roles apart.
  {
    scope: GrantScope.KUBE_SYSTEM,
    kind: 'Role',
    name: expr.format('%s-egress', expr.read('workload.name')),
    namespace: expr.literal('kube-system'),
  },
];

export function rolePlan(values: KubeVipValues, workload: Workload) {
  const scope = { values, workload };
  return ROLE_PLAN.map((role) => ({
    scope: role.scope,
    kind: role.kind,
    name: String(evaluate(role.name, scope)),
    namespace: role.namespace ? String(evaluate(role.namespace, scope)) : undefined,
  }));
}

/** The ServiceAccount (unless an existing one is used), then each role that has rules, each followed by its binding. */
export function rbacManifests(values: KubeVipValues, workload: Workload): Json[] {
  const labels = workloadLabels(values, workload);
  const subject = { kind: 'ServiceAccount', name: workload.serviceAccountName, namespace: values.namespace };
  const objects: Json[] = [];
  if (values.serviceAccount.create) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: workload.serviceAccountName,
        namespace: values.namespace,
        labels,
        ...nonEmpty('annotations', values.serviceAccount.annotations),
      },
      automountServiceAccountToken: true,
    });
  }
  for (const role of rolePlan(values, workload)) {
    const grants = grantsFor(values, workload, role.scope);
    if (grants.length === 0) continue;
    const metadata = { name: role.name, ...(role.namespace ? { namespace: role.namespace } : {}), labels };
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: role.kind, metadata, rules: rules(grants) });
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: `${role.kind}Binding`,
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: role.name },
      subjects: [subject],
    });
  }
  return objects;
}
