import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { defaultValues, valuesSchema } from '../../lib';
import { ChangeKind, changesOf } from '../../lib/chart/chart-yaml';
import { IMAGES } from '../../lib/kube-vip/defaults';
import { defaultsOf, leavesOf } from '../../lib/model/schema';
import { HELMS, keyOf, parseStream, runHelm, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';

type Json = Record<string, any>;

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('the built chart', () => {
  const chart = useTestChart();

  it('takes its version from package.json and its appVersion from the default image tag', () => {
    const meta = parse(readFileSync(join(chart().dir, 'Chart.yaml'), 'utf8'));
    expect(meta).toMatchObject({ name: 'kube-vip', version: pkg.version, appVersion: IMAGES.tag });
    const images = parse(meta.annotations['artifacthub.io/images']);
    expect(images).toEqual([
      { name: 'kube-vip', image: `${IMAGES.standardRepository}:${IMAGES.tag}` },
      { name: 'kube-vip-iptables', image: `${IMAGES.iptablesRepository}:${IMAGES.tag}` },
    ]);
  });
  it("carries the changelog's section for its version as Artifact Hub changes, and links", () => {
    const meta = parse(readFileSync(join(chart().dir, 'Chart.yaml'), 'utf8'));
    const changelog = readFileSync(join(__dirname, '..', '..', 'charts', 'kube-vip', 'CHANGELOG.md'), 'utf8');
    const changes = parse(meta.annotations['artifacthub.io/changes']);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes).toEqual(changesOf(changelog, pkg.version));
    expect(parse(meta.annotations['artifacthub.io/links']).map((l: Json) => l.name)).toEqual(['kube-vip documentation', 'kube-vip source']);
  });
  it('refuses a changelog without the version, or with a change of no known kind, naming the fix', () => {
    expect(() => changesOf('## 0.1.0\n\n- added: x\n', '0.2.0')).toThrow(
      'CHANGELOG.md: no section "## 0.2.0"; add one listing the changes of 0.2.0 before building it',
    );
    expect(() => changesOf('## 0.2.0\n\n- improved: x\n', '0.2.0')).toThrow(
      'CHANGELOG.md: "- improved: x" in ## 0.2.0 is not "- <kind>: <text>" with kind one of added, changed, deprecated, removed, fixed, security',
    );
    expect(() => changesOf('## 0.2.0\n\n## 0.1.0\n\n- added: c\n', '0.2.0')).toThrow(
      'CHANGELOG.md: ## 0.2.0 lists no change; add at least one "- <kind>: <text>" line',
    );
    // Written on Windows: the same changes.
    expect(changesOf('## 0.2.0\r\n\r\n- fixed: a\r\n', '0.2.0')).toEqual([{ kind: ChangeKind.FIXED, description: 'a' }]);
    expect(changesOf('## 0.2.0\n\n- fixed: a\n- security: b\n\n## 0.1.0\n\n- added: c\n', '0.2.0')).toEqual([
      { kind: ChangeKind.FIXED, description: 'a' },
      { kind: ChangeKind.SECURITY, description: 'b' },
    ]);
  });
  it('has values.yaml equal to the config model defaults', () => {
    expect(parse(readFileSync(join(chart().dir, 'values.yaml'), 'utf8'))).toEqual(defaultsOf(valuesSchema));
  });
  it('documents every value in the README table', () => {
    const readme = readFileSync(join(chart().dir, 'README.md'), 'utf8');
    for (const { path } of leavesOf(valuesSchema)) expect(readme).toContain(`| \`${path}\` |`);
  });
  it('has a schema whose required keys are exactly the model keys', () => {
    const schema = JSON.parse(readFileSync(join(chart().dir, 'values.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(Object.keys(defaultValues()));
    expect(schema.additionalProperties).toBe(false);
  });
});

function template(helm: (typeof HELMS)[number], chartDir: string, release: string, args: string[] = []): Json[] {
  const result = runHelm(helm, ['template', release, chartDir, ...args]);
  if (result.status !== 0) throw new Error(`helm template ${release} failed: ${result.stderr}`);
  return parseStream(result.stdout);
}

function envOf(ds: Json): Record<string, string> {
  return Object.fromEntries(ds.spec.template.spec.containers[0].env.map((e: Json) => [e.name, e.value]));
}

describeWithTools(['helm3', 'helm4'])('releases', () => {
  const chart = useTestChart();

  describe.each(HELMS)('%s', (helm) => {
    it('renders the default values: a services-only LoadBalancer provider, lint-clean', () => {
      const objects = template(helm, chart().dir, 'kube-vip', ['-n', 'kube-system']);
      expect(objects.map(keyOf).sort()).toEqual([
        'ClusterRole//kube-vip',
        'ClusterRoleBinding//kube-vip',
        'DaemonSet/kube-system/kube-vip',
        'ServiceAccount/kube-system/kube-vip',
      ]);
      const ds = objects.find((o) => o.kind === 'DaemonSet')!;
      expect(envOf(ds)).toMatchObject({ svc_enable: 'true', vip_arp: 'true' });
      expect(ds.spec.template.spec.containers[0].image).toBe(`${IMAGES.standardRepository}:${IMAGES.tag}`);
      const lint = runHelm(helm, ['lint', '--strict', chart().dir]);
      expect(lint.status).toBe(0);
    });

    it('names objects after the release, in the release namespace', () => {
      const names = (release: string, args: string[] = []) =>
        template(helm, chart().dir, release, args).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(names('lb', ['-n', 'infra'])).toContain('DaemonSet/infra/lb-kube-vip');
      expect(names('kube-vip-lb', ['-n', 'infra'])).toContain('DaemonSet/infra/kube-vip-lb');
      expect(names('lb', ['-n', 'infra', '--set', 'name=edge,namespace=kube-system'])).toContain('DaemonSet/kube-system/edge');
    });

    it('lets a control-plane release and a services release share a cluster without collisions', () => {
      const controlPlane = writeValues(chart().scratch, 'control-plane', {
        controlPlane: { enabled: true, address: '192.168.0.100' },
        services: { enabled: false },
      });
      const objects = [
        ...template(helm, chart().dir, 'kube-vip', ['-n', 'kube-system', '-f', controlPlane]),
        ...template(helm, chart().dir, 'kube-vip-services', ['-n', 'kube-system']),
      ];
      const keys = objects.map(keyOf);
      expect(new Set(keys).size).toBe(keys.length);

      const [cp, svc] = ['kube-vip', 'kube-vip-services'].map((name) =>
        objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === name)!,
      );
      const [cpEnv, svcEnv] = [envOf(cp), envOf(svc)];
      expect(cpEnv.vip_leasename).toBe('kube-vip-cp-lock');
      expect(svcEnv.svc_leasename).toBe('kube-vip-services-svcs-lock');
      expect(cpEnv.instance_name).not.toBe(svcEnv.instance_name);
      const port = (ds: Json) => ds.spec.template.spec.containers[0].ports[0].containerPort;
      expect(port(cp)).not.toBe(port(svc));
      // Selectors must not overlap either, or one DaemonSet would adopt the other's pods.
      expect(cp.spec.selector.matchLabels).not.toEqual(svc.spec.selector.matchLabels);
    });

    it('packages into kube-vip-<version>.tgz and indexes it for a chart repository', () => {
      const out = mkdtempSync(join(chart().scratch, `${helm}-repo-`));
      const packaged = runHelm(helm, ['package', chart().dir, '-d', out]);
      expect(packaged.status).toBe(0);
      const tgz = join(out, `kube-vip-${pkg.version}.tgz`);
      expect(existsSync(tgz)).toBe(true);

      expect(runHelm(helm, ['repo', 'index', out]).status).toBe(0);
      const index = parse(readFileSync(join(out, 'index.yaml'), 'utf8'));
      expect(index.entries['kube-vip']).toHaveLength(1);
      expect(index.entries['kube-vip'][0]).toMatchObject({
        version: pkg.version,
        appVersion: IMAGES.tag,
        urls: [`kube-vip-${pkg.version}.tgz`],
      });

      // The packaged chart (schema and generated templates included) renders like the folder.
      expect(template(helm, tgz, 'kube-vip', ['-n', 'kube-system'])).toEqual(
        template(helm, chart().dir, 'kube-vip', ['-n', 'kube-system']),
      );
    });
  });
});
