import { KubeVipValues } from '../model/values';
import { AddressBlock, contains, familyName, formatIp, IpFamily, overlaps, parseCidr, parseIp, parseRange } from '../net/ip';
import { unannounceableIn } from '../net/address-classes';
import { Problems } from './problems';

/**
 * P4: an address kube-vip announces must never be one the cluster already uses. kube-router
 * issue 1685 took an API server down because a LoadBalancer address landed in its service
 * ipset; the same collision with a node or the API server breaks any cluster.
 */

interface Located<B extends AddressBlock = AddressBlock> {
  readonly path: string;
  readonly text: string;
  readonly block: B;
}

/** Node addresses may carry their prefix (192.168.1.11/24): then the subnet is known too. */
interface NodeAddress extends Located {
  readonly subnet?: AddressBlock;
}

function parseAll<B extends AddressBlock>(
  problems: Problems,
  path: string,
  texts: readonly string[],
  parse: (text: string) => B | undefined,
  expected: string,
  hint: (text: string) => string = () => `write ${expected}`,
): Located<B>[] {
  const located: Located<B>[] = [];
  texts.forEach((text, i) => {
    const itemPath = `${path}[${i}]`;
    const block = parse(text);
    if (block) located.push({ path: itemPath, text, block });
    else problems.error('address-syntax', itemPath, text, `is not ${expected}`, hint(text));
  });
  return located;
}

/** A CIDR with host bits set is refused, naming the network the user probably meant. */
function cidrHint(text: string): string {
  const loose = parseCidr(text, { strict: false });
  return loose ? `write the network address: ${formatIp(loose.family, loose.first)}/${loose.prefix}` : 'write a CIDR such as 10.0.0.0/16';
}

interface Pool extends Located {
  readonly kind: 'cidr' | 'range';
}

function poolsOf(problems: Problems, ipam: KubeVipValues['ipam']): Pool[] {
  if (!ipam.enabled) return [];
  const pools: Pool[] = [];
  const add = (path: string, cidrs: readonly string[] = [], ranges: readonly string[] = []) => {
    pools.push(
      ...parseAll(problems, `${path}.cidrs`, cidrs, (t) => parseCidr(t), 'a CIDR', cidrHint).map((p) => ({ ...p, kind: 'cidr' as const })),
      ...parseAll(problems, `${path}.ranges`, ranges, parseRange, 'a range "first-last" of one IP family, first <= last').map((p) => ({
        ...p,
        kind: 'range' as const,
      })),
    );
  };
  add('ipam.global', ipam.global.cidrs, ipam.global.ranges);
  for (const [namespace, pool] of Object.entries(ipam.namespaces)) add(`ipam.namespaces.${namespace}`, pool.cidrs, pool.ranges);
  return pools;
}

