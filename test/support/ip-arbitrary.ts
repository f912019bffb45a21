import fc from 'fast-check';
import { formatIp, IpFamily } from '../../lib/net/ip';

/** Addresses for property tests, as formatIp writes them and as people write them. */
export const v4 = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((n) => formatIp(IpFamily.IPV4, BigInt(n)));
export const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((n) => formatIp(IpFamily.IPV6, n));

/** IPv6 as people write it: any run of zero groups compressed (or none), hex in either case, with or without an IPv4 tail. */
export const v6Written = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.nat(8), fc.nat(8), fc.boolean(), fc.boolean())
  .map(([groups, from, length, v4Tail, upper]) => {
    const hex = groups.map((g) => (upper ? g.toString(16).toUpperCase() : g.toString(16)));
    const words = v4Tail ? [...hex.slice(0, 6), `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`] : hex;
    const start = Math.min(from, words.length - 1);
    const end = Math.min(words.length, start + length);
    return length === 0 ? words.join(':') : `${words.slice(0, start).join(':')}::${words.slice(end).join(':')}`;
  });
