import { TestCluster, TestNode } from './cluster';

/** What a node's firewall looks like before kube-vip starts. */
export enum NodeFirewall {
  /** No tables at all: a fresh node, no kube-proxy in iptables mode, no firewall. */
  BARE = 'bare',
  /**
   * filter/INPUT and nat/POSTROUTING exist in iptables-nft, each jumping to an empty chain of
   * kube-proxy's: what kube-proxy in iptables mode (or a host firewall) leaves.
   */
  KUBE_PROXY = 'kube-proxy',
}

/** Empties every nftables and iptables-legacy table of the node, then builds `firewall`. */
export function resetFirewall(c: TestCluster, node: TestNode, firewall: NodeFirewall): void {
  c.lab.exec(node.host.netns, 'nft', ['flush', 'ruleset']);
  for (const table of ['filter', 'nat', 'mangle', 'raw']) {
    c.lab.tryExec(node.host.netns, 'iptables-legacy', ['-t', table, '-F']);
    c.lab.tryExec(node.host.netns, 'iptables-legacy', ['-t', table, '-X']);
  }
  if (firewall === NodeFirewall.KUBE_PROXY) {
    const iptables = (...args: string[]) => c.lab.exec(node.host.netns, 'iptables-nft', args);
    iptables('-N', 'KUBE-FIREWALL');
    iptables('-A', 'INPUT', '-j', 'KUBE-FIREWALL');
    iptables('-t', 'nat', '-N', 'KUBE-POSTROUTING');
    iptables('-t', 'nat', '-A', 'POSTROUTING', '-j', 'KUBE-POSTROUTING');
  }
}
