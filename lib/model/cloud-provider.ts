import { expr } from '../expr/value';

/**
 * What kube-vip-cloud-provider's objects are called when we deploy it (ipam.cloudProvider):
 * <name>-cloud-provider, and <name>-cloud-provider-pools for the Role that reads the pools.
 * A node group of one of these names would give its DaemonSet and RBAC the same names.
 */
const SUFFIX = 'cloud-provider';
const POOLS_SUFFIX = `${SUFFIX}-pools`;

export const CLOUD_PROVIDER_NAMES = {
  name: expr.format(`%s-${SUFFIX}`, expr.read('values.name')),
  poolsRole: expr.format(`%s-${POOLS_SUFFIX}`, expr.read('values.name')),
} as const;

export const RESERVED_GROUP_NAMES: readonly string[] = [SUFFIX, POOLS_SUFFIX];
