import { holds, lookup } from '../expr/cond';
import { isPlainObject } from '../model/plain';
import { Problem } from '../model/problem';
import { KubeVipValues } from '../model/values';
import { AddressBlock, contains, familyName, formatIp, IpFamily, overlaps, parseCidr, parseIp } from '../net/ip';
import { embeddedIPv4, unannounceableIn } from '../net/address-classes';
import { ADDRESS_SOURCES, ADDRESS_TEXTS as T, AddressForm, AddressRole, AddressSource } from './address-sources';
import { Problems } from './problems';

/**
 * P4: an address kube-vip announces must never be one the cluster already uses. kube-router
 * issue 1685 took an API server down because a LoadBalancer address landed in its service
 * ipset; the same collision with a node or the API server breaks any cluster.
 *
 * The addresses come from ADDRESS_SOURCES; lib/chart/address-template.ts makes the chart's
 * copy of these checks from the same table and texts (test/chart/generated-parity.test.ts
 * holds the two equal).
 */

/** An address, CIDR or range of the config, parsed, with where it stands and what it is. */
export interface Located {
  readonly path: string;
  readonly text: string;
  readonly block: AddressBlock;
  readonly source: AddressSource;
  /** What it is, for messages (the source's `what` with its entry's name). */
  readonly what: string;
  /** A CIDR's prefix; a node address's subnet, where its prefix is given. */
  readonly prefix?: number;
  readonly subnet?: AddressBlock & { readonly prefix: number };
}

/** The text of a field of one source: each address it holds with its path (empty texts are no address). */
function textsOf(values: KubeVipValues, source: AddressSource): { path: string; text: string; what: string }[] {
  const scope = { values, workload: {} };
  if (source.when && !holds(source.when, scope)) return [];
  const entries: { prefix: string; entry: unknown }[] = [];
  if (!source.within) entries.push({ prefix: '', entry: values });
  else if ('map' in source.within) {
    const map = lookup(scope, `values.${source.within.map}`);
    const record = isPlainObject(map) ? map : {};
    for (const key of Object.keys(record).sort()) entries.push({ prefix: `${source.within.map}.${key}.`, entry: record[key] });
  } else {
    const { list } = source.within;
    const items = lookup(scope, `values.${list}`);
    (Array.isArray(items) ? items : []).forEach((entry, i) => entries.push({ prefix: `${list}[${i}].`, entry }));
  }
  return entries.flatMap(({ prefix, entry }) => {
    const field = lookup({ values: entry, workload: {} }, `values.${source.field}`);
    const what = source.whatField
      ? source.what.replace('%s', String(lookup({ values: entry, workload: {} }, `values.${source.whatField}`)))
      : source.what;
    const path = `${prefix}${source.field}`;
    if (Array.isArray(field)) return field.map((text, i) => ({ path: `${path}[${i}]`, text: String(text), what }));
    return typeof field === 'string' && field !== '' ? [{ path, text: field, what }] : [];
  });
}

/**
 * How a text that is no address of the source's form is reported (rule, message, fix), or
 * undefined when it is one: the chart's generated checks take their words for an empty list item
 * from here, since its well-formedness gate leaves empty texts out.
 */
export function syntaxProblem(source: AddressSource, text: string): Problem | undefined {
  const problems = new Problems();
  locate(problems, source, { path: '', text, what: '' });
  return problems.all[0];
}

