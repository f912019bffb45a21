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

// ---- ipvs.test.ts (in a VM node, a Debian 6.1 kernel with IPVS) -------------------------------

/** The IPVS service kube-vip made and what a LAN client got through it, or why kube-vip exited. */
export type IpvsOutcome = string;

/**
 * What real kube-vip's control-plane load balancer did with each cell (found by the test above,
 * kept by it). "client 200": GET https://VIP:6443/version from the LAN reached the API server
 * behind the VIP, and IPVS counted the connection.
 * - masquerade, v1.2.2 and newer: IPVS balances a firewall mark (10042) that kube-vip sets with
 *   in-process nftables in the mangle table, and masquerades in nat/POSTROUTING, whatever the
 *   image. Without those tables it logs "failed to add IP ... failed to get chain POSTROUTING in
 *   table nat" yet keeps the VIP and the IPVS service: nothing is marked, and connections to
 *   VIP:6443 reach the node's own (empty) port and are refused.
 * - masquerade, v1.2.1: IPVS balances VIP:6443 and the rule is written with the iptables binaries,
 *   which create the tables they need: any node with the iptables image; with the standard image
 *   no rule, the API server answers the client directly and the client times out.
 * - local delivers to the VIP holder's own sockets (nothing listens on the VM: refused); direct
 *   routing works with a backend that holds the VIP on lo without answering ARP for it; tunnel
 *   works with a backend (a second VM node) that decapsulates IPIP and holds the VIP on tunl0; bypass forwards each
 *   packet on to its own destination and the client times out.
 */
export const IPVS_SHOWN: Record<string, IpvsOutcome> = {
  'v1.2.3 standard image, bare node, masquerade': 'FWM 10042 -> Masq; client ECONNREFUSED',
  'v1.2.3 standard image, kube-proxy node, masquerade': 'FWM 10042 -> Masq; client 200, counted by IPVS',
  'v1.2.3 iptables image, bare node, masquerade': 'FWM 10042 -> Masq; client ECONNREFUSED',
  'v1.2.3 iptables image, kube-proxy node, masquerade': 'FWM 10042 -> Masq; client 200, counted by IPVS',
  'v1.2.3 iptables image, nat-only node, masquerade': 'FWM 10042 -> Masq; client ECONNREFUSED',
  'v1.2.3 iptables image, kube-proxy node, local': 'TCP VIP:6443 -> Local; client ECONNREFUSED, counted by IPVS',
  'v1.2.3 iptables image, kube-proxy node, directroute': 'TCP VIP:6443 -> Route; client 200, counted by IPVS',
  'v1.2.3 iptables image, kube-proxy node, tunnel': 'TCP VIP:6443 -> Tunnel; client 200, counted by IPVS',
  'v1.2.3 iptables image, kube-proxy node, bypass': 'TCP VIP:6443 -> Masq; client ETIMEDOUT, counted by IPVS',
  'v1.2.2 standard image, bare node, masquerade': 'FWM 10042 -> Masq; client ECONNREFUSED',
  'v1.2.2 standard image, kube-proxy node, masquerade': 'FWM 10042 -> Masq; client 200, counted by IPVS',
  'v1.2.2 iptables image, bare node, masquerade': 'FWM 10042 -> Masq; client ECONNREFUSED',
  'v1.2.2 iptables image, kube-proxy node, masquerade': 'FWM 10042 -> Masq; client 200, counted by IPVS',
  'v1.2.2 iptables image, nat-only node, masquerade': 'FWM 10042 -> Masq; client ECONNREFUSED',
  'v1.2.2 iptables image, kube-proxy node, local': 'TCP VIP:6443 -> Local; client ECONNREFUSED, counted by IPVS',
  'v1.2.2 iptables image, kube-proxy node, directroute': 'TCP VIP:6443 -> Route; client 200, counted by IPVS',
  'v1.2.2 iptables image, kube-proxy node, tunnel': 'TCP VIP:6443 -> Tunnel; client 200, counted by IPVS',
  'v1.2.2 iptables image, kube-proxy node, bypass': 'TCP VIP:6443 -> Masq; client ETIMEDOUT, counted by IPVS',
  'v1.2.1 standard image, bare node, masquerade': 'TCP VIP:6443 -> Masq; client ETIMEDOUT, counted by IPVS',
  'v1.2.1 standard image, kube-proxy node, masquerade': 'TCP VIP:6443 -> Masq; client ETIMEDOUT, counted by IPVS',
  'v1.2.1 iptables image, bare node, masquerade': 'TCP VIP:6443 -> Masq; client 200, counted by IPVS',
  'v1.2.1 iptables image, kube-proxy node, masquerade': 'TCP VIP:6443 -> Masq; client 200, counted by IPVS',
  'v1.2.1 iptables image, nat-only node, masquerade': 'TCP VIP:6443 -> Masq; client 200, counted by IPVS',
  'v1.2.1 iptables image, kube-proxy node, local': 'TCP VIP:6443 -> Local; client ECONNREFUSED, counted by IPVS',
  'v1.2.1 iptables image, kube-proxy node, directroute': 'TCP VIP:6443 -> Route; client 200, counted by IPVS',
  'v1.2.1 iptables image, kube-proxy node, tunnel': 'TCP VIP:6443 -> Tunnel; client 200, counted by IPVS',
  'v1.2.1 iptables image, kube-proxy node, bypass': 'TCP VIP:6443 -> Masq; client ETIMEDOUT, counted by IPVS',
};

