/**
 * Facts about kube-vip-cloud-provider (v0.0.12), the IPAM that reads our pools ConfigMap.
 *
 * For a Service in namespace N it takes the first of these keys that is set, and only that one
 * (pkg/provider/loadBalancer.go, discoverPool): a pool later in the list is never used while an
 * earlier one exists. Shown with the real binary in test/kube-vip/services-ipam.test.ts.
 */
export const IPAM_POOL_ORDER = ['cidr-<namespace>', 'cidr-global', 'range-<namespace>', 'range-global'] as const;