/** Parses one text of a source, or reports why it is not an address of its form. */
function locate(problems: Problems, source: AddressSource, at: { path: string; text: string; what: string }): Located[] {
  const { path, text, what } = at;
  const located = (block: AddressBlock, extra: Partial<Located> = {}): Located => ({ path, text, block, source, what, ...extra });
  switch (source.form) {
    case AddressForm.IP: {
      const ip = parseIp(text);
      if (ip) return [located(ip)];
      problems.error('address-syntax', path, text, 'is not an IP address', 'write an IP address');
      return [];
    }
    case AddressForm.NODE_ADDRESS: {
      const [address, prefix] = text.split('/');
      const ip = parseIp(address);
      const subnet = prefix === undefined ? undefined : parseCidr(text, { strict: false });
      if (ip && (prefix === undefined || subnet)) return [located(ip, subnet ? { subnet } : {})];
      problems.error('address-syntax', path, text, 'is not an IP address or address/prefix', 'write e.g. 192.168.1.11 or 192.168.1.11/24');
      return [];
    }
    case AddressForm.CIDR: {
      const cidr = parseCidr(text);
      if (cidr) return [located(cidr, { prefix: cidr.prefix })];
      const loose = parseCidr(text, { strict: false });
      const fix = loose ? T.cidrSyntax.fix(`${formatIp(loose.family, loose.first)}/${loose.prefix}`) : 'write a CIDR such as 10.0.0.0/16';
      problems.error('address-syntax', path, text, T.cidrSyntax.message, fix);
      return [];
    }
    case AddressForm.RANGE: {
      const [first, last, ...rest] = text.split('-').map((part) => parseIp(part.trim()));
      if (first && last && rest.length === 0 && first.family === last.family && first.first <= last.first) {
        return [located({ family: first.family, first: first.first, last: last.first })];
      }
      problems.error('address-syntax', path, text, T.rangeSyntax.message, T.rangeSyntax.fix);
      return [];
    }
    case AddressForm.IP_LIST: {
      const parts = text.split(',').map((part) => ({ part: part.trim(), ip: parseIp(part.trim()) }));
      const bad = parts.find((p) => !p.ip);
      if (bad) {
        problems.error(
          'address-syntax',
          path,
          text,
          `contains "${bad.part}", which is not an IP address`,
          'write one IP address, or an IPv4 and an IPv6 address separated by a comma (DNS names cannot be checked for collisions)',
        );
        return [];
      }
      if (parts.length === 2 && parts[0].ip!.family === parts[1].ip!.family) {
        problems.error('address-syntax', path, text, T.sameFamily.message(source.unit ?? 'address'), T.sameFamily.fix);
      }
      return parts.map((p) => ({ ...located(p.ip!), text: p.part }));
    }
  }
}

/** Every address of the config, by role, in the order of ADDRESS_SOURCES. */
export function locateAddresses(values: KubeVipValues, problems: Problems): Map<AddressRole, Located[]> {
  const byRole = new Map<AddressRole, Located[]>(Object.values(AddressRole).map((role) => [role, []]));
  for (const source of ADDRESS_SOURCES) {
    for (const at of textsOf(values, source)) byRole.get(source.role)!.push(...locate(problems, source, at));
  }
  return byRole;
}

const isOne = (block: AddressBlock) => block.first === block.last;

