import { createHash } from 'crypto';
import { spawnSync } from 'child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { wrap } from 'module';
import { dirname, join } from 'path';
import { Script } from 'vm';
import { stringify } from 'yaml';
import { cli, ensureCompiled, isCleanError, MAIN, ROOT } from './support/cli';
import { upstreamDaemonSet, yamlOf } from './support/upstream';

beforeAll(ensureCompiled);

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const at = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const valid = at('valid.yaml', stringify({ controlPlane: { enabled: true, address: '192.168.0.100' } }));
const CP = ['--controlplane', '--arp', '--address', '192.168.0.100'];
const envAsMap = at(
  'env-map.yaml',
  stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-vip-ds', namespace: 'kube-system' },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'kube-vip', image: 'ghcr.io/kube-vip/kube-vip:v1.2.2', env: { cp_enable: 'true', vip_arp: 'true' } }],
        },
      },
    },
  }),
);
const ENV_AS_MAP =
  'env-map.yaml: DaemonSet kube-system/kube-vip-ds: spec.template.spec.containers[0].env is a map, where the API server takes a list';

describe('the command line', () => {
  it('prints its version from package.json', () => {
    const { code, stdout } = cli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });
  it('lists the commands in --help', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: cdk8s-kube-vip <command>/);
    expect(stdout).toMatch(/^ {2}synth /m);
    expect(stdout).toMatch(/^ {2}manifest /m);
    expect(stdout).toMatch(/^ {2}check /m);
  });
  it.each(['synth', 'manifest', 'check'])('has --help for %s, also next to bad options', (command) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
      [command, '--no-such-flag', '--help'],
    ]) {
      const { code, stdout, stderr } = cli(args);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(new RegExp(`^Usage: cdk8s-kube-vip ${command} `));
      expect(stdout).toContain('Exit codes:');
    }
  });
  it('prints the help on stderr and exits 2 without a command', () => {
    const { code, stdout, stderr } = cli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Usage: cdk8s-kube-vip/);
  });
});

