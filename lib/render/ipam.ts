import { CLOUD_PROVIDER_CONFIG_MAP } from '../kube-vip/cloud-provider';
import { KubeVipValues } from '../model/values';
import { labels } from './labels';

/** kube-vip-cloud-provider reads exactly this ConfigMap: the name and namespace are fixed. */
/** Ours is where kube-vip-cloud-provider looks when nothing tells it otherwise. */
export const IPAM_CONFIG_MAP = CLOUD_PROVIDER_CONFIG_MAP.default;

export function ipamData(ipam: KubeVipValues['ipam']): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (key: string, list: readonly string[]) => {
    if (list.length > 0) data[key] = list.join(',');
  };
  put('cidr-global', ipam.global.cidrs);
  put('range-global', ipam.global.ranges);
  for (const [namespace, pool] of Object.entries(ipam.namespaces).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    put(`cidr-${namespace}`, pool.cidrs ?? []);
    put(`range-${namespace}`, pool.ranges ?? []);
    if (pool.allowShare) data[`allow-share-${namespace}`] = 'true';
    if (pool.interface) data[`interface-${namespace}`] = pool.interface;
  }
  data['skip-end-ips-in-cidr'] = String(ipam.skipEndIPsInCIDR);
  return data;
}

export function ipamManifest(values: KubeVipValues): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...IPAM_CONFIG_MAP, labels: labels(values, values.name, 'ipam') },
    data: ipamData(values.ipam),
  };
}
