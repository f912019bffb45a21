import { checkValues, KubeVipConfigError } from '../../lib';
import { HELMS, runHelm, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';

interface BadValues {
  readonly name: string;
  readonly values: Record<string, unknown>;
  /** What helm's error must say: the offending key, as the schema (JSON pointer) or a template check (dotted path) names it. */
  readonly helm: readonly string[];
  /** The path the toolkit's own validation names for the same file; null where only Helm can tell (the release). */
  readonly toolkit: string | null;
}

const cp = { enabled: true, address: '192.168.0.100' };
const masquerade = { ...cp, loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } };
const bgp = (extra: Record<string, unknown>) => ({
  announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 64513 }], ...extra } },
});
const egressFacts = { cluster: { podCIDRs: ['10.244.0.0/16'], serviceCIDRs: ['10.96.0.0/12'] } };

const TABLE: BadValues[] = [
  // wrong types, unknown keys, ranges, enums (values.schema.json)
  {
    name: 'port as a string',
    values: { controlPlane: { ...cp, port: '6443x' } },
    helm: ["at '/controlPlane/port': got string, want integer"],
    toolkit: 'controlPlane.port',
  },
  {
    name: 'boolean as a quoted string',
    values: { services: { enabled: 'true' } },
    helm: ["at '/services/enabled': got string, want boolean"],
    toolkit: 'services.enabled',
  },
  {
    name: 'list where a map belongs',
    values: { scheduling: { nodeSelector: ['a'] } },
    helm: ["at '/scheduling/nodeSelector'"],
    toolkit: 'scheduling.nodeSelector',
  },
  { name: 'unknown top-level key', values: { vip: '192.168.0.100' }, helm: ["additional properties 'vip' not allowed"], toolkit: 'vip' },
  {
    name: 'misspelt nested key',
    values: { controlPlane: { ...cp, adress: '192.168.0.100' } },
    helm: ["at '/controlPlane'", "additional properties 'adress' not allowed"],
    toolkit: 'controlPlane.adress',
  },
  { name: 'unknown announce mode', values: { announce: { mode: 'layer2' } }, helm: ["at '/announce/mode'"], toolkit: 'announce.mode' },
  {
    name: 'unknown forwarding method',
    values: { controlPlane: { ...cp, loadBalancer: { enabled: true, forwardingMethod: 'nat' } } },
    helm: ["at '/controlPlane/loadBalancer/forwardingMethod'"],
    toolkit: 'controlPlane.loadBalancer.forwardingMethod',
  },
  { name: 'port out of range', values: { metrics: { port: 70000 } }, helm: ["at '/metrics/port'"], toolkit: 'metrics.port' },
  {
    name: 'extraEnv item that is not a map',
    values: { extraEnv: [{ name: 'a', value: 'b' }, null] },
    helm: ["at '/extraEnv/1'"],
    toolkit: 'extraEnv[1]',
  },
  {
    name: 'ARP rate below the minimum',
    values: { announce: { arp: { rateMs: 10 } } },
    helm: ["at '/announce/arp/rateMs'"],
    toolkit: 'announce.arp.rateMs',
  },
  {
    name: 'a default deleted with null',
    values: { services: { election: null } },
    helm: ["at '/services'", "'election'"],
    toolkit: 'services.election',
  },
  {
    name: 'BGP peer without an AS',
    values: { announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1' }] } } },
    helm: ["at '/announce/bgp/peers/0'", "'as'"],
    toolkit: 'announce.bgp.peers[0].as',
  },
  { name: 'invalid namespace', values: { namespace: 'Kube_System' }, helm: ["at '/namespace'"], toolkit: 'namespace' },
  {
    name: 'pull Secret reference with a field besides name',
    values: { image: { pullSecrets: [{ name: 'regcred', namespace: 'registry' }] } },
    helm: ["at '/image/pullSecrets/0'", "additional properties 'namespace' not allowed"],
    toolkit: 'image.pullSecrets[0].namespace',
  },
  {
    name: 'pull Secret reference with an empty name',
    values: { image: { pullSecrets: [{ name: '' }] } },
    helm: ["at '/image/pullSecrets/0/name'"],
    toolkit: 'image.pullSecrets[0].name',
  },
  {
    name: 'pull Secret reference without a name',
    values: { image: { pullSecrets: [{}] } },
    helm: ["at '/image/pullSecrets/0'", "missing property 'name'"],
    toolkit: 'image.pullSecrets[0].name',
  },
  {
    name: 'pull Secret name that is no Secret name',
    values: { image: { pullSecrets: [{ name: 'Reg_Cred' }] } },
    helm: ["at '/image/pullSecrets/0/name'"],
    toolkit: 'image.pullSecrets[0].name',
  },
  { name: 'image tag with a space', values: { image: { tag: 'v1.2.3 ' } }, helm: ["at '/image/tag'"], toolkit: 'image.tag' },
  // bad addresses
  {
    name: 'VIP that is no address',
    values: { controlPlane: { ...cp, address: '192.168.0.300' } },
    helm: ['[schema-pattern] controlPlane.address: "192.168.0.300" is not well formed'],
    toolkit: 'controlPlane.address',
  },
  {
    name: 'IPv4 CIDR with /33',
    values: { egress: { podCIDR: '10.0.0.0/33' } },
    helm: ['[schema-pattern] egress.podCIDR: "10.0.0.0/33" is not well formed'],
    toolkit: 'egress.podCIDR',
  },
  {
    name: 'egress CIDRs with a space after the comma',
    values: { egress: { podCIDR: '10.244.0.0/16, fd00:10:244::/56' } },
    helm: ["at '/egress/podCIDR'"],
    toolkit: 'egress.podCIDR',
  },
  {
    name: 'three egress CIDRs',
    values: { egress: { serviceCIDR: '10.96.0.0/12,fd00:10:96::/112,10.97.0.0/16' } },
    helm: ['[schema-pattern] egress.serviceCIDR: "10.96.0.0/12,fd00:10:96::/112,10.97.0.0/16" is not well formed'],
    toolkit: 'egress.serviceCIDR',
  },
  {
    name: 'IPAM range written with ..',
    values: { ipam: { enabled: true, global: { ranges: ['10.0.0.9..10.0.0.20'] } } },
    helm: [
      '[schema-pattern] ipam.global.ranges[0]: "10.0.0.9..10.0.0.20" is not well formed; write a range such as 192.168.1.100-192.168.1.120',
    ],
    toolkit: 'ipam.global.ranges[0]',
  },
  { name: 'interface alias', values: { interface: 'eth0:1' }, helm: ["at '/interface'"], toolkit: 'interface' },
  // P1-P3 image contradictions (schema if/then)
  {
    name: 'P1 masquerade with the standard image',
    values: { image: { variant: 'standard', tag: 'v1.2.1' }, controlPlane: masquerade },
    helm: [
      '[P1-masquerade-image] controlPlane.loadBalancer.forwardingMethod: "masquerade" needs the kube-vip-iptables image on v1.2.1',
      'set image.variant to auto or iptables',
    ],
    toolkit: 'controlPlane.loadBalancer.forwardingMethod',
  },
  {
    name: 'P2 port security with the standard image',
    values: { image: { variant: 'standard' }, services: { onlyAllowTrafficServicePorts: true } },
    helm: ['[P2-port-security-image] services.onlyAllowTrafficServicePorts: true needs the kube-vip-iptables image on v1.2.3'],
    toolkit: 'services.onlyAllowTrafficServicePorts',
  },
  {
    name: 'P3 egress with the standard image',
    values: { image: { variant: 'standard', tag: 'v1.2.1' }, egress: { enabled: true }, ...egressFacts },
    helm: ['[P3-egress-image] egress.enabled: true needs the kube-vip-iptables image on v1.2.1'],
    toolkit: 'egress.enabled',
  },
  // contradictions the templates catch
  {
    name: 'P3 egress without CIDRs',
    values: { egress: { enabled: true } },
    helm: ['[P3-egress-cidrs] egress.podCIDR', '[P3-egress-cidrs] egress.serviceCIDR'],
    toolkit: 'egress.podCIDR',
  },
  {
    name: 'P3 egress without services',
    values: { services: { enabled: false }, controlPlane: cp, egress: { enabled: true }, ...egressFacts },
    helm: ['[P3-egress-needs-services] egress.enabled'],
    toolkit: 'egress.enabled',
  },
  {
    name: 'P3 egress without per-Service election',
    values: { services: { election: false }, egress: { enabled: true }, ...egressFacts },
    helm: ['[P3-egress-needs-election] services.election'],
    toolkit: 'services.election',
  },
  {
    name: 'nothing enabled',
    values: { services: { enabled: false } },
    helm: ['[feature-none] controlPlane.enabled'],
    toolkit: 'controlPlane.enabled',
  },
  {
    name: 'control plane without a VIP',
    values: { controlPlane: { enabled: true } },
    helm: ['[control-plane-address] controlPlane.address'],
    toolkit: 'controlPlane.address',
  },
  {
    name: 'ARP without leader election',
    values: { controlPlane: { ...cp, leaderElection: { enabled: false } } },
    helm: ['[arp-needs-leader-election] controlPlane.leaderElection.enabled'],
    toolkit: 'controlPlane.leaderElection.enabled',
  },
  {
    name: 'a namespace range behind a global CIDR pool',
    values: {
      ipam: { enabled: true, global: { cidrs: ['192.168.0.224/28'] }, namespaces: { team: { ranges: ['192.168.0.240-192.168.0.241'] } } },
    },
    helm: [
      '[ipam-pool-shadowed] ipam.namespaces.team.ranges: ["192.168.0.240-192.168.0.241"] is never used: kube-vip-cloud-provider takes ipam.global.cidrs first',
    ],
    toolkit: 'ipam.namespaces.team.ranges',
  },
  {
    name: 'a namespace range behind its own CIDRs',
    values: { ipam: { enabled: true, namespaces: { team: { cidrs: ['192.168.0.224/28'], ranges: ['192.168.0.240-192.168.0.241'] } } } },
    helm: [
      '[ipam-pool-shadowed] ipam.namespaces.team.ranges: ["192.168.0.240-192.168.0.241"] is never used: kube-vip-cloud-provider takes ipam.namespaces.team.cidrs first',
      'give namespace team its pool as cidrs, or write ipam.namespaces.team.cidrs as ranges',
    ],
    toolkit: 'ipam.namespaces.team.ranges',
  },
  {
    name: 'global ranges behind global CIDRs',
    values: { ipam: { enabled: true, global: { cidrs: ['192.168.0.224/28'], ranges: ['192.168.0.240-192.168.0.241'] } } },
    helm: ['[ipam-pool-shadowed] ipam.global.ranges'],
    toolkit: 'ipam.global.ranges',
  },
  {
    name: 'renew deadline above the lease',
    values: { controlPlane: { ...cp, leaderElection: { renewDeadlineSeconds: 20 } } },
    helm: ['[lease-timing] controlPlane.leaderElection.renewDeadlineSeconds: 20'],
    toolkit: 'controlPlane.leaderElection.renewDeadlineSeconds',
  },
  {
    name: 'metrics on the kubelet port',
    values: { controlPlane: cp, metrics: { port: 10250 } },
    helm: ['[port-collision] metrics.port: 10250', 'kubelet'],
    toolkit: 'metrics.port',
  },
  {
    name: 'metrics on the API server port',
    values: { controlPlane: cp, metrics: { port: 6443 } },
    helm: ['[port-collision] metrics.port: 6443'],
    toolkit: 'metrics.port',
  },
  {
    name: 'BGP without a router ID',
    values: bgp({ routerID: '' }),
    helm: ['[bgp-router-id] announce.bgp.routerID'],
    toolkit: 'announce.bgp.routerID',
  },
  {
    name: 'BGP router ID in IPv6',
    values: bgp({ routerID: 'fd00::1' }),
    helm: ['[bgp-router-id] announce.bgp.routerID: "fd00::1"'],
    toolkit: 'announce.bgp.routerID',
  },
  { name: 'BGP without peers', values: bgp({ peers: [] }), helm: ['[bgp-peers] announce.bgp.peers'], toolkit: 'announce.bgp.peers' },
  {
    name: 'BGP password for a static pod',
    values: {
      controlPlane: { ...cp, deployment: 'staticPod' },
      ...bgp({ peers: [{ address: '192.168.0.1', as: 64513, password: { name: 'bgp', key: 'pw' } }] }),
    },
    helm: ['[bgp-password-static-pod] announce.bgp.peers[0].password'],
    toolkit: 'announce.bgp.peers[0].password',
  },
  {
    name: 'super-admin.conf for a DaemonSet (P5)',
    values: { controlPlane: { ...cp, kubeconfig: 'superAdmin' } },
    helm: ['[P5-kubeconfig-static-pod-only] controlPlane.kubeconfig'],
    toolkit: 'controlPlane.kubeconfig',
  },
  {
    name: 'extraEnv overriding a managed variable',
    values: { extraEnv: [{ name: 'vip_arp', value: 'false' }] },
    helm: ['[extra-env-managed] extraEnv[0].name: "vip_arp"'],
    toolkit: 'extraEnv[0].name',
  },
  {
    name: 'extraEnv the release does not read',
    values: { image: { tag: 'v1.2.1' }, extraEnv: [{ name: 'debounce_time', value: '3' }] },
    helm: ['[env-not-read-by-release] extraEnv[0].name: "debounce_time" is read by kube-vip v1.2.2 and newer only; v1.2.1 ignores it'],
    toolkit: 'extraEnv[0].name',
  },
  {
    name: 'extraEnv without a name',
    values: { extraEnv: [{ value: 'x' }] },
    helm: ["at '/extraEnv/0'", "missing property 'name'"],
    toolkit: 'extraEnv[0].name',
  },
  {
    name: 'extraEnv with an empty name',
    values: { extraEnv: [{ name: '', value: 'x' }] },
    helm: ['[extra-env] extraEnv[0]'],
    toolkit: 'extraEnv[0]',
  },
  {
    name: 'an empty entry in a list of addresses',
    values: { cluster: { serviceCIDRs: ['10.96.0.0/12', ''] } },
    helm: ['[address-syntax] cluster.serviceCIDRs[1]: "" is not a CIDR; write a CIDR such as 10.0.0.0/16'],
    toolkit: 'cluster.serviceCIDRs[1]',
  },
  {
    name: 'an empty range in a namespace pool',
    values: { ipam: { enabled: true, namespaces: { apps: { ranges: [''] } } } },
    helm: ['[address-syntax] ipam.namespaces.apps.ranges[0]: ""'],
    toolkit: 'ipam.namespaces.apps.ranges[0]',
  },
  {
    name: 'the cloud provider without pools',
    values: { ipam: { cloudProvider: { enabled: true } } },
    helm: ['[cloud-provider-without-ipam] ipam.cloudProvider.enabled: true'],
    toolkit: 'ipam.cloudProvider.enabled',
  },
  {
    name: 'only a class with no name',
    values: { services: { loadBalancerClass: { name: '', only: true } } },
    helm: ['[lb-class-name] services.loadBalancerClass.name'],
    toolkit: 'services.loadBalancerClass.name',
  },
  {
    name: 'a name too long for the services DaemonSet',
    values: { name: 'k'.repeat(60), controlPlane: { ...cp, deployment: 'staticPod' } },
    helm: ['[name-length] name'],
    toolkit: 'name',
  },
  {
    name: 'a static pod and nothing Helm can deploy',
    values: { services: { enabled: false }, controlPlane: { ...cp, deployment: 'staticPod' } },
    helm: ['[static-pod-not-helm] controlPlane.deployment'],
    toolkit: null,
  },
];

describe('the bad-values table', () => {
  it('has at least 25 cases with distinct names', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(25);
    expect(new Set(TABLE.map((c) => c.name)).size).toBe(TABLE.length);
  });

  // The toolkit refuses the same files, naming the same key: the chart and the constructs agree.
  test.each(TABLE.filter((c) => c.toolkit !== null).map((c) => [c.name, c] as const))('toolkit refuses: %s', (_, c) => {
    let error: unknown;
    try {
      checkValues(c.values);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeVipConfigError);
    expect((error as KubeVipConfigError).problems.map((p) => p.path)).toContain(c.toolkit);
  });
});

