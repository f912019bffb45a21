/** What kube-vip's pod needs from Kubernetes, wherever it runs. */

/**
 * Only control-plane: kubeadm stopped setting the old master label in 1.24, below the chart's
 * minimum, and the API server warns about every object that still selects on it.
 */
const CONTROL_PLANE_NODE_LABELS = ['node-role.kubernetes.io/control-plane'];

/**
 * NET_ADMIN and NET_RAW are all kube-vip needs to add addresses, send ARP and speak BGP.
 * Masquerade forwarding needs privileged, and Kubernetes refuses privileged together with
 * allowPrivilegeEscalation: false, so that case sets nothing else. kube-vip writes no file of its
 * own, so the root file system is read-only in both; a privileged container always runs without
 * seccomp, so only the other one names the runtime's default profile. Both are shown on real
 * kube-vip by the suite's kubelet stand-in, which applies them.
 */
export const SECURITY_CONTEXTS = {
  unprivileged: {
    allowPrivilegeEscalation: false,
    capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  privileged: { privileged: true, readOnlyRootFilesystem: true },
} as const;

/**
 * The iptables binaries take their lock in /run (xtables.lock), and with a read-only root file
 * system they cannot create it: iptables-legacy exits ("can't open lock file"), and kube-vip
 * then enforces no port security and writes no egress or masquerade rules (shown by running it,
 * test/kube-vip/port-security.test.ts). So a pod on the iptables image gets a small writable
 * /run. The ServiceAccount token (under /var/run, a link to /run there) is mounted over it, as
 * runtimes mount the shallower path first.
 */
export const RUN_VOLUME = {
  volume: { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
  mount: { name: 'run', mountPath: '/run' },
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

/**
 * The built-in PriorityClasses and their values (k8s.io/api/scheduling/v1: SystemCriticalPriority
 * is 2000000000, node-critical one more). The kubelet runs a static pod at the `priority` its
 * manifest writes and ignores `priorityClassName` (Kubernetes docs, node-pressure eviction), so
 * kubeadm writes both; the mirror pod's admission refuses a priority that differs from the class's.
 */
export const SYSTEM_PRIORITY_CLASSES = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 } as const;

/**
 * Where the kubelet mounts the ServiceAccount token in every container of a pod that has one:
 * client-go's in-cluster config reads it there, so a mount at or above it leaves kube-vip
 * without credentials.
 */
export const SERVICE_ACCOUNT_TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A DaemonSet changes one node at a time unless told otherwise, so a VIP always has a holder. */
export const DEFAULT_UPDATE_STRATEGY = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } as const;

/**
 * A pod that reads the node's kubeconfig (the static pod, and a control-plane DaemonSet on k3s
 * or rke2) mounts it where kube-vip looks by default, and reaches the API server on its own node
 * as `kubernetes` (a host alias of 127.0.0.1). Extra volumes must not take this name.
 */
export const HOST_KUBECONFIG_VOLUME = 'kubeconfig';
export const LOCAL_API_SERVER_ALIAS = { ip: '127.0.0.1', hostnames: ['kubernetes'] } as const;
