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
