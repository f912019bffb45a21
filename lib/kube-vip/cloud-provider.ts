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
