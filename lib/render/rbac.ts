import { Grant, GrantScope, RBAC_GRANTS } from '../kube-vip/rbac';
import { holds, Scope } from '../expr/cond';
import { evaluate, Expr, expr } from '../expr/value';
import { nonEmpty } from '../model/plain';
import { KubeVipValues } from '../model/values';
import { workloadLabels } from './labels';
import { Workload } from '../model/workloads';

type Json = Record<string, unknown>;

function applicable(grants: readonly Grant[], scope: Scope, role: GrantScope): Grant[] {
  return grants.filter((grant) => grant.scope === role && holds(grant.when, scope));
}

/** A role's rules: each grant as written, its resourceNames evaluated. */
export function rules(grants: readonly Grant[], scope: Scope): Json[] {
  return grants.map((g) => ({
    apiGroups: [...g.apiGroups],
    resources: [...g.resources],
    ...(g.resourceNames ? { resourceNames: g.resourceNames.map((name) => String(evaluate(name, scope))) } : {}),
    verbs: [...g.verbs],
  }));
}

/** A role a workload (or the cloud provider) may get: it exists when a grant of its scope applies. */
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
  // The watched namespace may be kube-vip's own: the separate name keeps the two Roles apart.
  {
    scope: GrantScope.WATCHED_NAMESPACE,
    kind: 'Role',
    name: expr.format('%s-service-leases', expr.read('workload.name')),
    namespace: expr.read('values.services.watchNamespace'),
  },
  // kube-vip may itself run in kube-system; the separate name keeps the two Roles apart.
  {
    scope: GrantScope.KUBE_SYSTEM,
    kind: 'Role',
    name: expr.format('%s-egress', expr.read('workload.name')),
    namespace: expr.literal('kube-system'),
  },
];

/** A plan's roles with their names and namespaces, for one scope. */
export function rolesOf(plan: readonly RoleSlot[], scope: Scope) {
  return plan.map((role) => ({
    scope: role.scope,
    kind: role.kind,
    name: String(evaluate(role.name, scope)),
    namespace: role.namespace ? String(evaluate(role.namespace, scope)) : undefined,
  }));
}

export function rolePlan(values: KubeVipValues, workload: Workload) {
  return rolesOf(ROLE_PLAN, { values, workload });
}

/** The account an RBAC plan binds, and whether to create it. */
export interface Account {
  readonly name: string;
  readonly namespace: string;
  readonly create: boolean;
  readonly annotations?: Record<string, string>;
}

/** The ServiceAccount (unless an existing one is used), then each role that has rules, each followed by its binding. */
export function rbacObjects(
  plan: readonly RoleSlot[],
  grants: readonly Grant[],
  scope: Scope,
  account: Account,
  labels: Record<string, string>,
): Json[] {
  const subject = { kind: 'ServiceAccount', name: account.name, namespace: account.namespace };
  const objects: Json[] = [];
  if (account.create) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: account.name, namespace: account.namespace, labels, ...nonEmpty('annotations', account.annotations ?? {}) },
      automountServiceAccountToken: true,
    });
  }
  for (const role of rolesOf(plan, scope)) {
    const given = applicable(grants, scope, role.scope);
    if (given.length === 0) continue;
    const metadata = { name: role.name, ...(role.namespace ? { namespace: role.namespace } : {}), labels };
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: role.kind, metadata, rules: rules(given, scope) });
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

/** A kube-vip DaemonSet's ServiceAccount and roles. */
export function rbacManifests(values: KubeVipValues, workload: Workload): Json[] {
  const account = {
    name: workload.serviceAccountName,
    namespace: values.namespace,
    create: values.serviceAccount.create,
    annotations: values.serviceAccount.annotations,
  };
  return rbacObjects(ROLE_PLAN, RBAC_GRANTS, { values, workload }, account, workloadLabels(values, workload));
}
