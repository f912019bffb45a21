import { Grant, GrantScope, RBAC_GRANTS } from '../kube-vip/rbac';
import { holds } from '../expr/cond';
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

/** Names and namespaces of the roles a workload may get; the Helm templates follow the same plan. */
export function rolePlan(values: KubeVipValues, workload: Workload) {
  return [
    { scope: GrantScope.CLUSTER, kind: 'ClusterRole', name: workload.name, namespace: undefined },
    { scope: GrantScope.OWN_NAMESPACE, kind: 'Role', name: workload.name, namespace: values.namespace },
    // kube-vip may itself run in kube-system; the separate name keeps the two Roles apart.
    { scope: GrantScope.KUBE_SYSTEM, kind: 'Role', name: `${workload.name}-egress`, namespace: 'kube-system' },
  ] as const;
}

/** ServiceAccount, then each role that has rules, each followed by its binding. */
export function rbacManifests(values: KubeVipValues, workload: Workload): Json[] {
  const labels = workloadLabels(values, workload);
  const subject = { kind: 'ServiceAccount', name: workload.name, namespace: values.namespace };
  const objects: Json[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: workload.name, namespace: values.namespace, labels },
      automountServiceAccountToken: true,
    },
  ];
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
