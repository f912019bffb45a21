import { AddressBlock, Cidr, formatIp, IpFamily, overlaps, parseCidr } from './ip';

/**
 * The address blocks no node can announce as a VIP or hand out from a pool, each with why. A
 * configuration that announces one is refused rather than normalised: each has a different fix,
 * and for an IPv4-mapped IPv6 address the fix (the IPv4 address) must be what the P4 checks see.
 */
export interface AddressClass {
  readonly name: string;
  readonly cidr: Cidr;
  readonly why: string;
  /**
   * For a class that embeds an IPv4 address in its low 32 bits: the fix, given the IPv4
   * address (or the first and last) found there.
   */
  readonly ipv4Fix?: { readonly one: (ipv4: string) => string; readonly range: (first: string, last: string) => string };
}

function addressClass(name: string, cidr: string, why: string, ipv4Fix?: AddressClass['ipv4Fix']): AddressClass {
  return { name, cidr: parseCidr(cidr)!, why, ipv4Fix };
}

/** The IPv4 address in the low 32 bits of an address. */
export function embeddedIPv4(value: bigint): string {
  return formatIp(IpFamily.IPV4, value & 0xffffffffn);
}

/** The fix for a class that embeds an IPv4 address: the address itself. */
const WRITE_THE_IPV4_ADDRESS: AddressClass['ipv4Fix'] = {
  one: (ipv4) => `write the IPv4 address ${ipv4} instead`,
  range: (first, last) => `write the IPv4 addresses (${first}-${last} and no more) instead`,
};

export const UNANNOUNCEABLE: readonly AddressClass[] = [
  addressClass(
    '"this network"',
    '0.0.0.0/8',
    'no host has such an address (RFC 791, RFC 1122), and 0.0.0.0 means "any address" to a socket',
  ),
  addressClass('loopback', '127.0.0.0/8', 'it never leaves the node that has it, so no client reaches it'),
  addressClass(
    'link-local',
    '169.254.0.0/16',
    'it is not routed beyond one link (and 169.254.169.254 is the metadata address of many clouds)',
  ),
  addressClass('multicast', '224.0.0.0/4', 'it names a group of receivers, not one host; ARP and BGP do not announce it as a host address'),
  addressClass('limited broadcast', '255.255.255.255/32', 'it reaches every host on the link and is never routed'),
  addressClass('reserved', '240.0.0.0/4', 'it is reserved (RFC 1112, RFC 6890: not forwardable), and many hosts and routers drop it'),
  addressClass('unspecified', '::/128', 'it means "any address" to a socket'),
  addressClass('loopback', '::1/128', 'it never leaves the node that has it'),
  // After ::/128 and ::1/128, which it contains: one address is named by its most specific class.
  addressClass(
    'IPv4-compatible IPv6',
    '::/96',
    'it is deprecated (RFC 4291 2.5.5.1): no stack routes it as IPv6 any more, and the IPv4 address it embeds is what was meant',
    WRITE_THE_IPV4_ADDRESS,
  ),
  addressClass(
    'IPv4-mapped IPv6',
    '::ffff:0:0/96',
    'kube-vip and the kernel treat it as the IPv4 address it maps, which the checks against node and API-server addresses would not see',
    WRITE_THE_IPV4_ADDRESS,
  ),
  addressClass('discard-only', '100::/64', 'it is the discard prefix (RFC 6666): routers drop what is sent to it, so no client reaches it'),
  addressClass('link-local', 'fe80::/10', 'it is valid on one link only and needs a zone (fe80::1%eth0) that a VIP cannot carry'),
  addressClass('multicast', 'ff00::/8', 'it names a group of receivers, not one host'),
];

/** The classes a block touches; for one address only the first, the most specific (255.255.255.255 is also in 240.0.0.0/4). */
export function unannounceableIn(block: AddressBlock): AddressClass[] {
  const touched = UNANNOUNCEABLE.filter((c) => overlaps(c.cidr, block));
  return block.first === block.last ? touched.slice(0, 1) : touched;
}
