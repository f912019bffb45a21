import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { MANAGED_ENV_NAMES } from '../../lib/kube-vip/env';
import { fieldAt } from '../../lib/model/schema';
import { valuesSchema } from '../../lib/model/values';
import { envOfFlag, isPathFlag, isRefusedFlag, KUBE_VIP_FLAGS, OWN_FLAGS } from '../../lib/cli/manifest/kube-vip-flags';
import { describeWithTools, KUBE_VIP_RELEASES, toolPath } from '../support/tools';
import { cli, containerOf, ensureCompiled, envOf, findObject, yamlDocs } from './support/cli';
import { IMAGES } from '../../lib/kube-vip/defaults';

beforeAll(ensureCompiled);

const IPTABLES = `ghcr.io/kube-vip/kube-vip-iptables:${IMAGES.tag}`;
const STANDARD = `ghcr.io/kube-vip/kube-vip:${IMAGES.tag}`;
const CP = ['--controlplane', '--address', '192.168.0.100', '--arp', '--leaderElection'];

function manifest(args: string[], env: Record<string, string> = {}) {
  const result = cli(['manifest', ...args], { env });
  return { ...result, objects: result.code === 0 ? yamlDocs(result.stdout) : [] };
}

describe("manifest daemonset with kube-vip's documented flags", () => {
  const { code, objects, stderr } = manifest(['daemonset', '--interface', 'eth0', ...CP, '--inCluster', '--taint', '--services']);
  const ds = findObject(objects, 'DaemonSet');
  it('writes the ServiceAccount, its RBAC and the DaemonSet', () => {
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'DaemonSet',
      'Role',
      'RoleBinding',
      'ServiceAccount',
    ]);
  });
  it("keeps kube-vip's meaning: lease names, leader election, no per-Service election", () => {
    expect(envOf(ds)).toMatchObject({
      vip_interface: 'eth0',
      address: '192.168.0.100',
      vip_arp: 'true',
      cp_enable: 'true',
      svc_enable: 'true',
      vip_leaderelection: 'true',
      vip_leasename: 'plndr-cp-lock',
      svc_leasename: 'plndr-svcs-lock',
      svc_election: 'false',
    });
    expect(envOf(ds).vip_address).toBeUndefined();
  });
  it('uses the standard image and a ServiceAccount when nothing needs more', () => {
    expect(containerOf(ds).image).toBe(STANDARD);
    expect(ds.spec.template.spec.serviceAccountName).toBe('kube-vip');
    expect(ds.spec.template.spec.volumes).toBeUndefined();
  });
  it('gives the same bytes as synth of the equivalent values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-manifest-'));
    const values = join(dir, 'values.yaml');
    writeFileSync(
      values,
      stringify({
        interface: 'eth0',
        controlPlane: { enabled: true, address: '192.168.0.100', leaderElection: { leaseName: 'plndr-cp-lock' } },
        services: { enabled: true, election: false, leaseName: 'plndr-svcs-lock' },
        egress: { cleanOnStart: false },
      }),
    );
    const synth = cli(['synth', '-f', values]);
    expect(synth.code).toBe(0);
    expect(cli(['manifest', 'daemonset', '--interface', 'eth0', ...CP, '--services']).stdout).toBe(synth.stdout);
  });
});

