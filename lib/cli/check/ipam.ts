import { CLOUD_PROVIDER_CONFIG_MAP } from '../../kube-vip/cloud-provider';
import { IPAM_COMPONENT } from '../../render/ipam';
import { parseGoBool } from '../args';
import { objectName, SourcedObject } from './documents';
import { FieldOrigin } from './findings';

/**
 * kube-vip-cloud-provider's ConfigMap read back into the model's `ipam` section (the inverse of
 * lib/render/ipam.ts), so the pools are checked against the cluster's addresses (P4).
 */
export function ipamFromConfigMap(
  objects: readonly SourcedObject[],
): { input: Record<string, unknown>; origins: Map<string, FieldOrigin> } | undefined {
  const found = poolsConfigMap(objects);
  if (!found) return undefined;
  const data: Record<string, unknown> = found.object.data ?? {};
  const origins = new Map<string, FieldOrigin>();
  const at = (key: string): FieldOrigin => ({ source: found.source, object: objectName(found.object), field: `data.${key}` });
  const global: Record<string, string[]> = {};
  const namespaces: Record<string, Record<string, string[]>> = {};
  for (const [key, value] of Object.entries(data)) {
    const match = /^(cidr|range)-(.+)$/.exec(key);
    if (!match) continue;
    const list = String(value)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
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
  // Where it was found is where the cloud provider reads it: a values file written from it keeps that.
  const configMap = { name: found.object.metadata?.name, namespace: found.object.metadata?.namespace ?? 'default' };
  return { input: { enabled: true, configMap, global, namespaces, skipEndIPsInCIDR: skipEnds }, origins };
}

/**
 * The ConfigMap the cloud provider reads: the one a cloud-provider container in the input names
 * in its env, else the default (kubevip in kube-system), else ours wherever ipam.configMap put it,
 * else the one its Helm chart makes.
 */
function poolsConfigMap(objects: readonly SourcedObject[]): SourcedObject | undefined {
  const { env, default: fallback, chartName } = CLOUD_PROVIDER_CONFIG_MAP;
  const configMaps = objects.filter((o) => o.object.kind === 'ConfigMap');
  const named = (name: string, namespace?: string) =>
    configMaps.find(
      (o) => o.object.metadata?.name === name && (namespace === undefined || (o.object.metadata?.namespace ?? 'default') === namespace),
    );
  for (const o of objects) {
    for (const container of containersOf(o.object)) {
      // A Deployment may take the namespace from its own metadata (the downward API).
      const value = (key: string) => {
        const entry = (container.env ?? []).find((e) => e.name === key);
        return entry?.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace' ? (o.object.metadata?.namespace ?? 'default') : entry?.value;
      };
      const name = value(env.name);
      const namespace = value(env.namespace);
      if (name !== undefined || namespace !== undefined) return named(name || fallback.name, namespace || fallback.namespace);
    }
  }
  const ours = configMaps.find(
    (o) =>
      o.object.metadata?.labels?.['app.kubernetes.io/name'] === 'kube-vip' &&
      o.object.metadata?.labels?.['app.kubernetes.io/component'] === IPAM_COMPONENT,
  );
  return named(fallback.name, fallback.namespace) ?? ours ?? named(chartName);
}

type Container = { env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[] };

function containersOf(object: SourcedObject['object']): Container[] {
  const spec = object.kind === 'Pod' ? object.spec : object.spec?.template?.spec;
  return Array.isArray(spec?.containers) ? (spec.containers as Container[]) : [];
}
