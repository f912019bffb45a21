import { IPAM_CONFIG_MAP } from '../../render/ipam';
import { parseGoBool } from '../args';
import { objectName, SourcedObject } from './documents';
import { FieldOrigin } from './findings';

/**
 * kube-vip-cloud-provider's ConfigMap read back into the model's `ipam` section (the inverse of
 * lib/render/ipam.ts), so the pools are checked against the cluster's addresses (P4).
 */
export function ipamFromConfigMap(objects: readonly SourcedObject[]): { input: Record<string, unknown>; origins: Map<string, FieldOrigin> } | undefined {
  const found = objects.find(
    (o) => o.object.kind === 'ConfigMap' && o.object.metadata?.name === IPAM_CONFIG_MAP.name && o.object.metadata?.namespace === IPAM_CONFIG_MAP.namespace,
  );
  if (!found) return undefined;
  const data: Record<string, unknown> = found.object.data ?? {};
  const origins = new Map<string, FieldOrigin>();
  const at = (key: string): FieldOrigin => ({ source: found.source, object: objectName(found.object), field: `data.${key}` });
  const global: Record<string, string[]> = {};
  const namespaces: Record<string, Record<string, string[]>> = {};
  for (const [key, value] of Object.entries(data)) {
    const match = /^(cidr|range)-(.+)$/.exec(key);
    if (!match) continue;
    const list = String(value).split(',').map((v) => v.trim()).filter(Boolean);
    const kind = match[1] === 'cidr' ? 'cidrs' : 'ranges';
    const scope = match[2];
    if (scope === 'global') {
      global[kind] = list;
      origins.set(`ipam.global.${kind}`, at(key));
    } else {
      (namespaces[scope] ??= {})[kind] = list;
      origins.set(`ipam.namespaces.${scope}.${kind}`, at(key));
    }
  }
  const skip = 'skip-end-ips-in-cidr';
  origins.set('ipam.skipEndIPsInCIDR', at(skip));
  // Without the key, kube-vip-cloud-provider hands out every address of a CIDR, the ends included.
  const skipEnds = parseGoBool(String(data[skip] ?? 'false')) ?? false;
  return { input: { enabled: true, global, namespaces, skipEndIPsInCIDR: skipEnds }, origins };
}
