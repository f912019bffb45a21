import { KUBECONFIG_HOST_PATHS } from '../kube-vip/defaults';
import { KubeVipValues } from '../model/values';
import { renderEnv } from './env';
import { selectorLabels, workloadLabels } from './labels';
import { Workload, WorkloadKind } from './workload';

type Json = Record<string, unknown>;

/**
 * Only control-plane: kubeadm stopped setting the old master label in 1.24, below the chart's
 * minimum, and the API server warns about every object that still selects on it.
 */
const CONTROL_PLANE_NODE_LABELS = ['node-role.kubernetes.io/control-plane'];

/**
 * NET_ADMIN and NET_RAW are all kube-vip needs to add addresses, send ARP and speak BGP.
 * Masquerade forwarding needs privileged, and Kubernetes refuses privileged together with
 * allowPrivilegeEscalation: false, so that case sets nothing else.
 */
export const SECURITY_CONTEXTS = {
  unprivileged: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
  privileged: { privileged: true },
} as const;

/** Where a DaemonSet that serves the control plane runs unless the user says otherwise: control-plane nodes, taints or not. */
export const CONTROL_PLANE_SCHEDULING = {
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: CONTROL_PLANE_NODE_LABELS.map((key) => ({ matchExpressions: [{ key, operator: 'Exists' }] })),
      },
    },
  },
  tolerations: [
    { effect: 'NoSchedule', operator: 'Exists' },
    { effect: 'NoExecute', operator: 'Exists' },
  ],
} as const;

function securityContext(workload: Workload): Json {
  return structuredClone(workload.privileged ? SECURITY_CONTEXTS.privileged : SECURITY_CONTEXTS.unprivileged) as Json;
}

function container(values: KubeVipValues, workload: Workload): Json {
  return {
    name: 'kube-vip',
    image: workload.image.reference,
    imagePullPolicy: values.image.pullPolicy,
    args: ['manager'],
    env: renderEnv(values, workload),
    ports: [{ name: 'metrics', containerPort: workload.metricsPort, protocol: 'TCP' }],
    resources: values.resources,
    securityContext: securityContext(workload),
    ...(workload.kind === WorkloadKind.STATIC_POD
      ? { volumeMounts: [{ name: 'kubeconfig', mountPath: KUBECONFIG_HOST_PATHS.admin, readOnly: true }] }
      : {}),
  };
}

function scheduling(values: KubeVipValues, workload: Workload): Json {
  const { nodeSelector, tolerations, affinity } = values.scheduling;
  const defaults = workload.controlPlane ? structuredClone(CONTROL_PLANE_SCHEDULING) : undefined;
  const chosenAffinity = Object.keys(affinity).length > 0 ? affinity : defaults?.affinity;
  const chosenTolerations = tolerations.length > 0 ? tolerations : defaults?.tolerations;
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
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
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: workload.name,
          automountServiceAccountToken: true,
          hostNetwork: true,
          ...(values.scheduling.priorityClassName ? { priorityClassName: values.scheduling.priorityClassName } : {}),
          ...scheduling(values, workload),
          containers: [container(values, workload)],
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
    metadata: { name: workload.name, namespace: values.namespace, labels: workloadLabels(values, workload) },
    spec: {
      hostNetwork: true,
      hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }],
      ...(values.scheduling.priorityClassName ? { priorityClassName: values.scheduling.priorityClassName } : {}),
      containers: [container(values, workload)],
      volumes: [
        { name: 'kubeconfig', hostPath: { path: KUBECONFIG_HOST_PATHS[values.controlPlane.kubeconfig], type: 'File' } },
      ],
    },
  };
}
