/** The flag sets kube-vip's docs use for `kube-vip manifest daemonset|pod`, run by the real binaries in the tests. */
export const COMMON = ['--interface', 'eth0', '--address', '192.168.0.40'];
export const FLAG_SETS: Record<string, string[]> = {
  'control plane, ARP': ['--controlplane', '--arp', '--leaderElection'],
  'control plane and Services in one pod, ARP': ['--controlplane', '--services', '--arp', '--leaderElection'],
  'Services, ARP, one leader': ['--services', '--arp', '--leaderElection'],
  'Services, ARP, a leader per Service': ['--services', '--arp', '--servicesElection'],
  'Services, routing table': ['--services', '--table'],
  'control plane, routing table': ['--controlplane', '--table'],
  'control plane, BGP': ['--controlplane', '--bgp', '--bgpRouterID', '192.168.0.11', '--bgppeers', '192.168.0.1:65000::false'],
  'control plane, masquerade': [
    '--controlplane',
    '--arp',
    '--leaderElection',
    '--enableLoadBalancer',
    '--lbForwardingMethod',
    'masquerade',
  ],
};
