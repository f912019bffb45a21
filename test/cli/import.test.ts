import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { describeWithTools, KUBE_VIP_RELEASES, TOOLS_BIN } from '../support/tools';
import { cli, ensureCompiled, isCleanError } from './support/cli';
import { COMMON, FLAG_SETS } from './support/generator-flags';
import { upstreamDaemonSet, yamlOf } from './support/upstream';

type Json = Record<string, any>;

/**
 * `import` on what kube-vip's own generator writes, run by the real binaries of each release:
 * the values it writes keep kube-vip's lease names and address, synthesise without error, and
 * our output for them passes `check`. Where the deployment as generated is one our toolkit
 * refuses (masquerade on v1.2.1's standard image), import says so and exits 1.
 */

beforeAll(() => ensureCompiled(), 150_000);

const dir = mkdtempSync(join(tmpdir(), 'cli-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The env of every kube-vip container in a manifest stream, by name. */
function envsOf(yaml: string): Record<string, string>[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as Json)
    .filter((o) => o && ['DaemonSet', 'Pod'].includes(o.kind))
    .map((o) => (o.kind === 'Pod' ? o.spec : o.spec.template.spec).containers[0])
    .map((c: Json) => Object.fromEntries((c.env ?? []).filter((e: Json) => 'value' in e).map((e: Json) => [e.name, e.value])));
}

describeWithTools(KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const))("import of kube-vip's own generated manifests", () => {
  const cases = KUBE_VIP_RELEASES.flatMap((release) =>
    (['pod', 'daemonset'] as const).flatMap((kind) =>
      Object.entries(FLAG_SETS).map(([name, flags]) => [`${release} manifest ${kind}: ${name}`, release, kind, flags] as const),
    ),
  );

  it.each(cases)('%s', (name, release, kind, flags) => {
    const extra = kind === 'daemonset' ? ['--inCluster', '--taint'] : [];
    const generated = spawnSync(join(TOOLS_BIN, `kube-vip-${release}`), ['manifest', kind, ...COMMON, ...flags, ...extra], {
      encoding: 'utf8',
    });
    expect(generated.status).toBe(0);
    const [theirs] = envsOf(generated.stdout);

    const imported = cli(['import', '-'], { stdin: generated.stdout });
    expect(imported.stderr).toMatch(/^imported (DaemonSet|Pod) kube-system\/kube-vip/);
    expect(imported.stderr).not.toMatch(/internal error|\n\s+at /);
    const values = parse(imported.stdout) as Json;
    // kube-vip's own lease names (its defaults when the flags leave them out), and its address.
    if (flags.includes('--controlplane'))
      expect(values.controlPlane.leaderElection.leaseName).toBe(theirs.vip_leasename ?? 'plndr-cp-lock');
    if (flags.includes('--services')) expect(values.services.leaseName).toBe(theirs.svc_leasename ?? 'plndr-svcs-lock');
    if (flags.includes('--controlplane')) expect(values.controlPlane.address).toBe('192.168.0.40');

    if (release === 'v1.2.1' && flags.includes('masquerade')) {
      // The standard image cannot run masquerade before v1.2.2 (P1): import refuses to call that fine.
      expect(imported.code).toBe(1);
      expect(imported.stderr).toContain('[P1-masquerade-image] controlPlane.loadBalancer.forwardingMethod: "masquerade"');
      return;
    }
    expect(imported.code).toBe(0);

    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, imported.stdout);
    const out = join(dir, `${name.replace(/\W+/g, '-')}-out`);
    const synth = cli(['synth', '-f', file, '-o', out]);
    expect(synth.stderr).not.toMatch(/error/);
    expect(synth.code).toBe(0);
    const files = readdirSync(out).map((f) => join(out, f));
    const ours = files.flatMap((f) => envsOf(readFileSync(f, 'utf8')));
    const cpEnv = ours.find((e) => e.cp_enable === 'true');
    const svcEnv = ours.find((e) => e.svc_enable === 'true');
    // Election where kube-vip elected (on its lease), none where it did not (routing table, BGP).
    if (flags.includes('--controlplane') && theirs.vip_leaderelection === 'true') {
      expect(cpEnv?.vip_leasename).toBe(theirs.vip_leasename ?? 'plndr-cp-lock');
    }
    if (flags.includes('--controlplane') && theirs.vip_leaderelection !== 'true') expect(cpEnv?.vip_leaderelection).not.toBe('true');
    if (flags.includes('--services') && !flags.includes('--servicesElection'))
      expect(svcEnv?.svc_leasename).toBe(theirs.svc_leasename ?? 'plndr-svcs-lock');
    const check = cli(['check', '--output', 'json', '--kubeadm-join', ...files]);
    const errors = (JSON.parse(check.stdout).findings as Json[]).filter((f) => f.severity === 'error').map((f) => f.rule);
    expect(errors).toEqual([]);
  });
});

