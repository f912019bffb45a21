import { KUBECONFIG_HOST_PATHS } from '../kube-vip/defaults';
import { CONTROL_PLANE_SCHEDULING, SECURITY_CONTEXTS } from '../kube-vip/pod';
import { KubeVipValues } from '../model/values';
import { renderEnv } from './env';
import { selectorLabels, workloadLabels } from './labels';
import { Workload, WorkloadKind } from '../model/workloads';

type Json = Record<string, unknown>;

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
      volumes: [{ name: 'kubeconfig', hostPath: { path: KUBECONFIG_HOST_PATHS[values.controlPlane.kubeconfig], type: 'File' } }],
    },
  };
}
