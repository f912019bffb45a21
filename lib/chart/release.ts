import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { buildChart } from './build';
import { changesOf } from './chart-yaml';

/**
 * The release procedure, one command: `npm run release -- <version> [options]`.
 *
 * 1. writes the version into package.json (and package-lock.json): the chart takes its
 *    version from there, so the npm package and the chart are versioned together; the
 *    version needs its section in charts/kube-vip/CHANGELOG.md (Artifact Hub's changes);
 * 2. builds the chart for that version and packages it with `helm package`, signed with
 *    `--key`/`--keyring` (a provenance file beside the archive), then checks the signature
 *    with `helm verify`;
 * 3. unless `--chart-only`, builds and packs the npm package of the same version;
 * 4. pushes archive and provenance to an OCI repository with `helm push` (`--push oci://...`),
 *    once every local step has succeeded; should one fail, the version is written back.
 *
 * It prints what it did and the commands left to a person (commit, tag, npm publish).
 */

export interface ReleaseOptions {
  readonly version: string;
  /** The project folder: package.json and charts/kube-vip. */
  readonly root: string;
  /** The helm binary. @default "helm" (from PATH) */
  readonly helm: string;
  /** Sign with this key (a user id or fingerprint) of `keyring`. */
  readonly key?: string;
  /** A secret keyring in the format `gpg --export-secret-keys` writes. */
  readonly keyring?: string;
  /** A file holding the key's passphrase, when it has one. */
  readonly passphraseFile?: string;
  /** An OCI repository, e.g. oci://registry.example.com/charts. */
  readonly push?: string;
  /** Push over plain HTTP (a registry on loopback without TLS). @default false */
  readonly plainHttp: boolean;
  /** Only the chart: skip building and packing the npm package. @default false */
  readonly chartOnly: boolean;
}

export interface ReleaseResult {
  readonly archive: string;
  readonly provenance?: string;
  /** The OCI reference the chart was pushed to, and the digest the registry gave it. */
  readonly pushed?: { readonly ref: string; readonly digest: string };
  readonly npmPackage?: string;
}

/** A release error: what went wrong and what to do, on one line. */
export class ReleaseError extends Error {}

/** Semantic versioning 2.0.0, as Helm and npm both require of a version. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Runs a command; returns what it printed (stdout, then stderr), or throws with its message. */
function run(command: string, args: readonly string[], cwd: string): { stdout: string; printed: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) throw new ReleaseError(`${command}: ${result.error.message}; install it, or name it with --helm`);
  if (result.status !== 0) {
    throw new ReleaseError(`${command} ${args[0]} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim()}`);
  }
  return { stdout: result.stdout, printed: result.stdout + result.stderr };
}

