/** Ports already taken on a kubeadm control-plane node, where kube-vip shares the host network. */
export const CONTROL_PLANE_HOST_PORTS: Record<number, string> = {
  2379: 'etcd client',
  2380: 'etcd peer',
  10249: 'kube-proxy metrics',
  10250: 'kubelet',
  10256: 'kube-proxy health',
  10257: 'kube-controller-manager',
  10259: 'kube-scheduler',
};
