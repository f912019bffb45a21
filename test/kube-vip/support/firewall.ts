import { TestCluster, TestNode } from './cluster';

/** What a node's firewall looks like before kube-vip starts. */
export enum NodeFirewall {
  /** No tables at all: a fresh node, no kube-proxy in iptables mode, no firewall. */
  BARE = 'bare',
  /**
   * filter/INPUT and nat/POSTROUTING exist in iptables-nft, each jumping to an empty chain of
   * kube-proxy's, and the mangle table holds its canary chain: what kube-proxy in iptables mode
   * (or a host firewall) leaves.
   */
  KUBE_PROXY = 'kube-proxy',
  /**
   * filter/INPUT and nat/POSTROUTING but no mangle table: what a host firewall or a container
   * engine leaves when kube-proxy does not run in iptables mode.
   */
  NAT_ONLY = 'nat-only',
}

/** The iptables-nft commands (arguments) that build `firewall` on an empty node. */
export function firewallCommands(firewall: NodeFirewall): string[][] {
  if (firewall === NodeFirewall.BARE) return [];
  const filterAndNat = [
    ['-N', 'KUBE-FIREWALL'],
    ['-A', 'INPUT', '-j', 'KUBE-FIREWALL'],
    ['-t', 'nat', '-N', 'KUBE-POSTROUTING'],
    ['-t', 'nat', '-A', 'POSTROUTING', '-j', 'KUBE-POSTROUTING'],
  ];
  return firewall === NodeFirewall.NAT_ONLY ? filterAndNat : [...filterAndNat, ['-t', 'mangle', '-N', 'KUBE-PROXY-CANARY']];
}

/** Empties every nftables and iptables-legacy table of the node, then builds `firewall`. */
export function resetFirewall(c: TestCluster, node: TestNode, firewall: NodeFirewall): void {
  c.lab.exec(node.host.netns, 'nft', ['flush', 'ruleset']);
  for (const table of ['filter', 'nat', 'mangle', 'raw']) {
    c.lab.tryExec(node.host.netns, 'iptables-legacy', ['-t', table, '-F']);
    c.lab.tryExec(node.host.netns, 'iptables-legacy', ['-t', table, '-X']);
  }
  for (const args of firewallCommands(firewall)) c.lab.exec(node.host.netns, 'iptables-nft', args);
}