/** Sets "version" in a package.json or package-lock.json, keeping its layout. */
function setVersion(file: string, version: string): void {
  if (!existsSync(file)) return;
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.version = version;
  if (json.packages?.['']) json.packages[''].version = version; // a lockfile's own entry
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

export function release(options: ReleaseOptions): ReleaseResult {
  const { version, root, helm } = options;
  if (!SEMVER.test(version)) throw new ReleaseError(`version "${version}" is not a semantic version; write e.g. 0.2.0 or 0.2.0-rc.1`);
  if (options.key && !options.keyring)
    throw new ReleaseError('--key needs --keyring (a secret keyring, e.g. gpg --export-secret-keys > secring.gpg)');
  if (options.push && !options.push.startsWith('oci://')) {
    throw new ReleaseError(`--push "${options.push}" is not an OCI repository; write e.g. oci://registry.example.com/charts`);
  }

  // Before anything is written: a missing helm or changelog entry changes nothing.
  run(helm, ['version', '--short'], root);
  const changelog = join(root, 'charts', 'kube-vip', 'CHANGELOG.md');
  try {
    changesOf(readFileSync(changelog, 'utf8'), version, 'charts/kube-vip/CHANGELOG.md');
  } catch (error) {
    throw new ReleaseError((error as Error).message);
  }

  // Every local step before the push; should one fail, package.json and the lockfile get their
  // version back and no archive is left (dist/chart is rebuilt by the next build anyway).
  const files = ['package.json', 'package-lock.json'].map((f) => join(root, f)).filter((f) => existsSync(f));
  const before = files.map((f) => readFileSync(f, 'utf8'));
  const archive = join(root, 'dist', `kube-vip-${version}.tgz`);
  let built: { provenance?: string; npmPackage?: string };
  try {
    files.forEach((f) => setVersion(f, version));
    built = buildLocally(options, archive);
  } catch (error) {
    files.forEach((f, i) => writeFileSync(f, before[i]));
    rmSync(archive, { force: true });
    rmSync(`${archive}.prov`, { force: true });
    throw error;
  }

  let pushed: ReleaseResult['pushed'];
  if (options.push) {
    const output = run(helm, ['push', archive, options.push, ...(options.plainHttp ? ['--plain-http'] : [])], root).printed;
    const digest = /Digest:\s*(sha256:[0-9a-f]{64})/.exec(output)?.[1];
    if (!digest) throw new ReleaseError(`helm push printed no digest: ${output.trim()}`);
    pushed = { ref: `${options.push.replace(/\/$/, '')}/kube-vip:${version.replace(/\+/g, '_')}`, digest };
  }
  return { archive, provenance: built.provenance, pushed, npmPackage: built.npmPackage };
}

/** The chart packaged (signed and verified) and the npm package packed, in the project's dist/. */
function buildLocally(options: ReleaseOptions, archive: string): { provenance?: string; npmPackage?: string } {
  const { version, root, helm } = options;
  const dist = join(root, 'dist');
  const chartDir = join(dist, 'chart');
  buildChart(join(root, 'charts', 'kube-vip'), chartDir, version);
  mkdirSync(dist, { recursive: true });
  const sign = options.key
    ? [
        '--sign',
        '--key',
        options.key,
        '--keyring',
        options.keyring!,
        ...(options.passphraseFile ? ['--passphrase-file', options.passphraseFile] : []),
      ]
    : [];
  run(helm, ['package', chartDir, '--destination', dist, ...sign], root);
  // helm verify needs the public keys; a secret keyring holds them too.
  if (options.key) run(helm, ['verify', archive, '--keyring', options.keyring!], root);
  let npmPackage: string | undefined;
  if (!options.chartOnly) {
    run('npm', ['run', 'build'], root);
    npmPackage = join(dist, run('npm', ['pack', '--pack-destination', dist], root).stdout.trim().split('\n').pop()!);
  }
  return { provenance: options.key ? `${archive}.prov` : undefined, npmPackage };
}

const USAGE =
  'usage: npm run release -- <version> [--key NAME --keyring SECRING [--passphrase-file FILE]] [--push oci://REPO [--plain-http]] [--helm PATH] [--root DIR] [--chart-only]';

function parseArgs(argv: readonly string[]): ReleaseOptions {
  const options: { -readonly [K in keyof ReleaseOptions]?: ReleaseOptions[K] } = {
    root: process.cwd(),
    helm: 'helm',
    plainHttp: false,
    chartOnly: false,
  };
  const valued: Record<string, keyof ReleaseOptions> = {
    '--key': 'key',
    '--keyring': 'keyring',
    '--passphrase-file': 'passphraseFile',
    '--push': 'push',
    '--helm': 'helm',
    '--root': 'root',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--plain-http') options.plainHttp = true;
    else if (arg === '--chart-only') options.chartOnly = true;
    else if (valued[arg]) {
      const value = argv[++i];
      if (value === undefined) throw new ReleaseError(`${arg} needs a value; ${USAGE}`);
      // Paths are relative to where the command runs; helm runs in the project folder.
      const isPath = ['root', 'keyring', 'passphraseFile'].includes(valued[arg]) || (valued[arg] === 'helm' && value.includes('/'));
      (options as Record<string, unknown>)[valued[arg]] = isPath ? resolve(value) : value;
    } else if (!arg.startsWith('-') && options.version === undefined) options.version = arg;
    else throw new ReleaseError(`unknown argument "${arg}"; ${USAGE}`);
  }
  if (options.version === undefined) throw new ReleaseError(`name the version; ${USAGE}`);
  return options as ReleaseOptions;
}

if (require.main === module) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const result = release(options);
    const lines = [`chart ${result.archive}`];
    if (result.provenance) lines.push(`provenance ${result.provenance} (signature verified)`);
    if (result.pushed) lines.push(`pushed ${result.pushed.ref} ${result.pushed.digest}`);
    if (result.npmPackage) lines.push(`npm package ${result.npmPackage}`);
    lines.push(
      'left to you:',
      `  git commit -am "Release ${options.version}" && git tag v${options.version}`,
      ...(result.npmPackage ? [`  npm publish ${result.npmPackage}`] : []),
      ...(result.pushed
        ? [
            `  users: helm install kube-vip ${result.pushed.ref.replace(/:[^:/]+$/, '')} --version ${options.version} --verify --keyring <your public keyring>`,
          ]
        : []),
    );
    console.log(lines.join('\n'));
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`release: ${error.message}`);
    process.exitCode = 1;
  }
}