describe('the iptables image where a feature needs it', () => {
  it('P1: masquerade before v1.2.2 gets the iptables image and a privileged container, and --explain says why', () => {
    const { objects, stderr } = manifest([
      'daemonset',
      ...CP,
      '--enableLoadBalancer',
      '--lbForwardingMethod',
      'masquerade',
      '--image',
      'ghcr.io/kube-vip/kube-vip:v1.2.1',
      '--explain',
    ]);
    const ds = findObject(objects, 'DaemonSet');
    expect(containerOf(ds).image).toBe('ghcr.io/kube-vip/kube-vip-iptables:v1.2.1');
    expect(containerOf(ds).securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: true });
    expect(stderr).toMatch(
      /explain: image ghcr\.io\/kube-vip\/kube-vip-iptables:v1\.2\.1 instead of ghcr\.io\/kube-vip\/kube-vip: .*\(P1\)/,
    );
  });
  it('P1: masquerade from v1.2.2 on (the default release) keeps the standard image (in-process nftables), still privileged', () => {
    const { objects } = manifest(['daemonset', ...CP, '--enableLoadBalancer', '--lbForwardingMethod', 'masquerade']);
    const ds = findObject(objects, 'DaemonSet');
    expect(containerOf(ds).image).toBe(STANDARD);
    expect(containerOf(ds).securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: true });
  });
  it('P2: port security gets it too', () => {
    const { objects } = manifest(['daemonset', '--services', '--arp', '--onlyAllowTrafficServicePorts']);
    expect(containerOf(findObject(objects, 'DaemonSet')).image).toBe(IPTABLES);
  });
  it('without such a feature, the standard image and no image decision in --explain', () => {
    const { objects, stderr } = manifest(['daemonset', ...CP, '--explain']);
    expect(containerOf(findObject(objects, 'DaemonSet')).image).toBe(STANDARD);
    expect(stderr).not.toContain('explain: image ghcr');
  });
  it('follows the registry and tag of --image', () => {
    const { objects } = manifest([
      'daemonset',
      ...CP,
      '--enableLoadBalancer',
      '--lbForwardingMethod',
      'Masquerade',
      '--image',
      'registry.local:5000/kube-vip/kube-vip:v1.1.0',
    ]);
    const ds = findObject(objects, 'DaemonSet');
    expect(containerOf(ds).image).toBe('registry.local:5000/kube-vip/kube-vip-iptables:v1.1.0');
    expect(envOf(ds).lb_fwdmethod).toBe('masquerade');
  });
});

describe("spellings from kube-vip's docs and the upstream chart", () => {
  const DIGEST = `sha256:${'ab'.repeat(32)}`;
  it.each([
    // No host (kube-vip's default) is ours, the node's own address; an explicit one is kept.
    ['0.0.0.0:2112', '0.0.0.0:2112', 2112],
    ['127.0.0.1:2115', '127.0.0.1:2115', 2115],
    ['[::1]:2112', '[::1]:2112', 2112],
    [':2113', '[$(KUBE_VIP_NODE_ADDRESS)]:2113', 2113],
  ])('--prometheusHTTPServer %s listens on %s', (flag, env, port) => {
    const { code, objects } = manifest(['daemonset', ...CP, '--prometheusHTTPServer', flag]);
    expect(code).toBe(0);
    const ds = findObject(objects, 'DaemonSet');
    expect([envOf(ds).prometheus_server, containerOf(ds).ports[0].containerPort]).toEqual([env, port]);
  });
  it('--prometheusHTTPServer with a host name is refused with the forms it takes', () => {
    const { code, stderr } = manifest(['daemonset', ...CP, '--prometheusHTTPServer', 'node-1:2112']);
    expect(code).toBe(2);
    expect(stderr).toContain('"node-1:2112": write :PORT, or ADDRESS:PORT ([ADDRESS]:PORT for IPv6)');
  });
  it('--image by digest pins that image, and keeps the tag the release is judged by', () => {
    const { code, objects } = manifest(['daemonset', ...CP, '--image', `${STANDARD}@${DIGEST}`]);
    expect(code).toBe(0);
    expect(containerOf(findObject(objects, 'DaemonSet')).image).toBe(`${STANDARD}@${DIGEST}`);
  });
  it('--image by digest of the iptables image serves port security; of the standard one, port security is refused', () => {
    const services = ['daemonset', '--services', '--arp', '--onlyAllowTrafficServicePorts', '--image'];
    const iptables = manifest([...services, `${IPTABLES}@${DIGEST}`]);
    expect(containerOf(findObject(iptables.objects, 'DaemonSet')).image).toBe(`${IPTABLES}@${DIGEST}`);
    const standard = manifest([...services, `${STANDARD}@${DIGEST}`]);
    expect(standard.code).toBe(1);
    expect(standard.stderr).toContain('[P2-port-security-image]');
  });
  it('--image by digest without a tag is refused: the tag says which release it is', () => {
    const { code, stderr } = manifest(['daemonset', ...CP, '--image', `ghcr.io/kube-vip/kube-vip@${DIGEST}`]);
    expect(code).toBe(2);
    expect(stderr).toContain('give the tag with the digest (repository:tag@digest)');
  });
});

