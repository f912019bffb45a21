import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IP_HELPERS } from '../../lib/chart/ip-template';
import { AddressBlock, familyName, formatIp, IpFamily, parseCidr, parseIp } from '../../lib/net/ip';
import { HELMS, HelmResult, runHelmAsync, writeValues } from '../support/helm';
import { v4, v6, v6Written } from '../support/ip-arbitrary';
import { describeWithTools } from '../support/tools';

/**
 * The chart's IP helpers (lib/chart/ip-template.ts) against lib/net/ip.ts on random addresses,
 * CIDRs (with and without host bits), node addresses and ranges, as people write them: the
 * blocks, the network a CIDR with host bits should have been, and RFC 5952 formatting, on helm
 * 3 and helm 4. The chart's P4 checks stand on these.
 */

type Form = 'ip' | 'cidr' | 'nodeAddress' | 'range';
interface Input {
  readonly form: Form;
  readonly text: string;
}

const address = fc.oneof(v4, v6, v6Written);
const prefixed = address.chain((text) => fc.nat(parseIp(text)!.family === IpFamily.IPV4 ? 32 : 128).map((p) => `${text}/${p}`));
/** A CIDR without host bits, as a pool is written. */
const network = prefixed.map((text) => {
  const loose = parseCidr(text, { strict: false })!;
  return `${formatIp(loose.family, loose.first)}/${loose.prefix}`;
});
const inputs: fc.Arbitrary<Input> = fc.oneof(
  address.map((text) => ({ form: 'ip' as const, text })),
  fc.oneof(prefixed, network).map((text) => ({ form: 'cidr' as const, text })),
  fc.oneof(address, prefixed).map((text) => ({ form: 'nodeAddress' as const, text })),
  fc.tuple(address, address).map(([a, b]) => ({ form: 'range' as const, text: `${a}-${b}` })),
);

const hex = (family: IpFamily, value: bigint) => value.toString(16).padStart(family === IpFamily.IPV4 ? 8 : 32, '0');
const blockOf = (b: AddressBlock) => ({ first: hex(b.family, b.first), last: hex(b.family, b.last) });

/** What the helpers must print for an input: kube-vip.ip.block's JSON, and first and last formatted. */
function expected({ form, text }: Input): Record<string, unknown> {
  if (form === 'range') {
    const [a, b] = text.split('-').map((t) => parseIp(t)!);
    const ok = a.family === b.family && a.first <= b.first;
    return { ok, ...(ok ? { block: { family: familyName(a.family), first: hex(a.family, a.first), last: hex(b.family, b.first) } } : {}) };
  }
  const [ip, prefix] = text.split('/');
  const parsed = parseIp(ip)!;
  const family = familyName(parsed.family);
  if (form === 'ip' || prefix === undefined) {
    const block = { family, ...blockOf(parsed) };
    return { ok: true, block, formatted: [formatIp(parsed.family, parsed.first), formatIp(parsed.family, parsed.last)] };
  }
  const loose = parseCidr(text, { strict: false })!;
  const net = { ...blockOf(loose), prefix: loose.prefix };
  if (form === 'nodeAddress') return { ok: true, block: { family, ...blockOf(parsed), subnet: net } };
  const strict = parseCidr(text) !== undefined;
  return {
    ok: true,
    block: { family, ...net, ...(strict ? {} : { error: `${formatIp(loose.family, loose.first)}/${loose.prefix}` }) },
    formatted: [formatIp(loose.family, loose.first), formatIp(loose.family, loose.last)],
  };
}

const TEMPLATE = `{{- range .Values.items }}
{{- $b := include "kube-vip.ip.block" (list .form .text) | fromJson }}
# {{ dict "block" $b "formatted" (list (include "kube-vip.ip.format" $b.first) (include "kube-vip.ip.format" $b.last)) | toJson }}
{{- end }}
`;

/** The helpers' answer in the shape of expected(). */
function answerOf(input: Input, printed: { block: Record<string, unknown>; formatted: string[] }): Record<string, unknown> {
  if (input.form === 'range') {
    const ok = !('error' in printed.block);
    return { ok, ...(ok ? { block: printed.block } : {}) };
  }
  return {
    ok: true,
    block: printed.block,
    ...(input.form === 'nodeAddress' && input.text.includes('/') ? {} : { formatted: printed.formatted }),
  };
}

describeWithTools(['helm3', 'helm4'])('the chart IP helpers against lib/net/ip.ts', () => {
  const cases = [
    ...['10.0.0.1', '::', '::1', '::ffff:10.0.0.1', '1:0:0:2:0:0:0:3', '2001:DB8::8:800:200C:417A'].map((text) => ({
      form: 'ip' as const,
      text,
    })),
    ...['0.0.0.0/0', '10.0.0.1/8', 'fd00::/7', 'fd00::1/64', '::/0', '192.168.0.255/31'].map((text) => ({ form: 'cidr' as const, text })),
    ...fc.sample(inputs, { seed: 20261124, numRuns: 600 }),
  ];
  let root: string;
  const results = new Map<string, HelmResult>();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-vip-ip-'));
    mkdirSync(join(root, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(root, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: ip-helpers\nversion: 0.1.0\n');
    writeFileSync(join(root, 'chart', 'templates', '_ip.tpl'), `${IP_HELPERS}\n`);
    writeFileSync(join(root, 'chart', 'templates', 'answers.yaml'), TEMPLATE);
    const file = writeValues(root, 'inputs', { items: cases });
    for (const helm of HELMS) results.set(helm, await runHelmAsync(helm, ['template', 'x', join(root, 'chart'), '-f', file]));
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the samples hold every form, both families, and CIDRs with host bits', () => {
    expect(new Set(cases.map((c) => c.form)).size).toBe(4);
    expect(cases.filter((c) => c.form === 'cidr' && parseCidr(c.text) === undefined).length).toBeGreaterThan(50);
    expect(cases.filter((c) => c.text.includes(':')).length).toBeGreaterThan(200);
  });

  test.each(HELMS)('%s answers as lib/net/ip.ts for every sample', (helm) => {
    const result = results.get(helm)!;
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('# {'));
    expect(lines).toHaveLength(cases.length);
    const answers = lines.map((l, i) => [cases[i].text, answerOf(cases[i], JSON.parse(l.slice(2)))]);
    expect(answers).toEqual(cases.map((c) => [c.text, expected(c)]));
  });
});
