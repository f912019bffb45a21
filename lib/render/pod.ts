import { Cond, holds, when } from '../expr/cond';
import { HEALTH_ENDPOINT, KUBE_VIP_KUBECONFIG_PATH } from '../kube-vip/defaults';
import {
  CONTROL_PLANE_SCHEDULING,
  DEFAULT_UPDATE_STRATEGY,
  SECURITY_CONTEXTS,
  HOST_KUBECONFIG_VOLUME,
  LOCAL_API_SERVER_ALIAS,
  RUN_VOLUME,
} from '../kube-vip/pod';
import { nonEmpty } from '../model/plain';
import { KubeVipValues } from '../model/values';
import { renderEnv } from './env';
import { selectorLabels, workloadLabels } from './labels';
import { Workload } from '../model/workloads';

type Json = Record<string, unknown>;

function securityContext(workload: Workload): Json {
  return structuredClone(workload.privileged ? SECURITY_CONTEXTS.privileged : SECURITY_CONTEXTS.unprivileged) as Json;
}

const HEALTH: Cond = when.set('values.health.enabled');

/** The container's ports, each at a workload fact (host network: node ports). The chart's copy is generated. */
export const CONTAINER_PORTS: readonly { readonly name: string; readonly fact: 'metricsPort' | 'healthPort'; readonly when?: Cond }[] = [
  { name: 'metrics', fact: 'metricsPort' },
  { name: 'health', fact: 'healthPort', when: HEALTH },
];

/**
 * On kube-vip's health endpoint (HEALTH_ENDPOINT), which a follower answers as a leader does: the
 * kubelet restarts a kube-vip that stops serving, after 3 misses 10 s apart, never one that waits
 * for the lease. The chart's copy is generated.
 */
export const LIVENESS_PROBE = {
  when: HEALTH,
  probe: {
    httpGet: { path: HEALTH_ENDPOINT.path, port: 'health' },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold: 3,
  },
} as const;

function container(values: KubeVipValues, workload: Workload): Json {
  return {
    name: 'kube-vip',
    image: workload.image.reference,
    imagePullPolicy: values.image.pullPolicy,
    args: ['manager'],
    env: renderEnv(values, workload),
    ports: CONTAINER_PORTS.filter((p) => !p.when || holds(p.when, { values, workload })).map((p) => ({
      name: p.name,
      containerPort: workload[p.fact],
      protocol: 'TCP',
    })),
    ...(holds(LIVENESS_PROBE.when, { values, workload }) ? { livenessProbe: structuredClone(LIVENESS_PROBE.probe) } : {}),
    resources: values.resources,
    securityContext: securityContext(workload),
    ...nonEmpty('volumeMounts', [
      ...(workload.hostKubeconfig ? [{ name: HOST_KUBECONFIG_VOLUME, mountPath: KUBE_VIP_KUBECONFIG_PATH, readOnly: true }] : []),
      ...(workload.writableRun ? [structuredClone(RUN_VOLUME.mount)] : []),
      ...values.pod.volumeMounts,
    ]),
  };
}

/** With a host kubeconfig, `kubernetes` is this node's API server; then the user's aliases. */
function hostAliases(values: KubeVipValues, workload: Workload): Json[] {
  return [...(workload.hostKubeconfig ? [structuredClone(LOCAL_API_SERVER_ALIAS) as unknown as Json] : []), ...values.pod.hostAliases];
}

/**
 * The node's kubeconfig as a file (type File: a pod on a node without it does not start, loudly),
 * /run for the iptables image, then the user's volumes.
 */
function volumes(values: KubeVipValues, workload: Workload): Json[] {
  return [
    ...(workload.hostKubeconfig ? [{ name: HOST_KUBECONFIG_VOLUME, hostPath: { path: workload.hostKubeconfig, type: 'File' } }] : []),
    ...(workload.writableRun ? [structuredClone(RUN_VOLUME.volume) as Json] : []),
    ...values.pod.volumes,
  ];
}

/** image.pullSecrets, then Helm's global.imagePullSecrets, each a name or {name}, each once. */
export function pullSecretNames(values: KubeVipValues): string[] {
  const names = [...values.image.pullSecrets, ...values.global.imagePullSecrets].map((s) =>
    typeof s === 'string' ? s : String((s as { name?: unknown })?.name ?? ''),
  );
  return [...new Set(names)].filter((name) => name !== '');
}

function scheduling(values: KubeVipValues, workload: Workload): Json {
  const { tolerations, affinity } = values.scheduling;
  const nodeSelector = workload.nodeSelector;
  const defaults = workload.controlPlane ? structuredClone(CONTROL_PLANE_SCHEDULING) : undefined;
  const chosenAffinity = Object.keys(affinity).length > 0 ? affinity : defaults?.affinity;
  const chosenTolerations = tolerations.length > 0 ? tolerations : defaults?.tolerations;
  return {
    ...nonEmpty('nodeSelector', nodeSelector),
    ...(chosenAffinity ? { affinity: chosenAffinity } : {}),
    ...(chosenTolerations ? { tolerations: chosenTolerations } : {}),
  };
}

export function daemonSetManifest(values: KubeVipValues, workload: Workload): Json {
  const labels = workloadLabels(values, workload);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: workload.name, namespace: values.namespace, labels },
    spec: {
      selector: { matchLabels: selectorLabels(workload.name) },
      updateStrategy: Object.keys(values.updateStrategy).length > 0 ? values.updateStrategy : structuredClone(DEFAULT_UPDATE_STRATEGY),
      template: {
        metadata: { labels: { ...values.pod.labels, ...labels }, ...nonEmpty('annotations', values.pod.annotations) },
        spec: {
          serviceAccountName: workload.serviceAccountName,
          automountServiceAccountToken: true,
          hostNetwork: true,
          ...nonEmpty(
            'imagePullSecrets',
            pullSecretNames(values).map((name) => ({ name })),
          ),
          ...nonEmpty('hostAliases', hostAliases(values, workload)),
          ...(values.scheduling.priorityClassName ? { priorityClassName: values.scheduling.priorityClassName } : {}),
          ...scheduling(values, workload),
          containers: [container(values, workload)],
          ...nonEmpty('volumes', volumes(values, workload)),
        },
      },
    },
  };
}

/**
 * A kubeadm static pod: no ServiceAccount, so it reads a kubeconfig from the host, mounted
 * where kube-vip looks by default. During `kubeadm init` on >= 1.29 only super-admin.conf has
 * rights yet (P5). `kubernetes` must resolve to this node's API server, hence hostAliases.
 */
export function staticPodManifest(values: KubeVipValues, workload: Workload): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: workload.name,
      namespace: values.namespace,
      labels: { ...values.pod.labels, ...workloadLabels(values, workload) },
      ...nonEmpty('annotations', values.pod.annotations),
    },
    spec: {
      hostNetwork: true,
      hostAliases: hostAliases(values, workload),
      ...(values.scheduling.priorityClassName ? { priorityClassName: values.scheduling.priorityClassName } : {}),
      // The kubelet reads a static pod's priority here, not from its class (SYSTEM_PRIORITY_CLASSES).
      ...(workload.priority > 0 ? { priority: workload.priority } : {}),
      containers: [container(values, workload)],
      volumes: volumes(values, workload),
    },
  };
}
