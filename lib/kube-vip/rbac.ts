import { Cond, when } from '../expr/cond';
import { Expr } from '../expr/value';

/**
 * The API calls kube-vip makes, by feature (from its source: client-go LeaseLock, the Service
 * and EndpointSlice watchers, node labelling, egress CIDR discovery). Each grant is given only
 * when a feature of the workload needs it, at the narrowest scope that works.
 */
export enum GrantScope {
  /** ClusterRole: objects in any namespace, or cluster-scoped ones. */
  CLUSTER = 'cluster',
  /** Role in kube-vip's own namespace. */
  OWN_NAMESPACE = 'ownNamespace',
  /** Role in kube-system, whatever kube-vip's namespace (egress CIDR discovery, P3). */
  KUBE_SYSTEM = 'kubeSystem',
  /** Role in the namespace of the pools ConfigMap (ipam.configMap.namespace), for kube-vip-cloud-provider. */
  POOLS_NAMESPACE = 'poolsNamespace',
  /** Role in the one namespace whose Services kube-vip watches (services.watchNamespace), when it names one. */
  WATCHED_NAMESPACE = 'watchedNamespace',
}

export interface Grant {
  readonly scope: GrantScope;
  readonly when: Cond;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  /** The only objects it may touch, by name; none = every object of these resources in its scope. */
  readonly resourceNames?: readonly Expr[];
  readonly verbs: readonly string[];
  readonly why: string;
}

const svc = when.set('workload.services');
const usesOwnNamespaceLease = when.any(
  when.all(when.set('workload.controlPlane'), when.set('values.controlPlane.leaderElection.enabled')),
  when.all(svc, when.not(when.set('values.services.election'))),
);

export const RBAC_GRANTS: readonly Grant[] = [
  {
    scope: GrantScope.CLUSTER,
    when: svc,
    apiGroups: [''],
    resources: ['services'],
    verbs: ['get', 'list', 'watch', 'update'],
    why: 'watch LoadBalancer Services and annotate the one it serves',
  },
  {
    scope: GrantScope.CLUSTER,
    when: svc,
    apiGroups: [''],
    resources: ['services/status'],
    verbs: ['update'],
    why: 'publish the announced address in status.loadBalancer',
  },
  {
    scope: GrantScope.CLUSTER,
    when: svc,
    apiGroups: ['discovery.k8s.io'],
    resources: ['endpointslices'],
    verbs: ['get', 'list', 'watch'],
    why: 'follow endpoints for externalTrafficPolicy Local and egress',
  },
  {
    scope: GrantScope.CLUSTER,
    when: svc,
    apiGroups: [''],
    resources: ['endpoints'],
    verbs: ['get', 'list', 'watch'],
    why: 'kube-vip before v1.0 and enable_endpoints read Endpoints instead of EndpointSlices',
  },
  {
    scope: GrantScope.CLUSTER,
    when: when.all(svc, when.set('values.services.election'), when.not(when.set('values.services.watchNamespace'))),
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'create', 'update'],
    why: "per-Service leases live in each Service's namespace, and kube-vip watches Services in every namespace",
  },
  {
    scope: GrantScope.WATCHED_NAMESPACE,
    when: when.all(svc, when.set('values.services.election'), when.set('values.services.watchNamespace')),
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'create', 'update'],
    why: 'per-Service leases live in the namespace of their Service, the one namespace kube-vip watches',
  },
  {
    scope: GrantScope.CLUSTER,
    when: when.all(svc, when.set('values.services.nodeLabeling')),
    apiGroups: [''],
    resources: ['nodes'],
    verbs: ['get', 'patch'],
    why: 'label the node holding an address with kube-vip.io/has-ip',
  },
  {
    scope: GrantScope.CLUSTER,
    when: when.all(when.set('workload.controlPlane'), when.set('values.controlPlane.loadBalancer.enabled')),
    apiGroups: [''],
    resources: ['nodes'],
    verbs: ['get', 'list', 'watch'],
    why: 'the IPVS load balancer follows control-plane nodes as backends',
  },
  {
    scope: GrantScope.OWN_NAMESPACE,
    when: usesOwnNamespaceLease,
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'create', 'update'],
    why: "the control-plane and global Services leases live in the pod's own namespace",
  },
  {
    scope: GrantScope.KUBE_SYSTEM,
    when: when.all(svc, when.set('values.egress.enabled')),
    apiGroups: [''],
    resources: ['pods'],
    verbs: ['list'],
    why: "egress CIDR discovery reads kube-controller-manager's flags; without it stale rules stay (P3)",
  },
];