describe('manifest pod (kubeadm static pod)', () => {
  it('mounts admin.conf by default', () => {
    const { objects } = manifest(['pod', ...CP]);
    expect(objects.map((o) => o.kind)).toEqual(['Pod']);
    expect(objects[0].spec.volumes).toEqual([{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/admin.conf', type: 'File' } }]);
  });
  it('P5: mounts super-admin.conf where kube-vip reads admin.conf', () => {
    const { objects } = manifest(['pod', ...CP, '--k8sConfigPath', '/etc/kubernetes/super-admin.conf']);
    const pod = objects[0];
    expect(pod.spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/super-admin.conf');
    expect(containerOf(pod).volumeMounts).toEqual([{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true }]);
  });
  it('refuses a kubeconfig the static pod cannot use', () => {
    const { code, stderr } = manifest(['pod', ...CP, '--k8sConfigPath', '/root/.kube/config']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--k8sConfigPath /root/.kube/config: a static pod mounts /etc/kubernetes/admin.conf or /etc/kubernetes/super-admin.conf',
    );
  });
  it('refuses Services, a ServiceAccount, and a pod without the control plane', () => {
    expect(manifest(['pod', ...CP, '--services']).stderr).toContain(
      'a static pod cannot have the ServiceAccount and RBAC that Services need',
    );
    expect(manifest(['pod', ...CP, '--inCluster']).stderr).toContain('--inCluster: a static pod cannot use a ServiceAccount');
    expect(manifest(['pod', '--arp', '--services']).code).toBe(2);
  });
});

describe('addresses', () => {
  it('writes --vip as address, and as vip_address with vip_subnet when asked', () => {
    const vip = ['--controlplane', '--arp', '--vip', '192.168.0.100'];
    expect(envOf(manifest(['pod', ...vip]).objects[0])).toMatchObject({ address: '192.168.0.100' });
    const legacy = envOf(manifest(['pod', ...vip, '--legacy-vip-address']).objects[0]);
    expect(legacy).toMatchObject({ vip_address: '192.168.0.100', vip_subnet: '32' });
    expect(legacy.address).toBeUndefined();
  });
  it('checks the VIP like every address of the model, naming the flag', () => {
    const { code, stderr } = manifest(['daemonset', '--controlplane', '--arp', '--address', 'kube.example.com']);
    expect(code).toBe(1);
    expect(stderr).toContain('error [schema-pattern] --address: controlPlane.address: "kube.example.com" is not well formed');
  });
});

describe("kube-vip's semantics for what is left out", () => {
  it('turns leader election on for ARP, and says so', () => {
    const { objects, stderr } = manifest(['daemonset', '--controlplane', '--arp', '--address', '192.168.0.100', '--explain']);
    expect(envOf(findObject(objects, 'DaemonSet')).vip_leaderelection).toBe('true');
    expect(stderr).toContain('explain: vip_leaderelection: "true": kube-vip\'s generator leaves leader election off');
  });
  it('refuses ARP with leader election explicitly off', () => {
    const { code, stderr } = manifest(['daemonset', '--controlplane', '--arp', '--address', '192.168.0.100', '--leaderElection=false']);
    expect(code).toBe(1);
    expect(stderr).toContain('error [arp-needs-leader-election] --leaderElection: controlPlane.leaderElection.enabled: false');
  });
  it('needs exactly one announcement mode', () => {
    expect(manifest(['daemonset', '--controlplane', '--address', '192.168.0.100']).stderr).toContain('[announce-mode]');
    expect(manifest(['daemonset', ...CP, '--bgp']).stderr).toContain('has several modes on');
  });
  it("reads kube-vip's env vars when the flags are absent, and lets a flag win", () => {
    const env = { cp_enable: 'true', vip_arp: 'true', address: '192.168.0.100', vip_leaderelection: 'true', port: '7443' };
    const { objects, stderr } = manifest(['daemonset', '--port', '6443', '--explain'], env);
    expect(envOf(findObject(objects, 'DaemonSet'))).toMatchObject({ cp_enable: 'true', address: '192.168.0.100', port: '6443' });
    expect(stderr).toContain('explain: --port wins over env port=7443');
  });
  it("writes what kube-vip's generator drops, and explains it", () => {
    const { objects, stderr } = manifest(['daemonset', '--services', '--table', '--tableID', '200', '--explain']);
    expect(envOf(findObject(objects, 'DaemonSet')).vip_routingtableid).toBe('200');
    expect(stderr).toContain("explain: tableID 200 reaches kube-vip: kube-vip's generator drops --tableID");
  });
  it('keeps a Services-only DaemonSet on control-plane nodes with --taint', () => {
    const ds = findObject(manifest(['daemonset', '--services', '--arp', '--taint']).objects, 'DaemonSet');
    expect(ds.spec.template.spec.tolerations).toEqual([
      { effect: 'NoSchedule', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ]);
    expect(findObject(manifest(['daemonset', '--services', '--arp']).objects, 'DaemonSet').spec.template.spec.tolerations).toBeUndefined();
  });
});

describe('BGP', () => {
  const bgp = ['daemonset', ...CP.filter((a) => a !== '--arp' && a !== '--leaderElection'), '--bgp', '--bgpRouterID', '192.168.0.11'];
  it('takes --bgppeers and --peerAddress, passwords only from a Secret', () => {
    const { code, objects } = manifest([
      ...bgp,
      '--bgppeers',
      '192.168.0.1:65000::true,[2001:db8::1]:65001',
      '--peerAddress',
      '192.168.0.2',
      '--peerPassSecret',
      'bgp/password',
    ]);
    expect(code).toBe(0);
    const env = envOf(findObject(objects, 'DaemonSet'));
    expect(env.bgp_peers).toBe(
      '192.168.0.1:65000:$(BGP_PEER_0_PASSWORD):true:179,[2001:db8::1]:65001:$(BGP_PEER_1_PASSWORD):false:179,192.168.0.2:65000:$(BGP_PEER_2_PASSWORD):false:179',
    );
    expect(env.BGP_PEER_0_PASSWORD).toEqual({ secretKeyRef: { name: 'bgp', key: 'password' } });
  });
  it('refuses plain-text passwords', () => {
    expect(manifest([...bgp, '--peerAddress', '192.168.0.2', '--peerPass', 'hunter2']).stderr).toContain(
      '--peerPass would write the BGP password in plain text',
    );
    expect(manifest([...bgp, '--bgppeers', '192.168.0.1:65000:hunter2']).code).toBe(2);
  });
});

describe('help and the flag table', () => {
  it('lists accepted, ignored and refused flags with env vars and reasons', () => {
    const { code, stdout: text } = cli(['manifest', '--help']);
    const stdout = text.replace(/\s+/g, ' ');
    expect(code).toBe(0);
    expect(stdout).toContain(
      "--leaseDuration N Lease duration; above retryPeriodSeconds + 2 x renewDeadlineSeconds, or a leader cut off from the API server still holds the VIP when another node takes it. 6 (not kube-vip's 15): a lost leader's VIP back in about 8 s, never on two nodes (README, What survives what). (controlPlane.leaderElection.leaseDurationSeconds) Left out (with the other lease timings): 6, not kube-vip's 15. [env vip_leaseduration]",
    );
    expect(stdout).toContain('(controlPlane.leaderElection.enabled) Left out: off, as in kube-vip. [env vip_leaderelection]');
    expect(stdout).toMatch(/--wireguard +Refused: WireGuard mode is not in the cdk8s-kube-vip model/);
    expect(stdout).toMatch(/--nodeName VALUE +Ignored: /);
  });
  it('accepts every flag the issue lists', () => {
    const required = [
      'interface',
      'address',
      'vip',
      'vipSubnet',
      'port',
      'controlplane',
      'services',
      'servicesElection',
      'arp',
      'bgp',
      'bgpRouterID',
      'localAS',
      'peerAddress',
      'peerAS',
      'bgppeers',
      'table',
      'leaderElection',
      'leaseDuration',
      'leaseRenewDuration',
      'leaseRetry',
      'enableLoadBalancer',
      'lbPort',
      'lbForwardingMethod',
      'onlyAllowTrafficServicePorts',
      'inCluster',
      'taint',
      'k8sConfigPath',
      'namespace',
      'image',
    ];
    const accepted = KUBE_VIP_FLAGS.filter((f) => !isRefusedFlag(f)).map((f) => f.name);
    expect(required.filter((name) => !accepted.includes(name))).toEqual([]);
  });
  it('names only env vars lib/kube-vip knows, and only model fields that exist', () => {
    const envs = KUBE_VIP_FLAGS.flatMap((f) => envOfFlag(f) ?? []);
    expect(envs.filter((e) => !MANAGED_ENV_NAMES.has(e))).toEqual([]);
    expect(KUBE_VIP_FLAGS.filter(isPathFlag).filter((f) => !fieldAt(valuesSchema, f.path))).toEqual([]);
  });
});

/** The flags a real kube-vip release's `manifest <kind> --help` lists, with pflag's type word (none for a boolean). */
function releaseFlags(binary: string, kind: string): { name: string; type: string }[] {
  const text = execFileSync(binary, ['manifest', kind, '--help'], { encoding: 'utf8' });
  // The flag lists follow Usage:; the prose before them names some flags too.
  const help = text.slice(text.indexOf('Usage:'));
  return [...help.matchAll(/^\s+(?:-\w, )?--([A-Za-z0-9-]+)(?: (string|strings|int|int32|uint|uint16|uint32|duration))?\s/gm)]
    .map((m) => ({ name: m[1], type: m[2] ?? 'bool' }))
    .filter((f) => f.name !== 'help');
}

const KINDS: Record<string, string> = { bool: 'boolean', string: 'string', strings: 'list', duration: 'string' };

describeWithTools(['kube-vip-v1.2.2', 'kube-vip-v1.2.1'])("every flag of kube-vip's own manifest command", () => {
  it.each(KUBE_VIP_RELEASES.flatMap((release) => (['daemonset', 'pod'] as const).map((kind) => [release, kind] as const)))(
    '%s manifest %s: each is in the table (mapped, ignored or refused with its reason), of the kind pflag parses',
    (release, kind) => {
      const flags = releaseFlags(toolPath(`kube-vip-${release}`)!, kind);
      expect(flags.length).toBeGreaterThan(60);
      const table = new Map<string, { kind: string }>([...KUBE_VIP_FLAGS, ...OWN_FLAGS].map((f) => [f.name, f]));
      expect(flags.filter((f) => !table.has(f.name)).map((f) => f.name)).toEqual([]);
      const mismatched = flags.filter((f) => table.get(f.name)!.kind !== (KINDS[f.type] ?? 'integer'));
      expect(mismatched.map((f) => `${f.name}: ${f.type}`)).toEqual([]);
    },
  );
  it('a refused one gets its reason, not a bare "unknown option"', () => {
    const { code, stderr } = cli(['manifest', 'daemonset', '--services', '--arp', '--zebraUrl', 'unix:/run/frr/zserv.api']);
    expect(code).toBe(2);
    expect(stderr).toContain('--zebraUrl is not in the cdk8s-kube-vip model; set its env var with extraEnv in a values file');
  });
});
