import { Cond, when } from '../expr/cond';

/**
 * Where the model holds addresses, and what each one is to the P4 checks (addresses.ts). The
 * TypeScript validator collects them from this table and the chart's generated address check
 * (lib/chart/address-template.ts) compiles it, so both routes see the same addresses.
 */

export enum AddressRole {
  /** Announced by kube-vip (the VIP, the pools, the addresses Services ask for): checked. */
  ANNOUNCED = 'announced',
  /** Held by a host already (API servers, nodes): an announced address must not take it. */
  TAKEN = 'taken',
  /** Routed into the cluster (pod and Service CIDRs): an announced address must stay out. */
  NETWORK = 'network',
  /** kube-router's --loadbalancer-ip-range: pools must lie inside. */
  KUBE_ROUTER_RANGE = 'kubeRouterRange',
  /** kube-router's --excluded-cidrs: an IPVS VIP must lie inside. */
  KUBE_ROUTER_EXCLUDED = 'kubeRouterExcluded',
}

/** How the text is written, and so how it is parsed. */
export enum AddressForm {
  IP = 'ip',
  /** One address, or an IPv4 and an IPv6 address comma separated: one per family, as kube-vip holds them. */
  IP_LIST = 'ipList',
  /** A network address and its prefix; host bits set are refused. */
  CIDR = 'cidr',
  /** "first-last", as kube-vip-cloud-provider writes ranges. */
  RANGE = 'range',
  /** An address, or an address with its prefix as `ip addr` shows it (the subnet is then known too). */
  NODE_ADDRESS = 'nodeAddress',
}

export interface AddressSource {
  readonly role: AddressRole;
  readonly form: AddressForm;
  /** A string or a list of strings of the model (no `values.`); an empty string is no address. */
  readonly field: string;
  /** Read in each entry of this map (keys sorted) or list, `field` relative to the entry. */
  readonly within?: { readonly map: string } | { readonly list: string };
  /** Only while this holds (`values.` paths). */
  readonly when?: Cond;
  /** What the address is, in messages; `%s` is the entry's `whatField`. */
  readonly what: string;
  readonly whatField?: string;
  /** For an IP list: what kube-vip holds one of per family. */
  readonly unit?: string;
  /** What kind of announced address: a pool is handed out, a Service may ask for a pool's address. */
  readonly announces?: 'vip' | 'pool' | 'service';
}

const ipam = when.set('values.ipam.enabled');
const kubeRouter = when.set('values.cluster.kubeRouter.enabled');

export const ADDRESS_SOURCES: readonly AddressSource[] = [
  { role: AddressRole.TAKEN, form: AddressForm.IP, field: 'cluster.apiServerAddresses', what: 'an API server address' },
  { role: AddressRole.TAKEN, form: AddressForm.NODE_ADDRESS, field: 'cluster.nodeAddresses', what: 'a node address' },
  { role: AddressRole.NETWORK, form: AddressForm.CIDR, field: 'cluster.podCIDRs', what: 'pod CIDR' },
  { role: AddressRole.NETWORK, form: AddressForm.CIDR, field: 'cluster.serviceCIDRs', what: 'Service CIDR' },
  {
    role: AddressRole.ANNOUNCED,
    form: AddressForm.IP_LIST,
    field: 'controlPlane.address',
    when: when.set('values.controlPlane.enabled'),
    what: 'the control-plane VIP',
    unit: 'VIP',
    announces: 'vip',
  },
  ...(['global', 'namespaces'] as const).flatMap((scope) =>
    [
      { field: 'cidrs', form: AddressForm.CIDR },
      { field: 'ranges', form: AddressForm.RANGE },
    ].map(({ field, form }) => ({
      role: AddressRole.ANNOUNCED,
      form,
      ...(scope === 'global' ? { field: `ipam.global.${field}` } : { field, within: { map: 'ipam.namespaces' } }),
      when: ipam,
      what: 'a LoadBalancer pool',
      announces: 'pool' as const,
    })),
  ),
  {
    role: AddressRole.ANNOUNCED,
    form: AddressForm.IP_LIST,
    field: 'address',
    within: { list: 'cluster.loadBalancerServices' },
    what: 'the address of Service %s',
    whatField: 'service',
    unit: 'address',
    announces: 'service',
  },
  {
    role: AddressRole.KUBE_ROUTER_RANGE,
    form: AddressForm.CIDR,
    field: 'cluster.kubeRouter.loadBalancerIPRanges',
    when: kubeRouter,
    what: "kube-router's --loadbalancer-ip-range",
  },
  {
    role: AddressRole.KUBE_ROUTER_EXCLUDED,
    form: AddressForm.CIDR,
    field: 'cluster.kubeRouter.excludedCIDRs',
    when: kubeRouter,
    what: "kube-router's --excluded-cidrs",
  },
];

