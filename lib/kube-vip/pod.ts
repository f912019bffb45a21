/** What kube-vip's pod needs from Kubernetes, wherever it runs. */

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