export function checkAddresses(values: KubeVipValues, problems: Problems): void {
  const { cluster } = values;
  const apiServers = parseAll(problems, 'cluster.apiServerAddresses', cluster.apiServerAddresses, parseIp, 'an IP address');
  const nodes: NodeAddress[] = [];
  cluster.nodeAddresses.forEach((text, i) => {
    const path = `cluster.nodeAddresses[${i}]`;
    const ip = parseIp(text);
    const withPrefix = text.includes('/') ? parseCidr(text, { strict: false }) : undefined;
    const address = ip ?? (withPrefix ? parseIp(text.split('/')[0]) : undefined);
    if (!address)
      problems.error('address-syntax', path, text, 'is not an IP address or address/prefix', 'write e.g. 192.168.1.11 or 192.168.1.11/24');
    else nodes.push({ path, text, block: address, subnet: withPrefix });
  });
  const podCIDRs = parseAll(problems, 'cluster.podCIDRs', cluster.podCIDRs, (t) => parseCidr(t), 'a CIDR', cidrHint);
  const serviceCIDRs = parseAll(problems, 'cluster.serviceCIDRs', cluster.serviceCIDRs, (t) => parseCidr(t), 'a CIDR', cidrHint);
  const clusterNetworks = [
    ...podCIDRs.map((c) => ({ ...c, what: 'pod CIDR' })),
    ...serviceCIDRs.map((c) => ({ ...c, what: 'Service CIDR' })),
  ];
  const taken = [
    ...apiServers.map((a) => ({ ...a, what: 'an API server address' })),
    ...nodes.map((n) => ({ ...n, what: 'a node address' })),
  ];
  const families = new Set([...apiServers, ...nodes, ...podCIDRs, ...serviceCIDRs].map((l) => l.block.family));

  const vips = controlPlaneAddresses(values, problems);
  const pools = poolsOf(problems, values.ipam);
  const announced: (Located & { what: string; pool?: boolean; service?: boolean })[] = [
    ...vips.map((v) => ({ ...v, what: 'the control-plane VIP' })),
    ...pools.map((p) => ({ ...p, what: 'a LoadBalancer pool', pool: true })),
    ...serviceAddresses(values, problems).map((s) => ({ ...s, service: true })),
  ];

  for (const a of announced) {
    for (const c of unannounceableIn(a.block)) {
      problems.error(
        'address-class',
        a.path,
        a.text,
        `${a.block.first === a.block.last ? 'is in' : 'overlaps'} ${c.cidr.text}, the ${c.name} block; ${c.why}`,
        c.fix?.(a.block) ?? `choose unicast addresses clients can reach for ${a.what}, e.g. unused ones of the nodes' subnet`,
      );
    }
  }

  // Several nodes share a subnet: check each subnet once.
  const nodeSubnets = nodes.filter(
    (n, i) => n.subnet && nodes.findIndex((m) => m.subnet && m.subnet.first === n.subnet!.first && m.subnet.last === n.subnet!.last) === i,
  );
  for (const a of announced) {
    for (const t of taken) {
      if (contains(a.block, t.block)) {
        problems.error(
          'P4-announced-address-in-use',
          a.path,
          a.text,
          `${a.block.first === a.block.last ? 'is' : 'contains'} ${t.what} (${t.path} = ${t.text}); announcing it takes that address away from its owner`,
          `choose an unused address outside ${t.text}`,
        );
      }
    }
    for (const n of clusterNetworks) {
      if (overlaps(a.block, n.block)) {
        problems.error(
          'P4-announced-address-in-cluster-network',
          a.path,
          a.text,
          `overlaps the ${n.what} ${n.text} (${n.path}); traffic to it would be routed into the cluster network`,
          `choose addresses outside ${n.text}`,
        );
      }
    }
    if (families.size > 0 && !families.has(a.block.family)) {
      problems.error(
        'P4-address-family',
        a.path,
        a.text,
        `is ${familyName(a.block.family)}, but the cluster is ${[...families].map(familyName).join(' and ')} only`,
        `use an ${[...families].map(familyName).join(' or ')} address`,
      );
    }
    for (const n of nodeSubnets) {
      if (!n.subnet || n.subnet.first === n.subnet.last) continue;
      const edges = [{ value: n.subnet.first, what: 'subnet-zero (network) address' }];
      if (n.subnet.family === IpFamily.IPV4 && n.subnet.last - n.subnet.first > 1n) {
        edges.push({ value: n.subnet.last, what: 'broadcast address' });
      }
      for (const edge of edges) {
        if (a.block.family === n.subnet.family && a.block.first <= edge.value && edge.value <= a.block.last) {
          problems.error(
            'P4-subnet-zero-address',
            a.path,
            a.text,
            `includes ${formatIp(n.subnet.family, edge.value)}, the ${edge.what} of the node subnet ${n.text}`,
            'leave the first and last address of the subnet out',
          );
        }
      }
    }
  }

  // Pools against the VIP and against each other: the cloud provider would hand out one address twice.
  for (let i = 0; i < announced.length; i++) {
    for (let j = i + 1; j < announced.length; j++) {
      const [a, b] = [announced[i], announced[j]];
      // A Service may ask for an address of a pool: the cloud provider skips addresses in use.
      if ((a.pool && b.service) || (a.service && b.pool)) continue;
      if (overlaps(a.block, b.block)) {
        problems.error(
          'P4-announced-addresses-overlap',
          b.path,
          b.text,
          `overlaps ${a.what} ${a.text} (${a.path}); the same address could be announced twice`,
          'make the pools, the VIP and the addresses Services ask for disjoint',
        );
      }
    }
  }

  if (values.ipam.enabled && !values.ipam.skipEndIPsInCIDR) {
    for (const p of pools.filter((pool) => pool.kind === 'cidr')) {
      if (p.block.last - p.block.first > 1n) {
        problems.error(
          'P4-subnet-zero-address',
          'ipam.skipEndIPsInCIDR',
          false,
          `lets kube-vip-cloud-provider hand out ${formatIp(p.block.family, p.block.first)}, the subnet-zero address of ${p.text} (${p.path})`,
          'set ipam.skipEndIPsInCIDR: true, or use ranges',
        );
      }
    }
  }

  checkKubeRouter(values, problems, vips, pools);
}

function controlPlaneAddresses(values: KubeVipValues, problems: Problems): Located[] {
  const { controlPlane } = values;
  if (!controlPlane.enabled || controlPlane.address === '') return [];
  return addressList(problems, 'controlPlane.address', controlPlane.address, 'VIP');
}

