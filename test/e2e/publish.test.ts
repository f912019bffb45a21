import { ChildProcess, spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { ensureCompiled } from '../cli/support/cli';
import { Helm, HELMS, parseStream, runHelm } from '../support/helm';
import { describeWithTools, toolPath } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { KubeObject, refOf } from './support/kube';

/**
 * Publishing, with the real tools: the release command (lib/chart/release.ts) versions, signs
 * and pushes the chart to a real OCI registry (the CNCF distribution registry, on loopback);
 * helm 3 and 4 pull it with the signature verified, refuse it under another key, and install
 * it from the registry into the test API server.
 */

const REPO = join(__dirname, '..', '..');
const VERSION = '0.2.0-rc.1';

interface Keyrings {
  readonly secret: string;
  readonly public: string;
}

/** A signing key without a passphrase, made for this test, exported as helm reads keyrings. */
function makeKey(dir: string, name: string): Keyrings {
  const home = join(dir, `gnupg-${name}`);
  mkdirSync(home, { mode: 0o700 });
  const gpg = (args: string[]) => {
    const result = spawnSync(toolPath('gpg')!, ['--batch', '--homedir', home, ...args]);
    if (result.status !== 0) throw new Error(`gpg ${args[0]}: ${result.stderr}`);
    return result.stdout;
  };
  gpg([
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--quick-gen-key',
    `${name} <${name}@example.invalid>`,
    'rsa2048',
    'sign',
    'never',
  ]);
  const keyrings = { secret: join(dir, `${name}-secring.gpg`), public: join(dir, `${name}-pubring.gpg`) };
  writeFileSync(keyrings.secret, gpg(['--export-secret-keys']));
  writeFileSync(keyrings.public, gpg(['--export']));
  return keyrings;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The registry on a free loopback port, once it answers the OCI distribution API. */
async function startRegistry(dir: string): Promise<{ host: string; process: ChildProcess }> {
  const port = await freePort();
  const config = join(dir, 'registry.yml');
  const storage = join(dir, 'registry');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn(toolPath('registry')!, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://${host}/v2/`)).status === 200) return { host, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the registry did not start: ${stderr}`);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The release command as a user runs it, in a copy of the project's package.json and chart source. */
function releaseInCopy(dir: string, helm: Helm, args: string[]): { status: number | null; stdout: string; stderr: string; root: string } {
  const root = join(dir, `project-${helm}`);
  mkdirSync(root);
  cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
  cpSync(join(REPO, 'charts'), join(root, 'charts'), { recursive: true });
  appendFileSync(join(root, 'charts', 'kube-vip', 'CHANGELOG.md'), `\n## ${VERSION}\n\n- fixed: a release made by the publishing test\n`);
  const result = spawnSync(
    'node',
    [join(REPO, 'dist', 'js', 'lib', 'chart', 'release.js'), VERSION, '--root', root, '--helm', toolPath(helm)!, '--chart-only', ...args],
    { encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, root };
}

describeWithTools(['helm3', 'helm4', 'registry', 'kube-apiserver-test', 'gpg'])(
  'publishing: a signed chart through a real OCI registry',
  () => {
    const server = useApiServer();
    let dir: string;
    let registry: { host: string; process: ChildProcess };
    let key: Keyrings;
    let otherKey: Keyrings;

    beforeAll(async () => {
      ensureCompiled();
      dir = mkdtempSync(join(tmpdir(), 'publish-'));
      key = makeKey(dir, 'release');
      otherKey = makeKey(dir, 'someone-else');
      registry = await startRegistry(dir);
    }, 60_000);
    afterAll(() => {
      registry?.process.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    describe.each(HELMS)('%s', (helm) => {
      const repo = () => `oci://${registry.host}/${helm}`;
      const ref = () => `${repo()}/kube-vip`;
      const helmRun = (args: string[]) => runHelm(helm, args);
      let released: ReturnType<typeof releaseInCopy>;
      const archive = () => join(released.root, 'dist', `kube-vip-${VERSION}.tgz`);

      beforeAll(() => {
        released = releaseInCopy(dir, helm, ['--key', 'release', '--keyring', key.secret, '--push', repo(), '--plain-http']);
      });

      it('release versions package.json and the chart together, signs, verifies and pushes', () => {
        expect(released.stderr).toBe('');
        expect(released.status).toBe(0);
        expect(JSON.parse(readFileSync(join(released.root, 'package.json'), 'utf8')).version).toBe(VERSION);
        const chart = parse(readFileSync(join(released.root, 'dist', 'chart', 'Chart.yaml'), 'utf8'));
        expect(chart.version).toBe(VERSION);
        expect(parse(chart.annotations['artifacthub.io/changes'])).toEqual([
          { kind: 'fixed', description: 'a release made by the publishing test' },
        ]);
        expect(released.stdout).toContain(`provenance ${archive()}.prov (signature verified)`);
        expect(released.stdout).toMatch(new RegExp(`pushed ${ref()}:${VERSION.replace(/\./g, '\\.')} sha256:[0-9a-f]{64}`));
      });

      it('helm verify refuses the archive once a byte of it changes', () => {
        expect(helmRun(['verify', archive(), '--keyring', key.public]).status).toBe(0);
        const changed = join(dir, `changed-${helm}`);
        mkdirSync(changed);
        cpSync(`${archive()}.prov`, join(changed, `kube-vip-${VERSION}.tgz.prov`));
        const bytes = readFileSync(archive());
        bytes[bytes.length - 1] ^= 1;
        writeFileSync(join(changed, `kube-vip-${VERSION}.tgz`), bytes);
        const result = helmRun(['verify', join(changed, `kube-vip-${VERSION}.tgz`), '--keyring', key.public]);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain('sha256 sum does not match');
      });

      it('helm pull --verify fetches the same bytes and the provenance, and refuses them under another key', () => {
        const into = join(dir, `pulled-${helm}`);
        mkdirSync(into);
        const pulled = helmRun(['pull', ref(), '--version', VERSION, '--verify', '--keyring', key.public, '--plain-http', '-d', into]);
        expect(pulled.stdout + pulled.stderr).toContain('Chart Hash Verified');
        expect(pulled.status).toBe(0);
        expect(sha256(join(into, `kube-vip-${VERSION}.tgz`))).toBe(sha256(archive()));
        expect(readFileSync(join(into, `kube-vip-${VERSION}.tgz.prov`), 'utf8')).toBe(readFileSync(`${archive()}.prov`, 'utf8'));

        const elsewhere = join(dir, `refused-${helm}`);
        mkdirSync(elsewhere);
        const refused = helmRun([
          'pull',
          ref(),
          '--version',
          VERSION,
          '--verify',
          '--keyring',
          otherKey.public,
          '--plain-http',
          '-d',
          elsewhere,
        ]);
        expect(refused.status).not.toBe(0);
        expect(refused.stderr).toContain('signature made by unknown entity');
      });

      it('helm install oci://... --verify installs it into the API server', async () => {
        const release = `oci-${helm}`;
        const kubeconfig = ['--kubeconfig', server().kubeconfig];
        const installed = helmRun([
          'install',
          release,
          ref(),
          '--version',
          VERSION,
          '--verify',
          '--keyring',
          key.public,
          '--plain-http',
          '-n',
          'kube-system',
          ...kubeconfig,
        ]);
        expect(installed.stderr).not.toMatch(/Error/);
        expect(installed.status).toBe(0);
        const listed = helmRun(['list', '-n', 'kube-system', '--filter', `^${release}$`, '-o', 'json', ...kubeconfig]);
        expect(JSON.parse(listed.stdout)).toMatchObject([{ name: release, chart: `kube-vip-${VERSION}`, status: 'deployed' }]);
        // Every object the release lists exists on the server, labelled with the pulled chart's version.
        const manifest = parseStream(helmRun(['get', 'manifest', release, '-n', 'kube-system', ...kubeconfig]).stdout);
        expect(manifest.map((o) => o.kind)).toContain('DaemonSet');
        for (const object of manifest) {
          const { body } = await server().admin.get(refOf(object as KubeObject));
          expect(body.metadata.labels).toMatchObject({ 'helm.sh/chart': `kube-vip-${VERSION}` });
        }
        expect(helmRun(['uninstall', release, '-n', 'kube-system', ...kubeconfig]).status).toBe(0);
      });

      it('release that fails at signing leaves the version as it was and no archive behind', () => {
        const root = join(dir, `unsigned-${helm}`);
        mkdirSync(root);
        cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
        cpSync(join(REPO, 'package-lock.json'), join(root, 'package-lock.json'));
        cpSync(join(REPO, 'charts'), join(root, 'charts'), { recursive: true });
        appendFileSync(join(root, 'charts', 'kube-vip', 'CHANGELOG.md'), `\n## ${VERSION}\n\n- fixed: a release that cannot be signed\n`);
        const before = ['package.json', 'package-lock.json'].map((f) => readFileSync(join(root, f), 'utf8'));
        const args = [VERSION, '--root', root, '--helm', toolPath(helm)!, '--chart-only', '--key', 'nobody', '--keyring', key.secret];
        const result = spawnSync('node', [join(REPO, 'dist', 'js', 'lib', 'chart', 'release.js'), ...args], { encoding: 'utf8' });
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^release: .*package failed/);
        expect(['package.json', 'package-lock.json'].map((f) => readFileSync(join(root, f), 'utf8'))).toEqual(before);
        expect(existsSync(join(root, 'dist', `kube-vip-${VERSION}.tgz`))).toBe(false);
      });

      it('release refuses a version the changelog does not describe, before writing anything', () => {
        const root = join(dir, `unlisted-${helm}`);
        mkdirSync(root);
        cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
        cpSync(join(REPO, 'charts'), join(root, 'charts'), { recursive: true });
        const before = readFileSync(join(root, 'package.json'), 'utf8');
        const result = spawnSync(
          'node',
          [join(REPO, 'dist', 'js', 'lib', 'chart', 'release.js'), '9.9.9', '--root', root, '--helm', toolPath(helm)!, '--chart-only'],
          {
            encoding: 'utf8',
          },
        );
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(
          'release: charts/kube-vip/CHANGELOG.md: no section "## 9.9.9"; add one listing the changes of 9.9.9 before building it\n',
        );
        expect(readFileSync(join(root, 'package.json'), 'utf8')).toBe(before);
      });
    });
  },
);