/**
 * The words of the address checks, each a function of the texts it names, so the chart's
 * generated check passes printf verbs where the validator passes values.
 */
export const ADDRESS_TEXTS = {
  cidrSyntax: {
    message: 'is not a CIDR',
    fix: (network: string) => `write the network address: ${network}`,
  },
  rangeSyntax: {
    message: 'is not a range "first-last" of one IP family, first <= last',
    fix: 'write a range "first-last" of one IP family, first <= last',
  },
  sameFamily: {
    message: (unit: string) => `lists two addresses of the same family; kube-vip holds one ${unit} per family`,
    fix: 'give one address, or one IPv4 and one IPv6 address',
  },
  addressClass: {
    rule: 'address-class',
    message: (relation: string, cidr: string, name: string, why: string) => `${relation} ${cidr}, the ${name} block; ${why}`,
    fix: (what: string) => `choose unicast addresses clients can reach for ${what}, e.g. unused ones of the nodes' subnet`,
  },
  inUse: {
    rule: 'P4-announced-address-in-use',
    message: (relation: string, what: string, path: string, text: string) =>
      `${relation} ${what} (${path} = ${text}); announcing it takes that address away from its owner`,
    // The owner's address without its prefix: a node's subnet is where an ARP VIP belongs.
    fix: (address: string) =>
      `choose addresses that no host holds, so not ${address}; with ARP, free ones of the nodes' subnet, where ARP is answered`,
  },
  inClusterNetwork: {
    rule: 'P4-announced-address-in-cluster-network',
    message: (what: string, text: string, path: string) =>
      `overlaps the ${what} ${text} (${path}); traffic to it would be routed into the cluster network`,
    fix: (text: string) => `choose addresses outside ${text}`,
  },
  family: {
    rule: 'P4-address-family',
    message: (family: string, families: string) => `is ${family}, but the cluster is ${families} only`,
    fix: (families: string) => `use an ${families} address`,
  },
  subnetZero: {
    rule: 'P4-subnet-zero-address',
    message: (address: string, edge: string, subnet: string) => `includes ${address}, the ${edge} of the node subnet ${subnet}`,
    fix: 'leave the first and last address of the subnet out',
    network: 'subnet-zero (network) address',
    broadcast: 'broadcast address',
  },
  skipEnds: {
    rule: 'P4-subnet-zero-address',
    path: 'ipam.skipEndIPsInCIDR',
    message: (address: string, text: string, path: string) =>
      `lets kube-vip-cloud-provider hand out ${address}, the subnet-zero address of ${text} (${path})`,
    fix: 'set ipam.skipEndIPsInCIDR: true, or use ranges',
  },
  overlap: {
    rule: 'P4-announced-addresses-overlap',
    message: (what: string, text: string, path: string) => `overlaps ${what} ${text} (${path}); the same address could be announced twice`,
    fix: 'make the pools, the VIP and the addresses Services ask for disjoint',
  },
  kubeRouterVersion: {
    rule: 'P4-kube-router-version',
    path: 'cluster.kubeRouter.version',
    /** Below this, kube-router puts every IPVS address of the host into its service ipset. */
    fixedIn: 'v2.2.0',
    message:
      'is older than v2.2.0: it puts every IPVS address of the host, node addresses included, into its service ipset and rejects traffic to them (kube-router issue 1685)',
    ipv6: ', which takes the API server down on IPv6',
    fix: 'upgrade kube-router to v2.2.0 or later',
  },
  kubeRouterRange: {
    rule: 'P4-kube-router-lb-range',
    message: (ranges: string) =>
      `is outside kube-router's --loadbalancer-ip-range (${ranges}); kube-router >= v2.8 rejects such LoadBalancer addresses`,
    fix: 'move the pool inside that range, or widen the range',
  },
  kubeRouterExcluded: {
    rule: 'P4-kube-router-excluded-cidrs',
    message:
      "is not in kube-router's --excluded-cidrs, so kube-router deletes kube-vip's IPVS service for it and the API server load balancer flaps",
    fix: (cidr: string) => `add ${cidr} to kube-router's --excluded-cidrs and to cluster.kubeRouter.excludedCIDRs`,
  },
} as const;
