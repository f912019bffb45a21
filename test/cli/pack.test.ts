import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { cli, ensureCompiled, ROOT, yamlDocs } from './support/cli';
import { upstreamDaemonSet, yamlOf } from './support/upstream';

/**
 * The package as a user gets it: `npm pack`, installed into an empty project, its bin run.
 * One install (dependencies come from npm's cache when they are there); about a minute.
 */

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 540_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('the installed package', () => {
  const work = mkdtempSync(join(tmpdir(), 'cli-pack-'));
  const app = join(work, 'app');
  let bin = '';

  beforeAll(() => {
    ensureCompiled();
    // The JavaScript is fresh (ensureCompiled); --ignore-scripts keeps prepack from recompiling
    // it while other test files run it.
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['dist/cli/cdk8s-kube-vip.js', 'dist/cli/cli.js', 'dist/cli/cli.js.cache', 'dist/js/lib/index.js']),
    );
    expect(files.filter((f) => f.startsWith('dist/js/lib/cli/bin.'))).toEqual([]);
    expect(
      files.filter((f) => f.startsWith('test/') || f.startsWith('dist/js/test') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
    ).toEqual([]);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-cdk8s-kube-vip', version: '1.0.0', private: true }));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0].filename)], app);
    bin = join(app, 'node_modules', '.bin', 'cdk8s-kube-vip');
  }, 600_000);

  it('has the bin on the path of npm scripts', () => expect(existsSync(bin)).toBe(true));

  it('declares no internal member (addValues would bypass the type-level rules)', () => {
    const types = (file: string) =>
      readFileSync(join(app, 'node_modules', 'cdk8s-kube-vip', 'dist', 'js', 'lib', 'constructs', file), 'utf8');
    expect(types('kube-vip.d.ts')).toMatch(/declare class KubeVip\b/);
    expect(types('kube-vip.d.ts')).not.toMatch(/addValues\(/);
    expect(types('announcement.d.ts')).not.toContain('_values');
  });

  it('runs --version and synth', () => {
    expect(cli(['--version'], { bin, cwd: app }).code).toBe(0);
    writeFileSync(join(app, 'values.yaml'), stringify({ controlPlane: { enabled: true, address: '192.168.0.100' } }));
    const synth = cli(['synth', '-f', 'values.yaml'], { bin, cwd: app });
    expect(synth.code).toBe(0);
    expect(yamlDocs(synth.stdout).map((o) => o.kind)).toContain('DaemonSet');
  });

  it('runs manifest and check', () => {
    const pod = cli(
      ['manifest', 'pod', '--controlplane', '--arp', '--address', '192.168.0.100', '--k8sConfigPath', '/etc/kubernetes/super-admin.conf'],
      { bin, cwd: app },
    );
    expect(pod.code).toBe(0);
    expect(cli(['check', '--kubeadm-version', 'v1.30.0', '-'], { bin, cwd: app, stdin: pod.stdout }).code).toBe(0);
    const masquerade = yamlOf(
      upstreamDaemonSet(
        {
          vip_arp: 'true',
          cp_enable: 'true',
          vip_leaderelection: 'true',
          address: '192.168.0.40',
          lb_enable: 'true',
          lb_fwdmethod: 'masquerade',
        },
        { image: 'ghcr.io/kube-vip/kube-vip:v1.2.1' },
      ),
    );
    const check = cli(['check', '-'], { bin, cwd: app, stdin: masquerade });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('error [P1-masquerade-image]');
  });
});
