import { IMAGES } from '../../kube-vip/defaults';
import { knownEnv } from '../kube-vip-env';
import { objectName, SourcedObject } from './documents';
import { Json } from '../json';

/** One kube-vip container and the pod it runs in. */
export interface KubeVipContainer {
  readonly source: string;
  readonly object: Json;
  /** e.g. `DaemonSet kube-system/kube-vip-ds`. */
  readonly name: string;
  readonly namespace: string;
  readonly podSpec: Json;
  readonly container: Json;
  /** A bare Pod with the control plane is a kubeadm static pod (kube-vip's `manifest pod`). */
  readonly isPod: boolean;
}

/** Where each kind of workload keeps its pod template. */
function podSpecOf(object: Json): Json | undefined {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'DaemonSet':
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template?.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** `ghcr.io/kube-vip/kube-vip-iptables:v1.2.3` -> `kube-vip-iptables`. */
export function imageName(image: unknown): string {
  const text = typeof image === 'string' ? image : '';
  const last = text.split('@')[0].split('/').pop() ?? '';
  return last.split(':')[0];
}

/** The tag of an image reference (empty when it has none, e.g. only a digest). */
export function imageTag(image: unknown): string {
  const text = typeof image === 'string' ? image : '';
  return text.split('@')[0].split('/').pop()?.split(':')[1] ?? '';
}

export const IMAGE_NAMES = {
  standard: imageName(IMAGES.standardRepository),
  iptables: imageName(IMAGES.iptablesRepository),
};

/** kube-vip by its image, or (a mirrored or renamed image) by the env vars that switch its features on. */
function isKubeVip(container: Json): boolean {
  if (Object.values(IMAGE_NAMES).includes(imageName(container.image))) return true;
  const switches = [knownEnv('cp_enable'), knownEnv('svc_enable')];
  return (container.env ?? []).some((e: Json) => switches.includes(e?.name));
}

export function findKubeVipContainers(objects: readonly SourcedObject[]): KubeVipContainer[] {
  const found: KubeVipContainer[] = [];
  for (const { source, object } of objects) {
    const podSpec = podSpecOf(object);
    if (!podSpec) continue;
    for (const container of [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])]) {
      if (container && typeof container === 'object' && isKubeVip(container)) {
        found.push({
          source,
          object,
          name: objectName(object),
          namespace: object.metadata?.namespace ?? 'default',
          podSpec,
          container,
          isPod: object.kind === 'Pod',
        });
      }
    }
  }
  return found;
}
