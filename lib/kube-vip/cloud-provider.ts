import { Cond, when } from '../expr/cond';
import { expr } from '../expr/value';
import { EnvRule } from './env';
import { Grant, GrantScope } from './rbac';

/**
 * Facts about kube-vip-cloud-provider (v0.0.12), the IPAM that reads our pools ConfigMap.
 *
 * For a Service in namespace N it takes the first of these keys that is set, and only that one
 * (pkg/provider/loadBalancer.go, discoverPool): a pool later in the list is never used while an
 * earlier one exists. Shown with the real binary in test/kube-vip/services-ipam.test.ts.
 */
export const IPAM_POOL_ORDER = ['cidr-<namespace>', 'cidr-global', 'range-<namespace>', 'range-global'] as const;

/**
 * The ConfigMap kube-vip-cloud-provider reads its pools from: the one its env names
 * (KUBEVIP_CONFIG_MAP in KUBEVIP_NAMESPACE), by default kubevip in kube-system
 * (pkg/provider/provider.go). Its Helm chart sets both, to <chart name>-cm in the release namespace.
 */
export const CLOUD_PROVIDER_CONFIG_MAP = {
  env: { name: 'KUBEVIP_CONFIG_MAP', namespace: 'KUBEVIP_NAMESPACE' },
  default: { name: 'kubevip', namespace: 'kube-system' },
  chartName: 'kube-vip-cloud-provider-cm',
} as const;

/**
 * ipam-pool-shadowed: kube-vip-cloud-provider reads one pool per Service, the first set of
 * IPAM_POOL_ORDER (CIDRs before ranges, a namespace's CIDRs before the global ones), so ranges
 * behind a CIDR pool that applies to the same Services are never handed out. The texts take the
 * shadowing field and namespace as arguments, so the chart's generated check uses them too.
 */
export const POOL_SHADOWED = {
  rule: 'ipam-pool-shadowed',
  message: (shadow: string) =>
    `is never used: kube-vip-cloud-provider takes ${shadow} first (it reads ${IPAM_POOL_ORDER.join(', then ')}, the first that is set)`,
  globalFix: 'write the global pool as cidrs or as ranges, not both',
  namespaceFix: (namespace: string, shadow: string) => `give namespace ${namespace} its pool as cidrs, or write ${shadow} as ranges`,
} as const;

/**
 * The release of kube-vip-cloud-provider we deploy (ipam.cloudProvider) and its image, as its own
 * manifest names it (manifest/kube-vip-cloud-controller.yaml). The tests run this release.
 */
export const CLOUD_PROVIDER_IMAGE = { repository: 'ghcr.io/kube-vip/kube-vip-cloud-provider', tag: 'v0.0.12' } as const;

/** Its default tolerations: the control-plane taint, so it runs while a cluster has no other nodes. */
export const CLOUD_PROVIDER_TOLERATIONS = [
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
] as const;

/**
 * The image's user is distroless's `nonroot` (Dockerfile: USER nonroot:nonroot, uid and gid
 * 65532). The kubelet can prove runAsNonRoot only for a numeric uid, so the uid is written out.
 * The binary writes nothing to disk: its serving certificate is made in memory.
 */
export const CLOUD_PROVIDER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/**
 * Its command. It is a cloud-controller-manager (k8s.io/cloud-provider) running only the service
 * controller, and it elects a leader with a Lease, so replicas may be more than one. The
 * framework's lease is cloud-controller-manager in kube-system whatever the deployment's
 * namespace (its own manifest names it kube-vip-cloud-controller); both are given, so each
 * deployment elects on a lease of its own, in its own namespace, where its Role is.
 */
export const CLOUD_PROVIDER_COMMAND = {
  binary: '/kube-vip-cloud-provider',
  leaseNameFlag: '--leader-elect-resource-name',
  leaseNamespaceFlag: '--leader-elect-resource-namespace',
} as const;

/**
 * Its HTTPS health endpoint (k8s.io/cloud-provider: port 10258, /healthz always allowed without
 * credentials, certificate made in memory): what the liveness probe asks.
 */
export const CLOUD_PROVIDER_HEALTH = { port: 10258, path: '/healthz', scheme: 'HTTPS' } as const;

