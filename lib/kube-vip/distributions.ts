/** Where kube-vip runs: what each Kubernetes distribution puts on its control-plane nodes. */

export enum Distribution {
  KUBEADM = 'kubeadm',
  K3S = 'k3s',
  RKE2 = 'rke2',
}

/**
 * The kubeconfig k3s and rke2 write on every server (control-plane) node, for the API server on
 * that node (https://127.0.0.1:6443, a certificate valid for `kubernetes`) with cluster-admin
 * rights. Sources: the k3s docs, "Cluster Access" (/etc/rancher/k3s/k3s.yaml), and the rke2
 * docs, "Cluster Access" (/etc/rancher/rke2/rke2.yaml). With it, a control-plane kube-vip
 * reaches the API server before the Service network and the CNI exist (kube-vip issue 721).
 * kubeadm's (admin.conf, super-admin.conf: P5) are in defaults.ts.
 */
export const NODE_KUBECONFIGS: Readonly<Record<Exclude<Distribution, Distribution.KUBEADM>, string>> = {
  [Distribution.K3S]: '/etc/rancher/k3s/k3s.yaml',
  [Distribution.RKE2]: '/etc/rancher/rke2/rke2.yaml',
};
