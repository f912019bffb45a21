import fc from 'fast-check';
import { contains, formatIp, overlaps, parseCidr, parseIp, parseRange } from '../../lib/net/ip';
import { ADDRESS_PATTERN, PATTERNS, testPattern } from '../../lib/net/patterns';
import { v4, v6, v6Written } from '../support/ip-arbitrary';

describe('IP parsing', () => {
  it.each([
    '10.0.0.1',
    '255.255.255.255',
    '0.0.0.0',
    '::',
    '::1',
    'fd00::1',
    '2001:db8::ff00:42:8329',
    '::ffff:10.0.0.1',
    '1:2:3:4:5:6:7:8',
  ])('accepts %s', (text) => expect(parseIp(text)).toBeDefined());
  it.each(['10.0.0', '10.0.0.256', '010.0.0.1', '1.2.3.4.5', ':::', '1::2::3', 'fe80::1%eth0', '12345::', 'g::1', '', 'kube-vip'])(
    'refuses %s',
    (text) => expect(parseIp(text)).toBeUndefined(),
  );
  it('refuses CIDRs with host bits unless asked not to', () => {
    expect(parseCidr('10.0.0.1/8')).toBeUndefined();
    expect(parseCidr('10.0.0.1/8', { strict: false })?.first).toBe(parseIp('10.0.0.0')!.first);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/129')).toBeUndefined();
  });
  it('refuses ranges that run backwards or mix families', () => {
    expect(parseRange('10.0.0.9-10.0.0.1')).toBeUndefined();
    expect(parseRange('10.0.0.1-fd00::1')).toBeUndefined();
    expect(parseRange('10.0.0.1-10.0.0.1')).toBeDefined();
  });
});

// Property tests: the bigint arithmetic against a model that counts addresses one by one.
describe('IP properties', () => {
  it('format and parse are inverse for both families', () => {
    fc.assert(fc.property(fc.oneof(v4, v6), (text) => formatIp(parseIp(text)!.family, parseIp(text)!.first) === text));
  });

  it('the JSON-schema patterns accept exactly what the parser accepts', () => {
    const ip = new RegExp(PATTERNS.ip);
    const noise = fc.stringMatching(/^[0-9a-f:.]{1,20}$/);
    fc.assert(
      fc.property(fc.oneof(v4, v6, v6Written, noise), (text) => ip.test(text) === (parseIp(text) !== undefined)),
      { numRuns: 5000 },
    );
    // IPv4 tails after "::" at every position, valid and one group too many.
    for (const text of [
      '1::a:b:c:d:1.2.3.4',
      '1:2:3:4:5::1.2.3.4',
      '::a:b:c:d:e:1.2.3.4',
      '1:2:3:4:5:6:1.2.3.4',
      ':1.2.3.4',
      '1:2:3::a:b:c:1.2.3.4',
      '1:2:3:4::a:b:1.2.3.4',
    ]) {
      expect([text, ip.test(text)]).toEqual([text, parseIp(text) !== undefined]);
    }
  });

  it('the CIDR pattern (values.schema.json) accepts what the parser accepts, host bits aside', () => {
    const cidr = new RegExp(PATTERNS.cidr);
    const prefix = fc.integer({ min: 0, max: 140 });
    const text = fc.oneof(
      fc.tuple(v4, prefix).map(([a, p]) => `${a}/${p}`),
      fc.tuple(v6, prefix).map(([a, p]) => `${a}/${p}`),
      fc.stringMatching(/^[0-9a-f:./]{1,24}$/),
    );
    fc.assert(
      fc.property(text, (t) => cidr.test(t) === (parseCidr(t, { strict: false }) !== undefined)),
      { numRuns: 5000 },
    );
  });

  it('testPattern answers every address pattern as its regular expression does', () => {
    const prefix = fc.integer({ min: 0, max: 140 });
    const address = fc.oneof(v4, v6, v6Written, fc.stringMatching(/^[0-9a-f:.]{1,12}$/));
    const cidr = fc.oneof(
      fc.tuple(address, prefix).map(([a, p]) => `${a}/${p}`),
      fc.stringMatching(/^[0-9a-f:./]{1,24}$/),
    );
    const item = fc.oneof(
      address,
      cidr,
      fc.tuple(address, address).map(([a, b]) => `${a}-${b}`),
    );
    const text = fc.oneof(
      item,
      fc.array(item, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(',')),
      fc.stringMatching(/^[0-9a-f:.,/ -]{0,30}$/),
    );
    const patterns = [...(['ip', 'ipList', 'cidr', 'cidrList', 'range'] as const).map((name) => PATTERNS[name]), ADDRESS_PATTERN];
    for (const pattern of patterns) {
      const regex = new RegExp(pattern);
      fc.assert(
        fc.property(text, (t) => testPattern(pattern, t) === regex.test(t)),
        { numRuns: 3000 },
      );
    }
  });

  it('contains and overlaps agree with enumerating small blocks', () => {
    const block = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 }))
      .map(([host, prefix]) => parseCidr(`10.0.0.${host}/${prefix}`, { strict: false })!);
    fc.assert(
      fc.property(block, block, (a, b) => {
        const members = (x: typeof a) => new Set(Array.from({ length: Number(x.last - x.first) + 1 }, (_, i) => x.first + BigInt(i)));
        const [ma, mb] = [members(a), members(b)];
        const shared = [...ma].some((n) => mb.has(n));
        const aHasB = [...mb].every((n) => ma.has(n));
        return overlaps(a, b) === shared && contains(a, b) === aHasB;
      }),
    );
  });

  it('addresses of different families never overlap', () => {
    fc.assert(fc.property(v4, v6, (a, b) => !overlaps(parseIp(a)!, parseIp(b)!)));
  });
});
