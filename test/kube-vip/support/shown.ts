/**
 * What real kube-vip did, per release, image and node, in the scenario tests that keep each
 * table (each test asserts its cells on real kube-vip in CI). The README's release table is
 * checked against these tables (release-table.test.ts).
 */

// ---- port-security.test.ts ----------------------------------------------------------------

export type PortSecurityOutcome = 'enforced' | 'not enforced' | 'Service blocked' | 'no address';

/**
 * What real kube-vip did with each cell (found by the test above, kept by it): the standard image has
 * no iptables binaries; v1.2.2's default nftables path either finds no filter/INPUT chain (a WARN,
 * nothing filtered) or drops every port of the Service, since its accept rule matches layer-4
 * protocol 0. Our output (the iptables image and egress_withnftables=false) is the enforced row.
 */
export const PORT_SECURITY_SHOWN: Record<string, PortSecurityOutcome> = {
  'v1.2.3 standard image, bare node, ours': 'not enforced',
  'v1.2.3 standard image, bare node, kube-vip default': 'not enforced',
  'v1.2.3 standard image, kube-proxy node, ours': 'not enforced',
  'v1.2.3 standard image, kube-proxy node, kube-vip default': 'Service blocked',
  'v1.2.3 iptables image, bare node, ours': 'enforced',
  'v1.2.3 iptables image, bare node, kube-vip default': 'not enforced',
  'v1.2.3 iptables image, kube-proxy node, ours': 'enforced',
  'v1.2.3 iptables image, kube-proxy node, kube-vip default': 'Service blocked',
  'v1.2.2 standard image, bare node, ours': 'not enforced',
  'v1.2.2 standard image, bare node, kube-vip default': 'not enforced',
  'v1.2.2 standard image, kube-proxy node, ours': 'not enforced',
  'v1.2.2 standard image, kube-proxy node, kube-vip default': 'Service blocked',
  'v1.2.2 iptables image, bare node, ours': 'enforced',
  'v1.2.2 iptables image, bare node, kube-vip default': 'not enforced',
  'v1.2.2 iptables image, kube-proxy node, ours': 'enforced',
  'v1.2.2 iptables image, kube-proxy node, kube-vip default': 'Service blocked',
  'v1.2.1 standard image, bare node, ours': 'not enforced',
  'v1.2.1 standard image, kube-proxy node, ours': 'not enforced',
  'v1.2.1 iptables image, bare node, ours': 'enforced',
  'v1.2.1 iptables image, kube-proxy node, ours': 'enforced',
};

// ---- egress.test.ts -----------------------------------------------------------------------

export type EgressOutcome = 'SNAT, removed with the Service' | 'SNAT, left behind' | 'no SNAT' | 'no address';

/**
 * What real kube-vip did with each cell (found by the test above, kept by it). "SNAT": a connection
 * from the pod to a host on the LAN arrived from the Service address.
 * - v1.2.2's nftables backend is in-process: any image, either node, removed by Service UID.
 * - Every other path runs iptables binaries (v1.2.1's nftables backend runs iptables-nft):
 *   nothing without the iptables image, and on delete kube-vip removes the SNAT rule by
 *   spec.loadBalancerIP, so with the address in the annotation only the rule stays behind.
 */