/** The addresses LoadBalancer Services ask for (recorded by KubeVipServicesLB.serve), each with its Service. */
function serviceAddresses(values: KubeVipValues, problems: Problems): (Located & { what: string })[] {
  return values.cluster.loadBalancerServices.flatMap((s, i) =>
    s.address
      ? addressList(problems, `cluster.loadBalancerServices[${i}].address`, s.address, 'address').map((l) => ({
          ...l,
          what: `the address of Service ${s.service}`,
        }))
      : [],
  );
}

/** One address, or an IPv4 and an IPv6 address comma separated: one per family, as kube-vip holds them. */
function addressList(problems: Problems, path: string, text: string, what: string): Located[] {
  const located: Located[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const ip = parseIp(part);
    if (!ip) {
      problems.error(
        'address-syntax',
        path,
        text,
        `contains "${part}", which is not an IP address`,
        'write one IP address, or an IPv4 and an IPv6 address separated by a comma (DNS names cannot be checked for collisions)',
      );
    } else {
      located.push({ path, text: part, block: ip });
    }
  }
  if (located.length === 2 && located[0].block.family === located[1].block.family) {
    problems.error(
      'address-syntax',
      path,
      text,
      `lists two addresses of the same family; kube-vip holds one ${what} per family`,
      'give one address, or one IPv4 and one IPv6 address',
    );
  }
  return located;
}

function versionBelow(version: string, major: number, minor: number): boolean {
  const match = /^v?([0-9]+)\.([0-9]+)/.exec(version);
  if (!match) return false;
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj < major || (maj === major && min < minor);
}

function checkKubeRouter(values: KubeVipValues, problems: Problems, vips: Located[], pools: Located[]): void {
  const kubeRouter = values.cluster.kubeRouter;
  if (!kubeRouter.enabled) return;
  const announcesServices = values.services.enabled;
  const ranges = parseAll(
    problems,
    'cluster.kubeRouter.loadBalancerIPRanges',
    kubeRouter.loadBalancerIPRanges,
    (t) => parseCidr(t),
    'a CIDR',
    cidrHint,
  );
  const excluded = parseAll(
    problems,
    'cluster.kubeRouter.excludedCIDRs',
    kubeRouter.excludedCIDRs,
    (t) => parseCidr(t),
    'a CIDR',
    cidrHint,
  );

  if (kubeRouter.version && versionBelow(kubeRouter.version, 2, 2) && (announcesServices || values.controlPlane.loadBalancer.enabled)) {
    const ipv6 = [...vips, ...pools].some((l) => l.block.family === IpFamily.IPV6);
    const report = ipv6 ? problems.error.bind(problems) : problems.warning.bind(problems);
    report(
      'P4-kube-router-version',
      'cluster.kubeRouter.version',
      kubeRouter.version,
      'is older than v2.2.0: it puts every IPVS address of the host, node addresses included, into its service ipset and rejects traffic to them (kube-router issue 1685)' +
        (ipv6 ? ', which takes the API server down on IPv6' : ''),
      'upgrade kube-router to v2.2.0 or later',
    );
  }
  if (ranges.length > 0) {
    for (const pool of pools) {
      if (!ranges.some((r) => contains(r.block, pool.block))) {
        problems.error(
          'P4-kube-router-lb-range',
          pool.path,
          pool.text,
          `is outside kube-router's --loadbalancer-ip-range (${kubeRouter.loadBalancerIPRanges.join(', ')}); kube-router >= v2.8 rejects such LoadBalancer addresses`,
          'move the pool inside that range, or widen the range',
        );
      }
    }
  }
  if (values.controlPlane.loadBalancer.enabled) {
    for (const vip of vips) {
      if (!excluded.some((e) => contains(e.block, vip.block))) {
        problems.error(
          'P4-kube-router-excluded-cidrs',
          vip.path,
          vip.text,
          "is not in kube-router's --excluded-cidrs, so kube-router deletes kube-vip's IPVS service for it and the API server load balancer flaps",
          `add ${vip.text}/${vip.block.family === IpFamily.IPV4 ? 32 : 128} to kube-router's --excluded-cidrs and to cluster.kubeRouter.excludedCIDRs`,
        );
      }
    }
  }
  if (kubeRouter.advertiseLoadBalancerIP && announcesServices) {
    problems.error(
      'P4-kube-router-double-announce',
      'cluster.kubeRouter.advertiseLoadBalancerIP',
      true,
      'means kube-router announces LoadBalancer addresses too; two speakers for one address fight',
      "turn off kube-router's --advertise-loadbalancer-ip, or leave Services to kube-router",
    );
  }
}