describe('import: what does not map, and bad input', () => {
  it('carries env vars the model has no field for as extraEnv, values and references, and says so', () => {
    const ds = upstreamDaemonSet({
      vip_arp: 'true',
      cp_enable: 'true',
      address: '192.168.0.40',
      vip_leaderelection: 'true',
      vip_frobnicate: 'yes',
    });
    const container = ds.spec.template.spec.containers[0];
    container.env.push({ name: 'vip_token', valueFrom: { secretKeyRef: { name: 'kv', key: 'token' } } });
    // As JSON, so that `yes` is a string: import must write it so that YAML 1.1 (Helm, our CLI) keeps it one.
    const imported = cli(['import', '-'], { stdin: JSON.stringify(ds) });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('value: "yes"');
    expect(parse(imported.stdout)).toMatchObject({
      controlPlane: { enabled: true, address: '192.168.0.40' },
      extraEnv: [
        { name: 'vip_frobnicate', value: 'yes' },
        { name: 'vip_token', valueFrom: { secretKeyRef: { name: 'kv', key: 'token' } } },
      ],
    });
    expect(imported.stderr).toContain(
      'carried as extraEnv (no model field for them; kube-vip reads them as before): vip_frobnicate, vip_token',
    );
    // and the values are ones our toolkit takes: synth renders both into the container's env
    const file = join(dir, 'carried.yaml');
    writeFileSync(file, imported.stdout);
    const env = envsOf(cli(['synth', '-f', file]).stdout)[0];
    expect(env.vip_frobnicate).toBe('yes');
  });
  it("goes where kube-vip's control-plane lease is (cp_namespace), and says so when that is not the workload's", () => {
    const cp = { vip_arp: 'true', cp_enable: 'true', address: '192.168.0.40', vip_leaderelection: 'true' };
    const moved = cli(['import', '-'], { stdin: JSON.stringify(upstreamDaemonSet({ ...cp, cp_namespace: 'lb' })) });
    expect(parse(moved.stdout)).toMatchObject({ namespace: 'lb' });
    expect(moved.stderr).toContain('namespace: lb, where kube-vip keeps its lease (cp_namespace): ours keeps it in its own namespace');
    const home = cli(['import', '-'], {
      stdin: JSON.stringify(upstreamDaemonSet({ ...cp, cp_namespace: 'kube-system' }, { namespace: 'lb' })),
    });
    expect(parse(home.stdout).namespace).toBeUndefined(); // kube-system, our default
    const services = upstreamDaemonSet({ vip_arp: 'true', svc_enable: 'true', svc_election: 'true' }, { namespace: 'lb' });
    expect(parse(cli(['import', '-'], { stdin: JSON.stringify(services) }).stdout)).toMatchObject({ namespace: 'lb' });
  });
  it('reports a VIP mask it does not carry (ours is one host address)', () => {
    const cp = { vip_arp: 'true', cp_enable: 'true', address: '192.168.0.40', vip_leaderelection: 'true' };
    const wide = cli(['import', '-'], { stdin: JSON.stringify(upstreamDaemonSet({ ...cp, vip_subnet: '24' })) });
    expect(wide.code).toBe(0);
    expect(wide.stderr).toContain('env vip_subnet: "24" is not carried: ours adds the VIP as one host address (/32, /128)');
    const host = cli(['import', '-'], { stdin: JSON.stringify(upstreamDaemonSet({ ...cp, vip_subnet: '32' })) });
    expect(host.stderr).not.toContain('vip_subnet');
  });
  it('names in its next steps the file the values are in, or tells to save them when they went to stdout', () => {
    const ds = JSON.stringify(upstreamDaemonSet({ vip_arp: 'true', cp_enable: 'true', address: '192.168.0.40' }));
    const toStdout = cli(['import', '-'], { stdin: ds });
    expect(toStdout.stderr).toContain('1. save the values above as values.yaml and review them; render and check it:');
    const file = join(dir, 'steps-values.yaml');
    const toFile = cli(['import', '-o', file, '-'], { stdin: ds });
    expect(toFile.stderr).toContain(`1. review ${file}; render and check it: cdk8s-kube-vip synth -f ${file}`);
  });
  it('reads a kubectl dump: the DaemonSet, not the pods it made', () => {
    const ds = upstreamDaemonSet({ vip_arp: 'true', cp_enable: 'true', address: '192.168.0.40', vip_leaderelection: 'true' });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kube-vip-ds-abcde', namespace: 'kube-system', ownerReferences: [{ kind: 'DaemonSet', name: 'kube-vip-ds' }] },
      spec: ds.spec.template.spec,
    };
    const imported = cli(['import', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ds, pod] }) });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/^imported DaemonSet kube-system\/kube-vip-ds/);
  });
  it('writes every string quoted, so Helm reads 0o17 or on as the strings they were', () => {
    const ds = upstreamDaemonSet({
      vip_arp: 'true',
      cp_enable: 'true',
      address: '192.168.0.40',
      vip_leaderelection: 'true',
      vip_mode: '0o17',
    });
    const imported = cli(['import', '-'], { stdin: JSON.stringify(ds) });
    expect(imported.stdout).toContain('value: "0o17"');
  });
  it("keeps the cloud provider's ConfigMap where it was found", () => {
    const ds = upstreamDaemonSet({ vip_arp: 'true', svc_enable: 'true', svc_election: 'true' });
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-vip-cloud-provider-cm', namespace: 'lb' },
      data: { 'range-global': '192.168.0.200-192.168.0.210' },
    };
    const imported = cli(['import', '-'], { stdin: [ds, configMap].map((o) => JSON.stringify(o)).join('\n---\n') });
    expect(parse(imported.stdout).ipam).toMatchObject({
      enabled: true,
      configMap: { name: 'kube-vip-cloud-provider-cm', namespace: 'lb' },
      global: { ranges: ['192.168.0.200-192.168.0.210'] },
    });
  });
  it('refuses several workloads at once, and input without kube-vip, in one line each', () => {
    const two = yamlOf(upstreamDaemonSet({ vip_arp: 'true', cp_enable: 'true', address: '192.168.0.40', vip_leaderelection: 'true' }), {
      ...upstreamDaemonSet({ vip_arp: 'true', svc_enable: 'true' }),
      metadata: { name: 'kube-vip-svc', namespace: 'kube-system' },
    });
    const several = cli(['import', '-'], { stdin: two });
    expect(several.code).toBe(2);
    expect(isCleanError(several.stderr)).toBe(true);
    expect(several.stderr).toContain(
      'found 2 kube-vip workloads (DaemonSet kube-system/kube-vip-ds, DaemonSet kube-system/kube-vip-svc): import them one at a time',
    );
    const none = cli(['import', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('found no kube-vip in -');
  });
});