export const EGRESS_SHOWN: Record<string, EgressOutcome> = {
  'v1.2.3 standard image, nftables backend, bare node, annotation': 'SNAT, removed with the Service',
  'v1.2.3 standard image, nftables backend, kube-proxy node, annotation': 'SNAT, removed with the Service',
  'v1.2.3 standard image, iptables backend, bare node, annotation': 'no SNAT',
  'v1.2.3 standard image, iptables backend, kube-proxy node, annotation': 'no SNAT',
  'v1.2.3 iptables image, nftables backend, bare node, annotation': 'SNAT, removed with the Service',
  'v1.2.3 iptables image, nftables backend, kube-proxy node, annotation': 'SNAT, removed with the Service',
  'v1.2.3 iptables image, iptables backend, bare node, annotation': 'SNAT, left behind',
  'v1.2.3 iptables image, iptables backend, kube-proxy node, annotation': 'SNAT, left behind',
  'v1.2.3 iptables image, iptables backend, bare node, annotation + spec.loadBalancerIP': 'SNAT, removed with the Service',
  'v1.2.2 standard image, nftables backend, bare node, annotation': 'SNAT, removed with the Service',
  'v1.2.2 standard image, nftables backend, kube-proxy node, annotation': 'SNAT, removed with the Service',
  'v1.2.2 standard image, iptables backend, bare node, annotation': 'no SNAT',
  'v1.2.2 standard image, iptables backend, kube-proxy node, annotation': 'no SNAT',
  'v1.2.2 iptables image, nftables backend, bare node, annotation': 'SNAT, removed with the Service',
  'v1.2.2 iptables image, nftables backend, kube-proxy node, annotation': 'SNAT, removed with the Service',
  'v1.2.2 iptables image, iptables backend, bare node, annotation': 'SNAT, left behind',
  'v1.2.2 iptables image, iptables backend, kube-proxy node, annotation': 'SNAT, left behind',
  'v1.2.2 iptables image, iptables backend, bare node, annotation + spec.loadBalancerIP': 'SNAT, removed with the Service',
  'v1.2.1 standard image, nftables backend, bare node, annotation': 'no SNAT',
  'v1.2.1 standard image, nftables backend, kube-proxy node, annotation': 'no SNAT',
  'v1.2.1 standard image, iptables backend, bare node, annotation': 'no SNAT',
  'v1.2.1 standard image, iptables backend, kube-proxy node, annotation': 'no SNAT',
  'v1.2.1 iptables image, nftables backend, bare node, annotation': 'SNAT, left behind',
  'v1.2.1 iptables image, nftables backend, kube-proxy node, annotation': 'SNAT, left behind',
  'v1.2.1 iptables image, iptables backend, bare node, annotation': 'SNAT, left behind',
  'v1.2.1 iptables image, iptables backend, kube-proxy node, annotation': 'SNAT, left behind',
  'v1.2.1 iptables image, nftables backend, bare node, annotation + spec.loadBalancerIP': 'SNAT, removed with the Service',
  'v1.2.1 iptables image, iptables backend, bare node, annotation + spec.loadBalancerIP': 'SNAT, removed with the Service',
};

// ---- masquerade.test.ts -------------------------------------------------------------------

export type MasqueradeOutcome = 'no iptables binaries' | 'no nat/POSTROUTING chain' | 'no IPVS in this kernel';

/**
 * Where each cell stopped first (found by the test above, kept by it). v1.2.1 runs the iptables
 * binaries, which the standard image lacks (P1 as reported); v1.2.2 writes the rule with
 * in-process nftables whatever the image, into nat/POSTROUTING, which a node without kube-proxy's
 * (or a firewall's) nat table does not have. The rest needs IPVS, which this kernel lacks.
 */
export const MASQUERADE_SHOWN: Record<string, MasqueradeOutcome> = {
  'v1.2.3 standard bare': 'no nat/POSTROUTING chain',
  'v1.2.3 standard kube-proxy': 'no IPVS in this kernel',
  'v1.2.3 iptables bare': 'no nat/POSTROUTING chain',
  'v1.2.3 iptables kube-proxy': 'no IPVS in this kernel',
  'v1.2.2 standard bare': 'no nat/POSTROUTING chain',
  'v1.2.2 standard kube-proxy': 'no IPVS in this kernel',
  'v1.2.2 iptables bare': 'no nat/POSTROUTING chain',
  'v1.2.2 iptables kube-proxy': 'no IPVS in this kernel',
  'v1.2.1 standard bare': 'no iptables binaries',
  'v1.2.1 standard kube-proxy': 'no iptables binaries',
  'v1.2.1 iptables bare': 'no IPVS in this kernel',
  'v1.2.1 iptables kube-proxy': 'no IPVS in this kernel',
};