describe('start-up', () => {
  /** The modules a run loaded, recorded by a preloaded script. */
  function loadedModules(args: string[], stdin = ''): string[] {
    const out = join(dir, `loaded-${Math.random()}`);
    const probe = at(
      'probe.js',
      `process.on('exit', () => require('fs').writeFileSync(process.env.LOADED_OUT, Object.keys(require.cache).join('\\n')));\n`,
    );
    cli(args, { stdin, env: { NODE_OPTIONS: `--require ${probe}`, LOADED_OUT: out } });
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter((m) => m !== probe);
  }
  const daemonSet = yamlOf(upstreamDaemonSet({ vip_arp: 'true', cp_enable: 'true', address: '192.168.0.40' }));
  it('runs every command from the bin and its bundle alone: no module is loaded from disk', () => {
    for (const [args, stdin] of [
      [['--help']],
      [['synth', '-f', valid]],
      [['manifest', 'daemonset', '--controlplane', '--arp', '--address', '192.168.0.100']],
      [['check', '-'], daemonSet],
    ] as [string[], string?][]) {
      expect(loadedModules(args, stdin)).toEqual([MAIN]);
    }
  });
  const bundle = join(dirname(MAIN), 'cli.js');
  it('bundles neither cdk8s nor the constructs: the renderer is plain functions', () => {
    // esbuild heads each bundled source with a comment naming it.
    const sources = readFileSync(bundle, 'utf8').match(/^\/\/ (?:lib|node_modules)\/\S+$/gm) ?? [];
    expect(sources).toContain('// lib/render/objects.ts');
    expect(sources.filter((s) => /node_modules\/(cdk8s|constructs)\/|lib\/constructs\//.test(s))).toEqual([]);
  });
  it("ships a V8 code cache that fits the bundle on this Node, headed by the bundle's digest", () => {
    const source = readFileSync(bundle, 'utf8');
    const cache = readFileSync(`${bundle}.cache`);
    expect(cache.subarray(0, 32).equals(createHash('sha256').update(source).digest())).toBe(true);
    const script = new Script(wrap(source), { filename: bundle, cachedData: cache.subarray(32) });
    expect(script.cachedDataRejected).toBe(false);
  });
  it('runs a changed bundle as it is now, not from a cache made for the old one', () => {
    // Same length, so V8 alone would take the old cache and run the old code.
    const copy = mkdtempSync(join(tmpdir(), 'cli-stale-'));
    for (const file of ['cdk8s-kube-vip.js', 'cli.js', 'cli.js.cache']) copyFileSync(join(dirname(MAIN), file), join(copy, file));
    const source = readFileSync(bundle, 'utf8');
    // kube-vip's default tag: the first tag after its iptables repository (IMAGES, lib/kube-vip/defaults.ts).
    const tag = /kube-vip-iptables",[^}]*?tag: "(v\d+\.\d+\.\d+)"/.exec(source)![1];
    const changed = tag.replace(/\d$/, (d) => String((Number(d) + 9) % 10)); // an older release: no release warning
    writeFileSync(join(copy, 'cli.js'), source.replace(`tag: "${tag}"`, `tag: "${changed}"`));
    const out = cli(['synth', '-f', valid], { bin: join(copy, 'cdk8s-kube-vip.js') });
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`kube-vip:${changed}`);
  });
});

/** Malformed input: each gives one clear line on stderr, a non-zero exit, nothing on stdout, no stack trace. */
const MALFORMED: { name: string; args: () => string[]; stdin?: string; bin?: string; code: number; says: string }[] = [
  {
    name: 'unknown command',
    args: () => ['synthesize'],
    code: 2,
    says: 'unknown command "synthesize"; the commands are synth, manifest, check',
  },
  { name: 'unknown option', args: () => ['synth', '--frobnicate'], code: 2, says: 'unknown option --frobnicate; see --help' },
  { name: 'option without its value', args: () => ['synth', '-f'], code: 2, says: '-f needs a value; write -f FILE' },
  {
    name: 'value that is another option',
    args: () => ['manifest', 'daemonset', '--address', '--arp'],
    code: 2,
    says: '--address needs a value, but is followed by the option --arp',
  },
  { name: 'option given twice', args: () => ['check', '-o', 'json', '-o', 'text', '-'], code: 2, says: '-o is given more than once' },
  { name: 'missing values file', args: () => ['synth', '-f', join(dir, 'missing.yaml')], code: 2, says: 'missing.yaml: no such file' },
  { name: 'values file that is a directory', args: () => ['synth', '-f', dir], code: 2, says: 'it is a directory, not a file' },
  {
    name: 'invalid YAML',
    args: () => ['synth', '-f', at('bad.yaml', 'controlPlane: enabled: true\n')],
    code: 2,
    says: 'bad.yaml:1:15: invalid YAML: Nested mappings are not allowed in compact mappings',
  },
  {
    name: 'duplicate key',
    args: () => ['synth', '-f', at('dup.yaml', 'name: a\nname: b\n')],
    code: 2,
    says: 'dup.yaml:2:1: invalid YAML: Map keys must be unique',
  },
  {
    name: 'values file that is a list',
    args: () => ['synth', '-f', at('list.yaml', '- controlPlane\n')],
    code: 2,
    says: 'list.yaml: is a list, not a map of settings',
  },
  {
    name: 'values file with two documents',
    args: () => ['synth', '-f', at('two.yaml', 'name: a\n---\nname: b\n')],
    code: 2,
    says: 'has 2 YAML documents; a values file is one map of settings',
  },
  {
    name: '--set without =',
    args: () => ['synth', '--set', 'controlPlane.address'],
    code: 2,
    says: '--set controlPlane.address: expected key=value',
  },
  {
    name: '--set with an empty key part',
    args: () => ['synth', '--set', 'controlPlane..port=1'],
    code: 2,
    says: 'is not a key: write dotted names',
  },
  {
    name: '--set with a bad index',
    args: () => ['synth', '--set', 'announce.bgp.peers[x].as=1'],
    code: 2,
    says: '[x] is not a list index',
  },
  {
    name: 'value out of range',
    args: () => ['synth', '-f', valid, '--set', 'controlPlane.port=70000'],
    code: 1,
    says: 'error [schema-range] --set: controlPlane.port: 70000 is outside 1-65535',
  },
  {
    name: 'value of the wrong type',
    args: () => ['synth', '-f', valid, '--set', 'controlPlane.enabled=yes'],
    code: 1,
    says: 'error [schema-type] --set: controlPlane.enabled: "yes" is a string, not true or false',
  },
  {
    name: 'misspelt setting',
    args: () => ['synth', '-f', valid, '--set', 'contrlPlane.enabled=true'],
    code: 1,
    says: 'error [schema-unknown-key] --set: contrlPlane: {"enabled":true} is not a setting',
  },
  {
    name: 'value not in the enum',
    args: () => ['synth', '-f', valid, '--set', 'controlPlane.loadBalancer.forwardingMethod=nat'],
    code: 1,
    says: 'error [schema-enum] --set: controlPlane.loadBalancer.forwardingMethod: "nat" is not an allowed value; use one of: local, masquerade',
  },
  {
    name: 'extraEnv with an empty item',
    args: () => ['synth', '-f', at('env.yaml', 'extraEnv: [{name: a, value: b}, null]\n')],
    code: 1,
    says: 'error [schema-type] ',
  },
  {
    name: 'invalid address in a file',
    args: () => ['synth', '-f', at('addr.yaml', 'controlPlane: {enabled: true, address: 192.168.0.300}\n')],
    code: 1,
    says: 'error [schema-pattern] ',
  },
  {
    name: 'unknown --only part',
    args: () => ['synth', '-f', valid, '--only', 'everything'],
    code: 2,
    says: '--only "everything" is not a part; use cluster or static-pods',
  },
  {
    name: 'two outputs',
    args: () => ['synth', '-f', valid, '-o', dir, '--stdout'],
    code: 2,
    says: '-o/--output-dir and --stdout both choose the output',
  },
  {
    name: 'argument to synth',
    args: () => ['synth', 'values.yaml'],
    code: 2,
    says: 'synth takes no arguments, but got "values.yaml"; name values files with -f FILE',
  },
  {
    name: 'manifest without a kind',
    args: () => ['manifest', '--arp'],
    code: 2,
    says: 'say which manifest: manifest daemonset or manifest pod',
  },
  { name: 'manifest rbac', args: () => ['manifest', 'rbac'], code: 2, says: 'manifest rbac is not needed' },
  {
    name: 'integer flag with text',
    args: () => ['manifest', 'daemonset', ...CP, '--leaseDuration', 'long'],
    code: 2,
    says: '--leaseDuration: "long" is not a whole number',
  },
  {
    name: 'boolean flag with text',
    args: () => ['manifest', 'daemonset', ...CP, '--leaderElection=maybe'],
    code: 2,
    says: '--leaderElection: "maybe" is not a boolean',
  },
  {
    name: 'kube-vip flag misspelt',
    args: () => ['manifest', 'daemonset', ...CP, '--bgpPeers', 'x'],
    code: 2,
    says: 'unknown option --bgpPeers (did you mean --bgppeers?)',
  },
  {
    name: 'refused kube-vip flag',
    args: () => ['manifest', 'daemonset', ...CP, '--wireguard'],
    code: 2,
    says: '--wireguard WireGuard mode is not in the cdk8s-kube-vip model',
  },
  {
    name: 'image digest cut short',
    args: () => ['manifest', 'daemonset', ...CP, '--image', 'ghcr.io/kube-vip/kube-vip:v1.2.2@sha256:0123'],
    code: 2,
    says: 'the digest is not sha256: and 64 hex digits',
  },
  {
    name: 'image digest without its tag',
    args: () => ['manifest', 'daemonset', ...CP, '--image', `ghcr.io/kube-vip/kube-vip@sha256:${'0'.repeat(64)}`],
    code: 2,
    says: 'give the tag with the digest (repository:tag@digest)',
  },
  {
    name: 'daemonset-only flag on a pod',
    args: () => ['manifest', 'pod', ...CP, '--taint'],
    code: 2,
    says: '--taint applies to manifest daemonset only',
  },
  {
    name: 'VIP subnet wider than a host',
    args: () => ['manifest', 'daemonset', ...CP, '--vipSubnet', '24'],
    code: 2,
    says: '--vipSubnet 24: the VIP is announced as one host address',
  },
  {
    name: 'metrics on a host name',
    args: () => ['manifest', 'daemonset', ...CP, '--prometheusHTTPServer', 'node-1:2112'],
    code: 2,
    says: 'write :PORT, or ADDRESS:PORT ([ADDRESS]:PORT for IPv6)',
  },
  {
    name: 'invalid VIP',
    args: () => ['manifest', 'daemonset', ...CP.slice(0, 2), '--address', '999.1.1.1'],
    code: 1,
    says: 'error [schema-pattern] --address: controlPlane.address: "999.1.1.1" is not well formed',
  },
  {
    name: 'loopback VIP',
    args: () => ['manifest', 'daemonset', ...CP.slice(0, 2), '--address', '127.0.0.1'],
    code: 1,
    says: 'error [address-class] --address: controlPlane.address: "127.0.0.1" is in 127.0.0.0/8, the loopback block',
  },
  {
    name: 'global Services leader over the routing table',
    args: () => ['manifest', 'daemonset', '--services', '--table', '--leaderElection'],
    code: 2,
    says: '--leaderElection with --services and --table: kube-vip would elect one node to announce every Service',
  },
  {
    name: 'VIP not given',
    args: () => ['manifest', 'daemonset', '--controlplane', '--arp'],
    code: 1,
    says: 'error [control-plane-address] --address (not given): controlPlane.address: "" is empty',
  },
  {
    name: 'two announcement modes',
    args: () => ['manifest', 'daemonset', ...CP, '--table'],
    code: 1,
    says: 'error [announce-mode] --arp, --table: announce.mode',
  },
  { name: 'check without files', args: () => ['check'], code: 2, says: 'name the files to check, or - for standard input' },
  {
    name: 'check output format',
    args: () => ['check', '--output', 'xml', '-'],
    code: 2,
    says: '--output "xml" is not a format; use text or json',
  },
  { name: 'check a missing file', args: () => ['check', join(dir, 'nope.yaml')], code: 2, says: 'nope.yaml: no such file' },
  { name: 'check invalid YAML on stdin', args: () => ['check', '-'], stdin: 'kind: [Pod\n', code: 2, says: '(stdin):2:1: invalid YAML' },
  {
    name: 'check a scalar document',
    args: () => ['check', '-'],
    stdin: 'hello\n',
    code: 2,
    says: '(stdin): is a string, neither a Kubernetes object nor a map of values',
  },
  {
    name: 'check a bad kubeadm version',
    args: () => ['check', '--kubeadm-version', 'latest', '-'],
    code: 2,
    says: '--kubeadm-version "latest" is not a version; write e.g. v1.30.2',
  },
  // YAML made to exhaust a parser, and outputs that cannot be written: limits that answer at once.
  {
    name: 'aliases that explode',
    args: () => ['synth', '-f', at('laughs.yaml', laughs())],
    code: 2,
    says: 'laughs.yaml: YAML aliases expand to more than 100 copies',
  },
  {
    name: 'an alias inside itself',
    args: () => ['check', '-'],
    stdin: 'a: &a {b: *a}\n',
    code: 2,
    says: '(stdin): a YAML alias refers to a collection that contains it (a loop)',
  },
  {
    name: 'brackets 10,000 deep',
    args: () => ['synth', '-f', at('deep.yaml', `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)],
    code: 2,
    says: 'deep.yaml:1: brackets nest more than 64 levels deep',
  },
  {
    name: 'brackets 10,000 deep after an apostrophe',
    args: () => ['synth', '-f', at('deep2.yaml', `name: it's\na: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)],
    code: 2,
    says: 'deep2.yaml:2: brackets nest more than 64 levels deep',
  },
  {
    name: 'brackets in quotes do not count',
    args: () => ['synth', '-f', at('quoted.yaml', `name: "${'['.repeat(100)}"\n`)],
    code: 1,
    says: 'error [schema-pattern] ',
  },
  {
    name: 'indentation 100 deep',
    args: () => ['check', at('indent.yaml', `${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} b\n`)],
    code: 2,
    says: 'indent.yaml: nests more than 64 levels deep',
  },
  {
    name: 'a 9 MiB document',
    args: () => ['check', at('huge.yaml', `a: "${'x'.repeat(9 * 2 ** 20)}"\n`)],
    code: 2,
    says: 'huge.yaml: is more than 8 MiB; an input may have 8 MiB',
  },
  // Counted while reading: a device or a stream that never ends costs 8 MiB, not all memory.
  { name: 'a device that never ends', args: () => ['synth', '-f', '/dev/zero'], code: 2, says: '/dev/zero: is more than 8 MiB' },
  {
    name: 'standard input that never ends',
    args: () => ['-c', `yes | "${process.execPath}" "${MAIN}" check -`],
    bin: 'bash',
    code: 2,
    says: '(stdin): is more than 8 MiB',
  },
  {
    name: 'a --set key 60,000 names deep',
    args: () => ['synth', '--set', `${Array(60_000).fill('a').join('.')}=1`],
    code: 2,
    says: 'has 60000 dotted names; Helm and this tool take at most 30',
  },
  {
    name: 'a --set key of 10,000 backslashes',
    args: () => ['synth', '--set', `${'\\'.repeat(10_001)}=1`],
    code: 2,
    says: '... (10003 characters): expected key=value',
  },
  // Keys that name JavaScript's object machinery, on every input route.
  {
    name: '--set into __proto__',
    args: () => ['synth', '--set', 'controlPlane.enabled=true,controlPlane.address=192.168.0.100', '--set', '__proto__.literal=127.0.0.1'],
    code: 2,
    says: '--set __proto__.literal=127.0.0.1: the key __proto__ is a key JavaScript reserves',
  },
  {
    name: '--set into constructor',
    args: () => ['synth', '--set', 'global.constructor.x=1'],
    code: 2,
    says: 'the key constructor is a key',
  },
  {
    name: '__proto__ in a values file',
    args: () => ['synth', '-f', at('proto.yaml', 'global:\n  __proto__: {literal: 127.0.0.1}\n')],
    code: 2,
    says: 'proto.yaml: the key global.__proto__ is a key JavaScript reserves',
  },
  {
    name: 'constructor in an extraEnv item',
    args: () => ['synth', '-f', at('ctor.yaml', 'extraEnv: [{name: x, value: y, constructor: 1}]\n')],
    code: 2,
    says: 'ctor.yaml: the key extraEnv[0].constructor is a key',
  },
  {
    name: 'an inherited member as a setting',
    args: () => ['synth', '-f', at('tostring.yaml', 'toString: 1\n')],
    code: 1,
    says: 'tostring.yaml: toString: 1 is not a setting of this chart',
  },
  { name: 'an inherited member as a command', args: () => ['constructor'], code: 2, says: 'unknown command "constructor"' },
  {
    name: 'check a manifest with __proto__ in its labels',
    args: () => ['check', at('proto-manifest.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {__proto__: {a: b}}\n')],
    code: 2,
    says: 'proto-manifest.yaml: the key metadata.labels.__proto__ is a key',
  },
  // A field of the wrong type is one the API server refuses: check and import say so, without a stack trace.
  { name: 'check a container env written as a map', args: () => ['check', envAsMap], code: 2, says: ENV_AS_MAP },
  { name: 'import a container env written as a map', args: () => ['import', envAsMap], code: 2, says: ENV_AS_MAP },
  {
    name: 'check containers written as a string',
    args: () => ['check', at('containers.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: kube-vip}\n')],
    code: 2,
    says: 'Pod x: spec.containers is a string, where the API server takes a list',
  },
  { name: '-o onto a file', args: () => ['synth', '-f', valid, '-o', valid], code: 2, says: 'is a file, not a directory' },
  {
    name: '-o under a file',
    args: () => ['synth', '-f', valid, '-o', join(valid, 'manifests')],
    code: 2,
    says: 'part of the path is a file, not a directory',
  },
  {
    name: '-o under /proc',
    args: () => ['synth', '-f', valid, '-o', '/proc/kube-vip'],
    code: 2,
    says: 'cannot create /proc/kube-vip: its file system takes no new directories',
  },
  {
    name: 'check a bad cluster fact',
    args: () => ['check', '--pod-cidr', '10.0.0.0/33', '-'],
    code: 2,
    says: '--pod-cidr: cluster.podCIDRs[0]: "10.0.0.0/33" is not well formed',
  },
];

/** Nine levels of nine aliases each: 9^9 copies once expanded. */
function laughs(): string {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('output that cannot be written', () => {
  it('ends in one line and exit 74 when standard output is full', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [MAIN, 'synth', '-f', valid], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(result.status).toBe(74);
      expect(result.stderr).toBe('cdk8s-kube-vip: error: cannot write to standard output: no space left on the device\n');
    } finally {
      closeSync(full);
    }
  });
});

describe('malformed input', () => {
  it('has a table of at least 25 cases', () => expect(MALFORMED.length).toBeGreaterThanOrEqual(25));
  it.each(MALFORMED)('$name: one line, exit $code', ({ args, stdin, bin, code, says }) => {
    const result = cli(args(), { stdin, bin });
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(isCleanError(result.stderr)).toBe(true);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cdk8s-kube-vip( synth| manifest| check| import)?: /);
    expect(lines[0]).toContain(says);
  });
});
