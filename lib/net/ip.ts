/**
 * Just enough IP arithmetic to tell whether two address sets touch: addresses are
 * kept as bigints so IPv4 and IPv6 share one code path.
 */

export enum IpFamily {
  IPV4 = 4,
  IPV6 = 6,
}

const BITS: Record<IpFamily, number> = { [IpFamily.IPV4]: 32, [IpFamily.IPV6]: 128 };

export function familyName(family: IpFamily): string {
  return family === IpFamily.IPV4 ? 'IPv4' : 'IPv6';
}

/** A contiguous, inclusive block of addresses of one family. CIDRs, ranges and single addresses all reduce to it. */
export interface AddressBlock {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

export interface IpAddress extends AddressBlock {
  readonly text: string;
}

export interface Cidr extends AddressBlock {
  readonly text: string;
  readonly prefix: number;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined; // zone ids name an interface, not an address
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];

  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  const expandV4 = (groups: string[]): string[] | undefined => {
    const last = groups[groups.length - 1];
    if (last === undefined || !last.includes('.')) return groups;
    const v4 = parseIPv4(last);
    if (v4 === undefined) return undefined;
    return [...groups.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
  };
  const left = halves.length === 2 ? head : expandV4(head);
  const right = halves.length === 2 ? expandV4(tail) : [];
  if (left === undefined || right === undefined) return undefined;

  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { text, family: IpFamily.IPV4, first: v4, last: v4 };
  const v6 = text.includes(':') ? parseIPv6(text) : undefined;
  if (v6 !== undefined) return { text, family: IpFamily.IPV6, first: v6, last: v6 };
  return undefined;
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

/**
 * Parses "network/prefix". A strict CIDR must have no host bits set (10.0.0.0/8, not 10.0.0.1/8):
 * a pool written with host bits is almost always a typo for a different pool.
 */
export function parseCidr(text: string, options: { strict: boolean } = { strict: true }): Cidr | undefined {
  const match = /^([^/]+)\/([0-9]{1,3})$/.exec(text);
  if (!match) return undefined;
  const address = parseIp(match[1]);
  if (!address) return undefined;
  const prefix = Number(match[2]);
  if (prefix > BITS[address.family] || match[2] !== String(prefix)) return undefined;
  const mask = hostMask(address.family, prefix);
  if (options.strict && (address.first & mask) !== 0n) return undefined;
  const first = address.first & ~mask;
  return { text, family: address.family, prefix, first, last: first | mask };
}

/** "first-last", as kube-vip-cloud-provider writes ranges. */
export function parseRange(text: string): (AddressBlock & { text: string }) | undefined {
  const parts = text.split('-');
  if (parts.length !== 2) return undefined;
  const first = parseIp(parts[0].trim());
  const last = parseIp(parts[1].trim());
  if (!first || !last || first.family !== last.family || first.first > last.first) return undefined;
  return { text, family: first.family, first: first.first, last: last.first };
}

export function contains(outer: AddressBlock, inner: AddressBlock): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

export function overlaps(a: AddressBlock, b: AddressBlock): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === IpFamily.IPV4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  }
  const groups = [...Array(8).keys()].map((i) => (value >> BigInt(112 - 16 * i)) & 0xffffn);
  // Compress the longest run of two or more zero groups, as RFC 5952 asks.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
