import { KubeVipValues } from '../model/values';
import { labels } from './labels';

/** The app.kubernetes.io/component of our pools ConfigMap, which is how `check` finds it wherever it is. */
export const IPAM_COMPONENT = 'ipam';

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
    // Where the cloud provider reads it (ipam.configMap): its own default, or where its chart points it.
    metadata: {
      name: values.ipam.configMap.name,
      namespace: values.ipam.configMap.namespace,
      labels: labels(values, values.name, IPAM_COMPONENT),
    },
    data: ipamData(values.ipam),
  };
}
