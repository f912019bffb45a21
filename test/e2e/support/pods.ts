import { KubeObject } from './kube';

type Json = Record<string, any>;

/** A pod kube-vip would run, as the API server would see it: from a DaemonSet or a static pod. */
export interface PodToCheck {
  /** e.g. "DaemonSet kube-system/kube-vip" or "static pod kube-system/kube-vip". */
  readonly source: string;
  readonly spec: Json;
  /** The Pod object for a namespace (the DaemonSet's own namespace when none is given). */
  pod(namespace?: string): KubeObject;
}

/** Where the kubelet's mirror pods say they come from; any node name does for validation. */
export const MIRROR_POD_NODE = 'control-plane-1';

/** The Pod the DaemonSet controller would create from the template. */
export function podOfDaemonSet(daemonSet: Json): PodToCheck {
  const { name, namespace } = daemonSet.metadata;
  const spec = daemonSet.spec.template.spec;
  return {
    source: `DaemonSet ${namespace}/${name}`,
    spec,
    pod: (ns = namespace) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: daemonSet.spec.template.metadata.labels },
      spec,
    }),
  };
}

/**
 * The mirror pod the kubelet creates for a static pod (annotation plus spec.nodeName, as the
 * kubelet sets them). This is how the API server sees a static pod, and a mirror pod is
 * checked more strictly than a plain one: it may not reference Secrets, ConfigMaps or a
 * ServiceAccount, which the node could not resolve for it.
 */
export function podOfStaticPod(staticPod: Json): PodToCheck {
  const { namespace } = staticPod.metadata;
  const spec = staticPod.spec;
  return {
    source: `static pod ${namespace}/${staticPod.metadata.name}`,
    spec,
    pod: (ns = namespace) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...staticPod.metadata,
        namespace: ns,
        annotations: { ...staticPod.metadata.annotations, 'kubernetes.io/config.mirror': 'e2e', 'kubernetes.io/config.source': 'file' },
      },
      spec: { ...spec, nodeName: MIRROR_POD_NODE },
    }),
  };
}

/** Every pod a synthesised config would run. */
export function podsOf(output: { cluster: Json[]; staticPods: Json[] }): PodToCheck[] {
  return [...output.cluster.filter((o) => o.kind === 'DaemonSet').map(podOfDaemonSet), ...output.staticPods.map(podOfStaticPod)];
}
