import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  Announcement,
  checkValues,
  EgressGateway,
  ForwardingMethod,
  IptablesImage,
  KubeVip,
  KubeVipControlPlane,
  KubeVipImage,
  KubeVipProps,
  KubeVipServicesLB,
  LoadBalancerPools,
} from '../../lib';
import { ensureCompiled } from '../cli/support/cli';
import { testApp } from '../support/synth';

const ROOT = join(__dirname, '..', '..');

/** The README's library example, less its pools, with these props on the KubeVip. */
function readmeDeployment(extra: Partial<KubeVipProps<IptablesImage>> = {}): { chart: Chart; kubeVip: KubeVip } {
  const chart = new Chart(testApp(), 'kube-vip', { disableResourceNameHashes: true });
  const kubeVip = new KubeVip(chart, 'kube-vip', {
    image: KubeVipImage.iptables('v1.2.2'),
    announce: Announcement.arp(),
    cluster: { podCIDRs: ['10.244.0.0/16'], serviceCIDRs: ['10.96.0.0/12'] },
    ...extra,
  });
  new KubeVipControlPlane(kubeVip, 'control-plane', {
    address: '192.168.0.100',
    loadBalancer: { forwardingMethod: ForwardingMethod.MASQUERADE },
  });
  const services = new KubeVipServicesLB(kubeVip, 'services', { onlyAllowTrafficServicePorts: true });
  new EgressGateway(services, 'egress', { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' });
  return { chart, kubeVip };
}

describe('warnings on the constructs route', () => {
  it('are the warnings checkValues gives for the same values, with rule, field, why and fix', () => {
    const { kubeVip } = readmeDeployment();
    const rules = kubeVip.warnings.map((w) => w.rule);
    expect(rules).toEqual(expect.arrayContaining(['P2-port-security-nftables', 'P3-egress-rules-left-behind']));
    expect(kubeVip.warnings).toEqual(checkValues(kubeVip.values).warnings);
    for (const w of kubeVip.warnings) expect(w).toMatchObject({ severity: 'warning', path: expect.any(String), fix: expect.any(String) });
  });

  it('do not stop synthesis unless strict', () => {
    expect(() => Testing.synth(readmeDeployment().chart)).not.toThrow();
    expect(() => Testing.synth(readmeDeployment({ strict: ['some-other-rule'] }).chart)).not.toThrow();
  });

  it('fail synthesis under strict: every one, or the rules named', () => {
    const all = readmeDeployment({ strict: true });
    const every = all.kubeVip.warnings;
    let message = '';
    try {
      Testing.synth(all.chart);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const w of every) expect(message).toContain(`${w.path}: `);
    expect(message).toContain('(a warning, refused by strict)');

    const one = readmeDeployment({ strict: ['P2-port-security-nftables'] });
    expect(() => Testing.synth(one.chart)).toThrow(/egress\.backend: .*refused by strict/);
    let onlyOne = '';
    try {
      Testing.synth(one.chart);
    } catch (error) {
      onlyOne = (error as Error).message;
    }
    expect(onlyOne.match(/refused by strict/g)).toHaveLength(1);
  });
});

/**
 * The README's own library example, run by the cdk8s CLI in an app of its own that installs this
 * package (a link to the build): cdk8s synth prints each warning once, as a Node process warning
 * with the rule as its code, and writes the manifests.
 */
describe('the README example under cdk8s synth', () => {
  let app: string;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    ensureCompiled();
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /## The library\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!example) throw new Error('no library example in the README');
    app = mkdtempSync(join(tmpdir(), 'kube-vip-app-'));
    mkdirSync(join(app, 'node_modules'));
    for (const [name, target] of [
      ['cdk8s-kube-vip', ROOT],
      ['cdk8s', join(ROOT, 'node_modules', 'cdk8s')],
      ['constructs', join(ROOT, 'node_modules', 'constructs')],
      ['tsx', join(ROOT, 'node_modules', 'tsx')],
    ])
      symlinkSync(target, join(app, 'node_modules', name));
    writeFileSync(join(app, 'main.ts'), example);
    writeFileSync(join(app, 'cdk8s.yaml'), 'language: typescript\napp: node --import tsx main.ts\noutput: dist\n');
    const env = { ...process.env };
    delete env.NODE_NO_WARNINGS;
    result = spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: app, env, encoding: 'utf8' });
  }, 120_000);
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('synthesises, and prints each warning once with its rule, field, why and fix', () => {
    expect(result.status).toBe(0);
    expect(readdirSync(join(app, 'dist')).length).toBeGreaterThan(0);
    const lines = String(result.stderr)
      .split('\n')
      .filter((l) => /KubeVipWarning/.test(l));
    const expected = readmeDeploymentWarnings();
    expect(lines.map((l) => /\[([^\]]+)\] KubeVipWarning/.exec(l)?.[1]).sort()).toEqual(expected.map((w) => w.rule).sort());
    for (const w of expected) expect(lines.filter((l) => l.includes(`KubeVipWarning: kube-vip/kube-vip: ${w.path}: `))).toHaveLength(1);
  });
});

/** The warnings of the README example, built here: what cdk8s synth must print. */
function readmeDeploymentWarnings() {
  const { kubeVip } = readmeDeployment({
    cluster: {
      apiServerAddresses: ['192.168.0.11', '192.168.0.12', '192.168.0.13'],
      nodeAddresses: ['192.168.0.11/24', '192.168.0.12/24', '192.168.0.13/24'],
      podCIDRs: ['10.244.0.0/16'],
      serviceCIDRs: ['10.96.0.0/12'],
    },
  });
  new LoadBalancerPools(kubeVip, 'pools', { global: { ranges: ['192.168.0.200-192.168.0.220'] } });
  return kubeVip.warnings;
}