describeWithTools(['helm3', 'helm4'])('helm refuses bad values, naming the key', () => {
  const chart = useTestChart();

  describe.each(HELMS)('%s', (helm) => {
    test.each(TABLE.map((c) => [c.name, c] as const))('%s', (name, c) => {
      const file = writeValues(chart().scratch, name, c.values);
      const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      for (const text of c.helm) expect(result.stderr).toContain(text);
      // A user mistake, not a crash: no Go panic or stack trace.
      expect(result.stderr).not.toMatch(/panic|goroutine/);
    });

    it.each([
      ['controlPlane.address', { controlPlane: { ...cp, address: '999.1.1.1' } }],
      ['cluster.nodeAddresses[0]', { cluster: { nodeAddresses: ['192.168.0.11/99'] } }],
      ['announce.bgp.peers[0].address', bgp({ peers: [{ address: '192.168.0.1.5', as: 64513 }] })],
      ['egress.podCIDR (a space)', { egress: { podCIDR: '10.244.0.0/16, fd00:10:244::/56' } }],
    ])('refuses a malformed %s in lines a person reads, not a 2,000-character pattern', (_, values) => {
      const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-f', writeValues(chart().scratch, 'malformed', values)]);
      expect(result.status).not.toBe(0);
      expect(Math.max(...result.stderr.split('\n').map((line) => line.length))).toBeLessThan(300);
    });

    it('accepts what the release runs without the iptables binaries, and dual-stack egress CIDRs, as the toolkit does', () => {
      const values = {
        image: { variant: 'standard', tag: 'v1.2.2' },
        ...egressFacts,
        egress: { enabled: true, podCIDR: '10.244.0.0/16,fd00:10:244::/56', serviceCIDR: '10.96.0.0/12,fd00:10:96::/112' },
      };
      expect(checkValues(values).warnings).toEqual([]);
      const result = runHelm(helm, [
        'template',
        'kube-vip',
        chart().dir,
        '-n',
        'kube-system',
        '-f',
        writeValues(chart().scratch, 'nftables-egress', values),
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('image: "ghcr.io/kube-vip/kube-vip:v1.2.2"');
      expect(result.stdout).toContain('- name: egress_podcidr\n              value: "10.244.0.0/16,fd00:10:244::/56"');
    });

    it('reports every problem of a file at once', () => {
      const file = writeValues(chart().scratch, 'several', {
        egress: { enabled: true },
        controlPlane: { ...cp, leaderElection: { enabled: false } },
        extraEnv: [{ name: 'vip_arp', value: 'false' }],
      });
      const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
      expect(result.stderr).toContain('invalid kube-vip values (4 problems)');
      for (const rule of ['P3-egress-cidrs', 'arp-needs-leader-election', 'extra-env-managed'])
        expect(result.stderr).toContain(`[${rule}]`);
    });
  });
});