// ---- faults.test.ts -----------------------------------------------------------------------

/**
 * What each fault did to our ARP control plane (support/faults.ts faultOutcome), per release,
 * fault and lease timings. The same on every release with our timings; kube-vip's own timings
 * and its documentation's put the VIP on two nodes when the leader loses the API server.
 */
export const FAULTS_SHOWN: Record<string, string> = {
  'v1.2.3 killed, ours timings': 'ends on the leader, gone for a while, never on two nodes',
  'v1.2.3 killed-in-backoff, ours timings': 'ends on the other node, never gone, on two nodes for a while',
  'v1.2.3 stopped, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.3 node-lost, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.3 api-cut-short, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.3 api-cut-long, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.3 api-outage-short, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.3 api-outage-long, ours timings': 'ends on one node, gone for a while, never on two nodes',
  'v1.2.3 lease-deleted, ours timings': 'ends on one node; on two nodes on the way or not: a race, within the bound',
  'v1.2.3 lease-taken, ours timings': 'ends on one node, gone for a while, never on two nodes',
  'v1.2.3 link-down, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.3 partition, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.3 node-lost, kube-vip timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.3 api-cut-long, kube-vip timings': 'ends on the other node, never gone, on two nodes for a while',
  'v1.2.3 link-down, kube-vip timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.3 api-cut-long, kube-vip docs timings': 'ends on the other node; on two nodes on the way or not: a race, within the bound',
  'v1.2.2 killed, ours timings': 'ends on the leader, gone for a while, never on two nodes',
  'v1.2.2 killed-in-backoff, ours timings': 'ends on the other node, never gone, on two nodes for a while',
  'v1.2.2 stopped, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.2 node-lost, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.2 api-cut-short, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.2 api-cut-long, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.2 api-outage-short, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.2 api-outage-long, ours timings': 'ends on one node, gone for a while, never on two nodes',
  'v1.2.2 lease-deleted, ours timings': 'ends on one node; on two nodes on the way or not: a race, within the bound',
  'v1.2.2 lease-taken, ours timings': 'ends on one node, gone for a while, never on two nodes',
  'v1.2.2 link-down, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.2 partition, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.1 killed, ours timings': 'ends on the leader, gone for a while, never on two nodes',
  'v1.2.1 killed-in-backoff, ours timings': 'ends on the other node, never gone, on two nodes for a while',
  'v1.2.1 stopped, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.1 node-lost, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.1 api-cut-short, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.1 api-cut-long, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.1 api-outage-short, ours timings': 'ends on the leader, never gone, never on two nodes',
  'v1.2.1 api-outage-long, ours timings': 'ends on one node, gone for a while, never on two nodes',
  'v1.2.1 lease-deleted, ours timings': 'ends on one node; on two nodes on the way or not: a race, within the bound',
  'v1.2.1 lease-taken, ours timings': 'ends on one node, gone for a while, never on two nodes',
  'v1.2.1 link-down, ours timings': 'ends on the other node, gone for a while, never on two nodes',
  'v1.2.1 partition, ours timings': 'ends on the leader, never gone, never on two nodes',
};