export function checkAddresses(values: KubeVipValues, problems: Problems): void {
  const byRole = locateAddresses(values, problems);
  const [announced, taken, networks] = [AddressRole.ANNOUNCED, AddressRole.TAKEN, AddressRole.NETWORK].map((r) => byRole.get(r)!);
  const families = [...new Set([...taken, ...networks].map((l) => l.block.family))];

  for (const a of announced) {
    for (const c of unannounceableIn(a.block)) {
      const fix = c.ipv4Fix
        ? isOne(a.block)
          ? c.ipv4Fix.one(embeddedIPv4(a.block.first))
          : c.ipv4Fix.range(embeddedIPv4(a.block.first), embeddedIPv4(a.block.last))
        : T.addressClass.fix(a.what);
      const relation = isOne(a.block) ? 'is in' : 'overlaps';
      problems.error(T.addressClass.rule, a.path, a.text, T.addressClass.message(relation, c.cidr.text, c.name, c.why), fix);
    }
  }

  // Several nodes share a subnet: check each subnet once.
  const subnets = taken.filter(
    (n, i) => n.subnet && taken.findIndex((m) => m.subnet && m.subnet.first === n.subnet!.first && m.subnet.last === n.subnet!.last) === i,
  );
  for (const a of announced) {
    for (const t of taken) {
      if (contains(a.block, t.block)) {
        const relation = isOne(a.block) ? 'is' : 'contains';
        problems.error(T.inUse.rule, a.path, a.text, T.inUse.message(relation, t.what, t.path, t.text), T.inUse.fix(t.text.split('/')[0]));
      }
    }
    for (const n of networks) {
      if (overlaps(a.block, n.block)) {
        problems.error(
          T.inClusterNetwork.rule,
          a.path,
          a.text,
          T.inClusterNetwork.message(n.what, n.text, n.path),
          T.inClusterNetwork.fix(n.text),
        );
      }
    }
    if (families.length > 0 && !families.includes(a.block.family)) {
      const names = families.map(familyName);
      problems.error(
        T.family.rule,
        a.path,
        a.text,
        T.family.message(familyName(a.block.family), names.join(' and ')),
        T.family.fix(names.join(' or ')),
      );
    }
    for (const { subnet, text } of subnets) {
      if (!subnet || isOne(subnet) || subnet.family !== a.block.family) continue;
      const edges: { value: bigint; what: string }[] = [{ value: subnet.first, what: T.subnetZero.network }];
      if (subnet.family === IpFamily.IPV4 && subnet.last - subnet.first > 1n)
        edges.push({ value: subnet.last, what: T.subnetZero.broadcast });
      for (const edge of edges) {
        if (a.block.first <= edge.value && edge.value <= a.block.last) {
          problems.error(
            T.subnetZero.rule,
            a.path,
            a.text,
            T.subnetZero.message(formatIp(subnet.family, edge.value), edge.what, text),
            T.subnetZero.fix,
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
      const kinds = new Set([a.source.announces, b.source.announces]);
      if (kinds.has('pool') && kinds.has('service')) continue;
      if (overlaps(a.block, b.block))
        problems.error(T.overlap.rule, b.path, b.text, T.overlap.message(a.what, a.text, a.path), T.overlap.fix);
    }
  }

  if (!values.ipam.skipEndIPsInCIDR) {
    for (const p of announced) {
      if (p.source.announces === 'pool' && p.prefix !== undefined && p.block.last - p.block.first > 1n) {
        const message = T.skipEnds.message(formatIp(p.block.family, p.block.first), p.text, p.path);
        problems.error(T.skipEnds.rule, T.skipEnds.path, false, message, T.skipEnds.fix);
      }
    }
  }

  checkKubeRouter(values, problems, byRole);
}

function versionBelow(version: string, major: number, minor: number): boolean {
  const match = /^v?([0-9]+)\.([0-9]+)/.exec(version);
  if (!match) return false;
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj < major || (maj === major && min < minor);
}

function checkKubeRouter(values: KubeVipValues, problems: Problems, byRole: Map<AddressRole, Located[]>): void {
  const kubeRouter = values.cluster.kubeRouter;
  if (!kubeRouter.enabled) return;
  const announced = byRole.get(AddressRole.ANNOUNCED)!;
  const vips = announced.filter((a) => a.source.announces === 'vip');
  const pools = announced.filter((a) => a.source.announces === 'pool');
  const ranges = byRole.get(AddressRole.KUBE_ROUTER_RANGE)!;
  const excluded = byRole.get(AddressRole.KUBE_ROUTER_EXCLUDED)!;

  if (
    kubeRouter.version &&
    versionBelow(kubeRouter.version, 2, 2) &&
    (values.services.enabled || values.controlPlane.loadBalancer.enabled)
  ) {
    const ipv6 = [...vips, ...pools].some((l) => l.block.family === IpFamily.IPV6);
    const { rule, path, message, fix } = T.kubeRouterVersion;
    problems[ipv6 ? 'error' : 'warning'](rule, path, kubeRouter.version, message + (ipv6 ? T.kubeRouterVersion.ipv6 : ''), fix);
  }
  if (ranges.length > 0) {
    for (const pool of pools) {
      if (!ranges.some((r) => contains(r.block, pool.block))) {
        const { rule, message, fix } = T.kubeRouterRange;
        problems.error(rule, pool.path, pool.text, message(ranges.map((r) => r.text).join(', ')), fix);
      }
    }
  }
  if (values.controlPlane.loadBalancer.enabled) {
    for (const vip of vips) {
      if (!excluded.some((e) => contains(e.block, vip.block))) {
        const { rule, message, fix } = T.kubeRouterExcluded;
        problems.error(rule, vip.path, vip.text, message, fix(`${vip.text}/${vip.block.family === IpFamily.IPV4 ? 32 : 128}`));
      }
    }
  }
}
