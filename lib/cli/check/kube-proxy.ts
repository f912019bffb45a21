import { isPlainObject } from '../../model/plain';
import { objectName, SourcedObject } from './documents';
import { FieldOrigin } from './findings';
import { parseYamlStream } from '../inputs';

/** Where kubeadm keeps kube-proxy's configuration: ConfigMap kube-system/kube-proxy, key config.conf. */
const KUBE_PROXY_CONFIG = { namespace: 'kube-system', name: 'kube-proxy', key: 'config.conf' } as const;

/**
 * kube-proxy's ConfigMap (kubectl get cm -n kube-system kube-proxy -o yaml) read into the
 * model's `cluster.kubeProxy` facts. An empty mode is kube-proxy's default on Linux, iptables.
 */
export function kubeProxyFromConfigMap(
  objects: readonly SourcedObject[],
): { facts: { mode: string; strictARP: boolean }; origin: FieldOrigin } | undefined {
  const found = objects.find(
    ({ object }) =>
      object.kind === 'ConfigMap' &&
      object.metadata?.name === KUBE_PROXY_CONFIG.name &&
      (object.metadata?.namespace ?? KUBE_PROXY_CONFIG.namespace) === KUBE_PROXY_CONFIG.namespace,
  );
  const text = found?.object.data?.[KUBE_PROXY_CONFIG.key];
  if (!found || typeof text !== 'string') return undefined;
  let config: unknown;
  try {
    // Inside a ConfigMap, but input all the same: the same limits and key checks as a file.
    [config] = parseYamlStream(text, `${found.source}: ${objectName(found.object)}`);
  } catch {
    return undefined;
  }
  if (!isPlainObject(config)) return undefined;
  const ipvs = isPlainObject(config.ipvs) ? config.ipvs : {};
  return {
    facts: { mode: typeof config.mode === 'string' && config.mode !== '' ? config.mode : 'iptables', strictARP: ipvs.strictARP === true },
    origin: { source: found.source, object: objectName(found.object), field: `data.${KUBE_PROXY_CONFIG.key}, ipvs.strictARP` },
  };
}