/** kube-vip serves Services without a class (pkg/services/watch_services.go lbClassFilter, lbClassFilterLegacy). */
const kubeVipServesClassless = when.any(
  when.all(when.set('values.services.loadBalancerClass.legacyHandling'), when.not(when.set('values.services.loadBalancerClass.only'))),
  when.all(
    when.not(when.set('values.services.loadBalancerClass.legacyHandling')),
    when.not(when.set('values.services.loadBalancerClass.name')),
  ),
);

/**
 * Which Services it gives addresses to. By default the framework's service controller serves
 * Services without a loadBalancerClass and no others; with KUBEVIP_ENABLE_LOADBALANCERCLASS it
 * serves only Services of one class (KUBEVIP_CUSTOM_LOADBALANCERCLASS_NAME) instead (main.go,
 * pkg/provider/provider.go, loadbalancerclass.go). kube-vip serves Services without a class
 * unless lb_class_only is set, or, without legacy handling, when it has a class name. So the
 * provider serves kube-vip's class exactly when kube-vip ignores Services without one; when
 * kube-vip serves both, the provider serves those without a class, and Services of kube-vip's
 * class need their address written (kube-vip.io/loadbalancerIPs).
 */
export const CLOUD_PROVIDER_CLASS_MODE: Cond = when.all(
  // With services off kube-vip serves none, and its class settings are not its own (ipam-without-services warns).
  when.set('values.services.enabled'),
  when.not(kubeVipServesClassless),
);

/** Its env, on the language of ENV_RULES: where it reads the pools, and which Services it serves. */
export const CLOUD_PROVIDER_ENV: readonly EnvRule[] = [
  { name: CLOUD_PROVIDER_CONFIG_MAP.env.namespace, from: { path: 'values.ipam.configMap.namespace' } },
  { name: CLOUD_PROVIDER_CONFIG_MAP.env.name, from: { path: 'values.ipam.configMap.name' } },
  { name: 'KUBEVIP_ENABLE_LOADBALANCERCLASS', from: { test: CLOUD_PROVIDER_CLASS_MODE } },
  {
    name: 'KUBEVIP_CUSTOM_LOADBALANCERCLASS_NAME',
    when: CLOUD_PROVIDER_CLASS_MODE,
    from: { path: 'values.services.loadBalancerClass.name' },
  },
];

const always = when.all();

/**
 * The API calls it makes, on the language of RBAC_GRANTS: the service controller of
 * k8s.io/cloud-provider v0.32 (informers on Services and Nodes; status and the cleanup finalizer
 * patched through services/status; events created and patched), its leader election, and its own
 * code (it writes the address into the Service with an update, and reads the pools ConfigMap with
 * a get each time).
 * It would create an empty ConfigMap where none is found; we write that ConfigMap, so it gets no
 * create: an empty one made first would stand in Helm's way. Shown sufficient on the real binary
 * in test/kube-vip/cloud-provider.test.ts (nothing refused in its log while it assigns an address
 * and lets a deleted Service go); without any one of these grants it was refused there.
 */
export const CLOUD_PROVIDER_GRANTS: readonly Grant[] = [
  {
    scope: GrantScope.CLUSTER,
    when: always,
    apiGroups: [''],
    resources: ['services'],
    verbs: ['get', 'list', 'watch', 'update'],
    why: "watch LoadBalancer Services and write the address it picks into kube-vip's annotation",
  },
  {
    scope: GrantScope.CLUSTER,
    when: always,
    apiGroups: [''],
    resources: ['services/status'],
    verbs: ['patch'],
    why: 'the service controller patches the status and its cleanup finalizer, both through the status subresource',
  },
  {
    scope: GrantScope.CLUSTER,
    // In class mode the framework's controller is not started, and its own reads no nodes.
    when: when.not(CLOUD_PROVIDER_CLASS_MODE),
    apiGroups: [''],
    resources: ['nodes'],
    verbs: ['list', 'watch'],
    why: "the service controller's node informer (load-balancer hosts)",
  },
  {
    scope: GrantScope.CLUSTER,
    when: always,
    apiGroups: [''],
    resources: ['events'],
    verbs: ['create', 'patch'],
    why: 'it records what it did to each Service, and leader changes, as events (core/v1 Events)',
  },
  {
    scope: GrantScope.OWN_NAMESPACE,
    when: always,
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'create', 'update'],
    why: 'leader election among its replicas',
  },
  {
    scope: GrantScope.POOLS_NAMESPACE,
    when: always,
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: [expr.read('values.ipam.configMap.name')],
    verbs: ['get'],
    why: 'it reads the pools ConfigMap, that one only, each time it picks an address',
  },
];
