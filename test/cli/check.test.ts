import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { cli, ensureCompiled } from './support/cli';
import { egressService, kubesprayPod, role, roleBinding, upstreamDaemonSet, upstreamPod, yamlOf } from './support/upstream';

type Json = Record<string, any>;

beforeAll(ensureCompiled);

const dir = mkdtempSync(join(tmpdir(), 'cli-check-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Report {
  code: number | null;
  rules: string[];
  findings: Json[];
  stderr: string;
}

/** check with --output json: the exit code and the rule ids found. */
function checkReport(input: string, ...flags: string[]): Report {
  const { code, stdout, stderr } = cli(['check', '--output', 'json', ...flags, '-'], { stdin: input });
  if (code !== 0 && code !== 1) throw new Error(`check exited ${code}: ${stderr}`);
  const parsed = JSON.parse(stdout);
  return { code, rules: parsed.findings.map((f: Json) => f.rule), findings: parsed.findings, stderr };
}

const check = checkReport;

const IPTABLES = 'ghcr.io/kube-vip/kube-vip-iptables:v1.2.2';

/**
 * kube-vip's generator output for `--controlplane --arp --leaderElection --address ...` plus
 * `extra`, with lease timings that never put the VIP on two nodes (the generator's own do:
 * lease-two-holders, tested below).
 */
const controlPlaneEnv = (extra: Record<string, string> = {}) => ({
  vip_arp: 'true',
  cp_enable: 'true',
  cp_namespace: 'kube-system',
  vip_leaderelection: 'true',
  vip_leasename: 'plndr-cp-lock',
  vip_leaseduration: '6',
  vip_renewdeadline: '2',
  vip_retryperiod: '1',
  address: '192.168.0.40',
  prometheus_server: ':2112',
  ...extra,
});
const masquerade = { lb_enable: 'true', lb_port: '6443', lb_fwdmethod: 'masquerade' };
const servicesEnv = (extra: Record<string, string> = {}) => ({
  vip_arp: 'true',
  svc_enable: 'true',
  svc_leasename: 'plndr-svcs-lock',
  svc_election: 'true',
  ...extra,
});
const egressCIDRs = { egress_podcidr: '10.244.0.0/16', egress_servicecidr: '10.96.0.0/12' };

describe('check: a clean manifest', () => {
  it('reports no problem and exits 0, in text and in json', () => {
    const input = yamlOf(upstreamDaemonSet(controlPlaneEnv()));
    const text = cli(['check', '-'], { stdin: input });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^no problems found in DaemonSet kube-system\/kube-vip-ds \(stdin\)$/m);
    const json = check(input);
    expect(json).toMatchObject({ code: 0, rules: [] });
  });
  it('warns, and still exits 0, when the image runs a release newer than the suite runs', () => {
    const report = check(yamlOf(upstreamDaemonSet(controlPlaneEnv(), { image: 'ghcr.io/kube-vip/kube-vip:v1.2.4' })));
    expect(report).toMatchObject({ code: 0, rules: ['release-untested'] });
  });
});

describe('lease timings that put the VIP on two nodes when a leader loses the API server (test/kube-vip/faults.test.ts)', () => {
  it("are warned as written (kube-vip's documentation: 5, 3, 1), naming both timings", () => {
    const timings = { vip_leaseduration: '5', vip_renewdeadline: '3', vip_retryperiod: '1' };
    const { code, findings } = check(yamlOf(upstreamDaemonSet(controlPlaneEnv(timings))));
    expect(code).toBe(0);
    expect(findings.map((f: Json) => [f.rule, f.severity, f.value])).toEqual([['lease-two-holders', 'warning', 5]]);
  });
  it('are warned when not written at all: kube-vip then runs its own 15, 10, 2', () => {
    const env: Record<string, string> = controlPlaneEnv();
    for (const name of ['vip_leaseduration', 'vip_renewdeadline', 'vip_retryperiod']) delete env[name];
    const { findings } = check(yamlOf(upstreamDaemonSet(env)));
    expect(findings.map((f: Json) => [f.rule, f.value])).toEqual([['lease-two-holders', 15]]);
  });
});

const V121 = { standard: 'ghcr.io/kube-vip/kube-vip:v1.2.1', iptables: 'ghcr.io/kube-vip/kube-vip-iptables:v1.2.1' };

describe('P1: masquerade forwarding, judged by the release the image runs', () => {
  it('on the standard image before v1.2.2 is an error naming the image, what kube-vip then does, and the fix', () => {
    const report = check(yamlOf(upstreamDaemonSet(controlPlaneEnv(masquerade), { image: V121.standard })));
    expect(report.code).toBe(1);
    const finding = report.findings.find((f) => f.rule === 'P1-masquerade-image');
    expect(finding).toMatchObject({
      severity: 'error',
      object: 'DaemonSet kube-system/kube-vip-ds',
      field: 'container kube-vip, image',
      value: V121.standard,
      fix: `run ${V121.iptables}`,
    });
    expect(finding?.message).toContain('lb_fwdmethod');
    expect(finding?.message).toContain('cannot add the VIP ("iptables" not in $PATH) and exits');
  });
  it('on the standard image from v1.2.2 is no error (in-process nftables), only the nat/POSTROUTING warning', () => {
    expect(check(yamlOf(upstreamDaemonSet(controlPlaneEnv(masquerade))))).toMatchObject({ code: 0, rules: ['P1-masquerade-nat-chain'] });
  });
  it('is clean with the iptables image before v1.2.2', () => {
    expect(check(yamlOf(upstreamDaemonSet(controlPlaneEnv(masquerade), { image: V121.iptables })))).toMatchObject({ code: 0, rules: [] });
  });
});

describe('P2: port security, judged by the release the image runs', () => {
  const env = servicesEnv({ enable_service_security: 'true' });
  const iptablesPath = servicesEnv({ enable_service_security: 'true', egress_withnftables: 'false' });
  it('from v1.2.2 without egress_withnftables "false" is on the nftables path: an error on either image', () => {
    expect(check(yamlOf(upstreamDaemonSet(env))).rules).toEqual(['P2-port-security-image', 'P2-port-security-nftables-path']);
    expect(check(yamlOf(upstreamDaemonSet(env, { image: IPTABLES }))).rules).toEqual(['P2-port-security-nftables-path']);
  });
  it('on the standard image is an error on every release', () => {
    expect(check(yamlOf(upstreamDaemonSet(iptablesPath))).rules).toEqual(['P2-port-security-image']);
    expect(check(yamlOf(upstreamDaemonSet(env, { image: V121.standard }))).rules).toEqual(['P2-port-security-image']);
  });
  it('is clean with the iptables image on the iptables path (v1.2.1 takes it by default)', () => {
    expect(check(yamlOf(upstreamDaemonSet(iptablesPath, { image: IPTABLES })))).toMatchObject({ code: 0, rules: [] });
    expect(check(yamlOf(upstreamDaemonSet(env, { image: V121.iptables })))).toMatchObject({ code: 0, rules: [] });
  });
});

describe('P3: egress', () => {
  it('on the standard image is an error before v1.2.2, and no crash predicted from v1.2.2 (nftables)', () => {
    expect(check(yamlOf(upstreamDaemonSet(servicesEnv(egressCIDRs), { image: V121.standard }))).rules).toEqual([
      'P3-egress-image',
      'P3-egress-rules-left-behind',
    ]);
    expect(check(yamlOf(upstreamDaemonSet(servicesEnv(egressCIDRs)))).rules).toEqual([]);
  });
  it('without its CIDRs is an error for each missing one, pointing at the env var', () => {
    const report = check(yamlOf(upstreamDaemonSet(servicesEnv(), { image: IPTABLES }), egressService()));
    expect(report.rules).toEqual(['P3-egress-cidrs', 'P3-egress-cidrs']);
    expect(report.findings.map((f) => f.field)).toEqual([
      'container kube-vip, env egress_podcidr (egress.podCIDR)',
      'container kube-vip, env egress_servicecidr (egress.serviceCIDR)',
    ]);
  });
  it('with both CIDRs on the iptables image is clean', () => {
    expect(check(yamlOf(upstreamDaemonSet(servicesEnv(egressCIDRs), { image: IPTABLES }), egressService()))).toMatchObject({
      code: 0,
      rules: [],
    });
  });
  it('without per-Service election is an error', () => {
    const report = check(yamlOf(upstreamDaemonSet(servicesEnv({ ...egressCIDRs, svc_election: 'false' }), { image: IPTABLES })));
    expect(report.rules).toEqual(['P3-egress-needs-election']);
    expect(report.findings[0].fix).toBe('set env svc_election: true');
  });

  describe('outside kube-system, with a CIDR left to discovery', () => {
    const ds = upstreamDaemonSet(servicesEnv({ egress_podcidr: '10.244.0.0/16' }), { image: IPTABLES, namespace: 'lb' });
    const listPods = role('kube-system', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
    const binding = roleBinding('kube-system', 'kube-vip-egress', { name: 'kube-vip', namespace: 'lb' });
    it('is an error without list pods in kube-system', () => {
      const other = role('lb', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }], 'elsewhere');
      const report = check(yamlOf(ds, other, roleBinding('lb', 'elsewhere', { name: 'kube-vip', namespace: 'lb' })));
      expect(report.findings.find((f) => f.rule === 'P3-egress-rbac')).toMatchObject({
        severity: 'error',
        field: 'serviceAccountName kube-vip',
      });
    });
    it('is clean of that with a Role and RoleBinding there', () => {
      expect(check(yamlOf(ds, listPods, binding)).rules).not.toContain('P3-egress-rbac');
    });
    it('is a warning when the input has no RBAC to judge', () => {
      expect(check(yamlOf(ds)).findings.find((f) => f.rule === 'P3-egress-rbac')?.severity).toBe('warning');
    });
    it('does not count a Role bound to another ServiceAccount', () => {
      const wrong = roleBinding('kube-system', 'kube-vip-egress', { name: 'other', namespace: 'lb' });
      expect(check(yamlOf(ds, listPods, wrong)).rules).toContain('P3-egress-rbac');
    });
  });
});

describe('P4: announced addresses against the cluster', () => {
  const ds = yamlOf(upstreamDaemonSet(controlPlaneEnv()));
  it('finds the VIP on a node address given by flag', () => {
    const report = check(ds, '--node-address', '192.168.0.11/24,192.168.0.40/24');
    expect(report.rules).toEqual(['P4-announced-address-in-use']);
    expect(report.findings[0]).toMatchObject({ field: 'container kube-vip, env address (controlPlane.address)', value: '192.168.0.40' });
  });
  it('finds the VIP on the API server address and inside the pod CIDR', () => {
    expect(check(ds, '--api-server-address', '192.168.0.40').rules).toEqual(['P4-announced-address-in-use']);
    expect(check(ds, '--pod-cidr', '192.168.0.0/24').rules).toEqual(['P4-announced-address-in-cluster-network']);
  });
  it('takes the facts from a values file with a cluster section', () => {
    const facts = file('facts.yaml', stringify({ cluster: { serviceCIDRs: ['192.168.0.0/26'] } }));
    const { code, stdout } = cli(['check', facts, '-'], { stdin: ds });
    expect(code).toBe(1);
    expect(stdout).toContain('error [P4-announced-address-in-cluster-network]');
  });
  it('finds an IPv4-mapped VIP without any facts, and names the IPv4 address it means', () => {
    const report = check(yamlOf(upstreamDaemonSet(controlPlaneEnv({ address: '::ffff:192.168.0.11' }))));
    expect(report.rules).toEqual(['address-class']);
    expect(report.findings[0].fix).toBe('write the IPv4 address 192.168.0.11 instead');
  });
  it('is clean with a free address', () => {
    expect(check(ds, '--node-address', '192.168.0.11/24', '--pod-cidr', '10.244.0.0/16', '--service-cidr', '10.96.0.0/12').code).toBe(0);
  });
  it('finds our pools ConfigMap wherever ipam.configMap put it, by its labels', () => {
    const values = {
      services: { enabled: true },
      ipam: { enabled: true, configMap: { name: 'pools', namespace: 'lb' }, global: { ranges: ['192.168.0.200-192.168.0.210'] } },
    };
    const synth = cli(['synth', '-f', '-'], { stdin: JSON.stringify(values) });
    expect(synth.code).toBe(0);
    const report = check(synth.stdout, '--api-server-address', '192.168.0.205');
    expect(report.findings[0]).toMatchObject({
      rule: 'P4-announced-address-in-use',
      object: 'ConfigMap lb/pools',
      field: 'data.range-global',
    });
  });
  it("finds the ConfigMap the cloud provider's Helm chart makes, and the one its env names", () => {
    // The shapes the kube-vip-cloud-provider chart renders: <name>-cm in the release namespace, and
    // a Deployment whose env points the provider at it.
    const chartConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-vip-cloud-provider-cm', namespace: 'lb' },
      data: { 'range-global': '10.96.0.10-10.96.0.20' },
    };
    const alone = check(yamlOf(upstreamDaemonSet(servicesEnv()), chartConfigMap), '--service-cidr', '10.96.0.0/12');
    expect(alone.findings[0]).toMatchObject({
      rule: 'P4-announced-address-in-cluster-network',
      object: 'ConfigMap lb/kube-vip-cloud-provider-cm',
    });
    const renamed = { ...chartConfigMap, metadata: { name: 'pools', namespace: 'lb' } };
    const provider = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kube-vip-cloud-provider', namespace: 'lb' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'kube-vip-cloud-provider',
                env: [
                  { name: 'KUBEVIP_NAMESPACE', value: 'lb' },
                  { name: 'KUBEVIP_CONFIG_MAP', value: 'pools' },
                ],
              },
            ],
          },
        },
      },
    };
    const named = check(yamlOf(upstreamDaemonSet(servicesEnv()), renamed, provider), '--service-cidr', '10.96.0.0/12');
    expect(named.findings[0]).toMatchObject({ rule: 'P4-announced-address-in-cluster-network', object: 'ConfigMap lb/pools' });
    // The namespace from the Deployment's own metadata, through the downward API.
    const downward = structuredClone(provider);
    downward.spec.template.spec.containers[0].env[0] = {
      name: 'KUBEVIP_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    } as never;
    expect(check(yamlOf(upstreamDaemonSet(servicesEnv()), renamed, downward), '--service-cidr', '10.96.0.0/12').findings[0]).toMatchObject({
      object: 'ConfigMap lb/pools',
    });
  });
  it('judges the pools with the workload that serves Services, not with a control-plane one beside it', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubevip', namespace: 'kube-system' },
      data: { 'range-global': '192.168.0.200-192.168.0.210' },
    };
    const services = {
      ...upstreamDaemonSet(servicesEnv({ prometheus_server: ':2113' })),
      metadata: { name: 'kube-vip-services', namespace: 'kube-system' },
    };
    expect(check(yamlOf(upstreamDaemonSet(controlPlaneEnv()), services, configMap))).toMatchObject({ code: 0, rules: [] });
    // With no workload serving Services, nobody announces the pools: that warning is real.
    expect(check(yamlOf(upstreamDaemonSet(controlPlaneEnv()), configMap)).rules).toEqual(['ipam-without-services']);
  });
  it("checks kube-vip-cloud-provider's pools and names the ConfigMap", () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubevip', namespace: 'kube-system' },
      data: { 'range-global': '10.96.0.10-10.96.0.20', 'skip-end-ips-in-cidr': 'true' },
    };
    const report = check(yamlOf(upstreamDaemonSet(servicesEnv()), configMap), '--service-cidr', '10.96.0.0/12');
    expect(report.findings[0]).toMatchObject({
      rule: 'P4-announced-address-in-cluster-network',
      object: 'ConfigMap kube-system/kubevip',
      field: 'data.range-global',
    });
  });
});

describe("a static pod's way to its node's API server, judged by the release", () => {
  const pod = (env: Record<string, string>, image?: string) =>
    yamlOf(upstreamPod(controlPlaneEnv(env), { kubeconfig: '/etc/kubernetes/admin.conf', image }));
  it('from v1.2.2 without kubernetes_addr is an error: kube-vip dials the VIP its kubeconfig names', () => {
    const report = check(pod({}), '--kubeadm-version', 'v1.28.0');
    expect(report.rules).toEqual(['static-pod-api-server']);
    expect(report.findings[0].fix).toBe('set env kubernetes_addr to "kubernetes:6443" (the pod\'s host alias for its node\'s API server)');
  });
  it('is clean with kubernetes_addr, and before v1.2.2 without it', () => {
    expect(check(pod({ kubernetes_addr: 'kubernetes:6443' }), '--kubeadm-version', 'v1.28.0').rules).toEqual([]);
    expect(check(pod({}, V121.standard), '--kubeadm-version', 'v1.28.0').rules).toEqual([]);
  });
  it('from v1.2.3 is clean without it for a kubeconfig at the default path, an error for one elsewhere', () => {
    const v123 = 'ghcr.io/kube-vip/kube-vip:v1.2.3';
    expect(check(pod({}, v123), '--kubeadm-version', 'v1.28.0').rules).toEqual([]);
    const path = '/etc/kubernetes/super-admin.conf';
    const moved = upstreamPod(controlPlaneEnv({ k8s_config_file: path }), { kubeconfig: path, image: v123 });
    moved.spec.containers[0].volumeMounts[0].mountPath = path;
    const elsewhere = yamlOf(moved);
    // super-admin.conf, as the first control-plane node of kubeadm >= 1.29 needs (P5).
    const report = check(elsewhere, '--kubeadm-version', 'v1.30.2');
    expect(report.rules).toEqual(['static-pod-api-server']);
    expect(report.findings[0].message).toContain('its kubeconfig at /etc/kubernetes/super-admin.conf names');
  });
});

describe('P5: the static pod kubeconfig on kubeadm >= 1.29', () => {
  const pod = (kubeconfig?: string) => yamlOf(upstreamPod(controlPlaneEnv({ kubernetes_addr: 'kubernetes:6443' }), { kubeconfig }));
  it('is an error with admin.conf on 1.29 and later', () => {
    const report = check(pod('/etc/kubernetes/admin.conf'), '--kubeadm-version', 'v1.29.0');
    expect(report).toMatchObject({ code: 1, rules: ['P5-static-pod-kubeconfig'] });
    expect(report.findings[0].fix).toContain('/etc/kubernetes/super-admin.conf');
  });
  it('is clean with super-admin.conf', () => {
    expect(check(pod('/etc/kubernetes/super-admin.conf'), '--kubeadm-version', '1.30.2')).toMatchObject({ code: 0, rules: [] });
  });
  it('is a warning when the kubeadm version is not given', () => {
    const report = check(pod('/etc/kubernetes/admin.conf'));
    expect(report).toMatchObject({ code: 0, rules: ['P5-static-pod-kubeconfig'] });
    expect(report.findings[0].severity).toBe('warning');
  });
  it('is clean with admin.conf before 1.29, and for joining nodes', () => {
    expect(check(pod('/etc/kubernetes/admin.conf'), '--kubeadm-version', 'v1.28.9').rules).toEqual([]);
    expect(check(pod('/etc/kubernetes/admin.conf'), '--kubeadm-version', 'v1.30.0', '--kubeadm-join').rules).toEqual([]);
  });
  it('is an error with super-admin.conf where that file does not exist', () => {
    expect(check(pod('/etc/kubernetes/super-admin.conf'), '--kubeadm-version', 'v1.28.9').rules).toEqual(['P5-static-pod-kubeconfig']);
    expect(check(pod('/etc/kubernetes/super-admin.conf'), '--kubeadm-join').rules).toEqual(['P5-static-pod-kubeconfig']);
  });
  it('is an error when no kubeconfig is mounted at all', () => {
    expect(check(pod(undefined)).findings[0]).toMatchObject({ rule: 'P5-static-pod-kubeconfig', severity: 'error' });
  });
});

describe("kubespray's static pod (its kube-vip role's manifest, with the role's defaults)", () => {
  const kubespray = (...args: Parameters<typeof kubesprayPod>) => yamlOf(kubesprayPod(...args));
  /** The role's lease timings (5/3/1) warn in every case, as the first test shows; the others are about the rest. */
  const check = (...args: Parameters<typeof checkReport>) => {
    const report = checkReport(...args);
    const lease = (rule: string) => rule === 'lease-two-holders';
    return { ...report, rules: report.rules.filter((r) => !lease(r)), findings: report.findings.filter((f) => !lease(f.rule)) };
  };
  it("warns that the role's lease timings (5, 3, 1) put the VIP on two nodes when a leader loses the API server", () => {
    const report = checkReport(kubespray({ tag: 'v1.2.1' }), '--kubeadm-version', 'v1.30.2', '--kubeadm-join');
    expect(report).toMatchObject({ code: 0, rules: ['lease-two-holders'] });
  });
  it('is otherwise clean on v1.2.1 on a joining node, and on the init node with super-admin.conf', () => {
    expect(check(kubespray({ tag: 'v1.2.1' }), '--kubeadm-version', 'v1.30.2', '--kubeadm-join')).toMatchObject({ code: 0, rules: [] });
    expect(check(kubespray({ tag: 'v1.2.1', adminConf: 'super-admin.conf' }), '--kubeadm-version', 'v1.30.2')).toMatchObject({
      code: 0,
      rules: [],
    });
  });
  it('with its metrics on (prometheus_server ":2112" and a container port) is otherwise clean too', () => {
    expect(check(kubespray({ tag: 'v1.2.1', metrics: true }), '--kubeadm-version', 'v1.30.2', '--kubeadm-join')).toMatchObject({
      code: 0,
      rules: [],
    });
  });
  it('P5: admin.conf on the node that runs kubeadm init >= 1.29 is an error once the version is known, a warning before', () => {
    expect(check(kubespray({ tag: 'v1.2.1' }), '--kubeadm-version', 'v1.30.2')).toMatchObject({
      code: 1,
      rules: ['P5-static-pod-kubeconfig'],
    });
    expect(check(kubespray({ tag: 'v1.2.1' }))).toMatchObject({ code: 0, rules: ['P5-static-pod-kubeconfig'] });
  });
  it('on v1.2.2 dials the VIP it has not put up: kubernetes_addr is what its host alias is for', () => {
    const report = check(kubespray(), '--kubeadm-version', 'v1.30.2', '--kubeadm-join');
    expect(report).toMatchObject({ code: 1, rules: ['static-pod-api-server'] });
    expect(report.findings[0].fix).toBe('set env kubernetes_addr to "kubernetes:6443" (the pod\'s host alias for its node\'s API server)');
    const fixed = kubespray({ env: { kubernetes_addr: 'kubernetes:6443' } });
    expect(check(fixed, '--kubeadm-version', 'v1.30.2', '--kubeadm-join')).toMatchObject({ code: 0, rules: [] });
  });
  it('P1: its masquerade (privileged, lb_fwdmethod) on the standard image before v1.2.2', () => {
    const env = { lb_enable: 'true', lb_fwdmethod: 'masquerade' };
    const report = check(kubespray({ tag: 'v1.2.1', env }), '--kubeadm-version', 'v1.30.2', '--kubeadm-join');
    expect(report.code).toBe(1);
    expect(report.rules).toContain('P1-masquerade-image');
  });
  it('P4: its VIP on an API server address', () => {
    const report = check(
      kubespray({ tag: 'v1.2.1', env: { address: '192.168.0.11' } }),
      '--kubeadm-join',
      '--api-server-address',
      '192.168.0.11',
    );
    expect(report).toMatchObject({ code: 1, rules: ['P4-announced-address-in-use'] });
  });
});

describe('privileges without need', () => {
  it('warns about SYS_TIME, as older chart versions add it', () => {
    const sysTime = { capabilities: { add: ['NET_ADMIN', 'NET_RAW', 'SYS_TIME'] } };
    const report = check(yamlOf(upstreamDaemonSet(controlPlaneEnv(), { securityContext: sysTime })));
    expect(report).toMatchObject({ code: 0, rules: ['security-sys-time'] });
  });
  it('warns about privileged without masquerade, and not with it', () => {
    expect(check(yamlOf(upstreamDaemonSet(controlPlaneEnv(), { securityContext: { privileged: true } }))).rules).toEqual([
      'security-privileged',
    ]);
    expect(
      check(yamlOf(upstreamDaemonSet(controlPlaneEnv(masquerade), { image: IPTABLES, securityContext: { privileged: true } }))).rules,
    ).toEqual(['P1-masquerade-nat-chain']);
  });
  it('is an error without NET_ADMIN when all capabilities are dropped', () => {
    const report = check(
      yamlOf(upstreamDaemonSet(controlPlaneEnv(), { securityContext: { capabilities: { add: ['NET_RAW'], drop: ['ALL'] } } })),
    );
    expect(report).toMatchObject({ code: 1, rules: ['security-capabilities'] });
  });
});

describe('check: other inputs', () => {
  it('reads values files with the library rules, naming the file', () => {
    const values = file(
      'masq.yaml',
      stringify({
        image: { variant: 'standard', tag: 'v1.2.1' },
        controlPlane: { enabled: true, address: '192.168.0.40', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
      }),
    );
    const { code, stdout } = cli(['check', values]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${values}: error [P1-masquerade-image] values, controlPlane.loadBalancer.forwardingMethod: "masquerade"`);
  });
  it('applies P5 to a static-pod values file', () => {
    const values = file('static.yaml', stringify({ controlPlane: { enabled: true, address: '192.168.0.40', deployment: 'staticPod' } }));
    expect(cli(['check', values, '--kubeadm-version', '1.30.0']).stdout).toContain(
      'error [P5-static-pod-kubeconfig] values, controlPlane.kubeconfig',
    );
    const fixed = file(
      'static-fixed.yaml',
      stringify({ controlPlane: { enabled: true, address: '192.168.0.40', deployment: 'staticPod', kubeconfig: 'superAdmin' } }),
    );
    expect(cli(['check', fixed, '--kubeadm-version', '1.30.0']).code).toBe(0);
  });
  it('finds nothing wrong in what synth and manifest write', () => {
    const values = file(
      'full.yaml',
      stringify({
        controlPlane: { enabled: true, address: '192.168.0.40', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
        services: { enabled: true, onlyAllowTrafficServicePorts: true },
        egress: { enabled: true },
        namespace: 'lb',
        cluster: { podCIDRs: ['10.244.0.0/16'], serviceCIDRs: ['10.96.0.0/12'], nodeAddresses: ['192.168.0.11/24'] },
        ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.220'] } },
      }),
    );
    const synth = cli(['synth', '-f', values]);
    expect(synth.code).toBe(0);
    // Port security puts egress on the iptables path: the warning synth gave, and nothing else.
    expect(synth.stderr).toContain('warning [P3-egress-rules-left-behind]');
    expect(check(synth.stdout, '--node-address', '192.168.0.11/24', '--pod-cidr', '10.244.0.0/16')).toMatchObject({
      code: 0,
      rules: ['P3-egress-rules-left-behind'],
    });
    const pod = cli([
      'manifest',
      'pod',
      '--controlplane',
      '--arp',
      '--address',
      '192.168.0.40',
      '--k8sConfigPath',
      '/etc/kubernetes/super-admin.conf',
    ]);
    expect(check(pod.stdout, '--kubeadm-version', 'v1.31.0')).toMatchObject({ code: 0, rules: [] });
  });
  it('reads a kubectl List and env from a ConfigMap in the input', () => {
    const ds = upstreamDaemonSet({ vip_arp: 'true' }, { image: V121.standard, securityContext: { privileged: true } });
    ds.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: 'kube-vip-env' } }];
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-vip-env', namespace: 'kube-system' },
      data: { ...controlPlaneEnv(masquerade) },
    };
    const list = { apiVersion: 'v1', kind: 'List', items: [ds, cm] };
    expect(check(stringify(list)).rules).toEqual(['P1-masquerade-image']);
    expect(check(yamlOf(ds)).rules).toContain('env-unresolved');
  });
  it('reports a missing announcement mode and a plain-text BGP password', () => {
    expect(check(yamlOf(upstreamDaemonSet(controlPlaneEnv({ vip_arp: 'false' })))).rules).toEqual(['announce-mode']);
    const bgp = controlPlaneEnv({
      vip_arp: 'false',
      bgp_enable: 'true',
      bgp_routerid: '192.168.0.11',
      bgp_peers: '192.168.0.1:65000:secret:false',
    });
    expect(check(yamlOf(upstreamDaemonSet(bgp))).rules).toEqual(['bgp-password-plaintext']);
  });
  it('exits 2 when the input holds no kube-vip', () => {
    const { code, stderr } = cli(['check', '-'], { stdin: yamlOf(egressService()) });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cdk8s-kube-vip check: error: found no kube-vip in -/);
  });
});

describe('env read as the kubelet and kube-vip read it', () => {
  it('a VIP of $(vip_nodename) is each node its own address: an error (P4)', () => {
    const { code, findings } = check(yamlOf(upstreamDaemonSet(controlPlaneEnv({ address: '$(vip_nodename)' }))));
    expect(code).toBe(1);
    expect(findings.find((f: Json) => f.rule === 'address-node-itself')).toMatchObject({
      severity: 'error',
      value: '$(vip_nodename)',
      message: expect.stringContaining("is each node's own spec.nodeName (the kubelet fills in vip_nodename)"),
    });
  });
  it('expands $(NAME) of a variable defined before, and only before, as the kubelet does', () => {
    const before = { MY_VIP: '192.168.0.100', ...controlPlaneEnv({ address: '$(MY_VIP)' }) };
    expect(check(yamlOf(upstreamDaemonSet(before)), '--node-address', '192.168.0.100/24').rules).toContain('P4-announced-address-in-use');
    const after = { ...controlPlaneEnv({ address: '$(MY_VIP)' }), MY_VIP: '192.168.0.100' };
    expect(check(yamlOf(upstreamDaemonSet(after))).rules).toEqual(['address-unchecked']); // stays "$(MY_VIP)", a host name to kube-vip
  });
  it('an IPv4 address with a leading zero is no address to Go: an error with the address it meant', () => {
    const { findings } = check(yamlOf(upstreamDaemonSet(controlPlaneEnv({ address: '192.168.000.040' }))));
    expect(findings.map((f: Json) => [f.rule, f.fix])).toEqual([['address-leading-zero', 'write it without leading zeros: 192.168.0.40']]);
  });
  it('warns of a release older than any the suite runs', () => {
    const { code, findings } = check(yamlOf(upstreamDaemonSet(controlPlaneEnv(), { image: 'ghcr.io/kube-vip/kube-vip:v0.8.0' })));
    expect(code).toBe(0);
    expect(findings.map((f: Json) => [f.rule, f.severity, f.value])).toEqual([['release-untested', 'warning', 'v0.8.0']]);
  });
});

describe('across deployments', () => {
  const synthOf = (values: Record<string, unknown>) => {
    const out = cli(['synth', '-f', file(`${values.name}.yaml`, stringify(values))]);
    expect(out.code).toBe(0);
    return file(`${values.name}.k8s.yaml`, out.stdout);
  };
  it('finds two Services-only deployments on one host port: the second never schedules beside the first', () => {
    const { code, stdout } = cli([
      'check',
      synthOf({ name: 'lb-a', services: { enabled: true } }),
      synthOf({ name: 'lb-b', services: { enabled: true } }),
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'error [port-collision] DaemonSet kube-system/lb-b, container kube-vip, metrics port (env prometheus_server): 2113 is also the metrics port of DaemonSet kube-system/lb-a',
    );
  });
  it('is clean when their ports differ or their node selectors keep them apart', () => {
    const a = synthOf({ name: 'lb-c', services: { enabled: true } });
    expect(cli(['check', a, synthOf({ name: 'lb-d', services: { enabled: true }, metrics: { servicesPort: 2114 } })]).code).toBe(0);
    const apart = (name: string, zone: string) => synthOf({ name, services: { enabled: true }, scheduling: { nodeSelector: { zone } } });
    expect(cli(['check', apart('lb-e', 'a'), apart('lb-f', 'b')]).code).toBe(0);
  });
  it('finds two deployments of one name, however their nodes are kept apart: one object of each name is kept', () => {
    const rack = (zone: string) => {
      const out = cli([
        'synth',
        '-f',
        file(`rack-${zone}.yaml`, stringify({ services: { enabled: true }, scheduling: { nodeSelector: { zone } } })),
      ]);
      expect(out.code).toBe(0);
      return file(`rack-${zone}.k8s.yaml`, out.stdout);
    };
    const { code, stdout } = cli(['check', rack('a'), rack('b')]);
    expect(code).toBe(1);
    const collisions = stdout.split('\n').filter((l) => l.includes('[object-name-collision]'));
    expect(collisions).toHaveLength(1); // only the DaemonSet differs; the ServiceAccount and RBAC are the same objects
    expect(collisions[0]).toMatch(
      /rack-b\.k8s\.yaml: error \[object-name-collision\] DaemonSet kube-system\/kube-vip, metadata\.name: "kube-vip" is also the name of a DaemonSet with other contents in .*rack-a\.k8s\.yaml: /,
    );
  });
  it("counts one object read from two files once, and a static pod's mirror pods as that pod", () => {
    const rendered = synthOf({ name: 'lb-g', services: { enabled: true } });
    expect(cli(['check', rendered, file('lb-g-live.yaml', readFileSync(rendered, 'utf8'))]).code).toBe(0);
    const staticPod = upstreamPod(controlPlaneEnv(), { kubeconfig: '/etc/kubernetes/admin.conf' });
    const mirror = (node: string) => ({
      ...staticPod,
      metadata: {
        name: `kube-vip-${node}`,
        namespace: 'kube-system',
        annotations: { 'kubernetes.io/config.mirror': 'x' },
        ownerReferences: [{ kind: 'Node', name: node }],
      },
      spec: { ...staticPod.spec, nodeName: node },
    });
    expect(
      check(yamlOf(staticPod, mirror('cp-1'), mirror('cp-2')), '--kubeadm-version', 'v1.28.0').rules.filter((r) => r === 'port-collision'),
    ).toEqual([]);
  });
  it("reads kube-proxy's ConfigMap: IPVS mode without strictARP breaks ARP-announced Service addresses", () => {
    const kubeProxy = (strictARP: boolean) =>
      file(
        `kube-proxy-${strictARP}.yaml`,
        yamlOf({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kube-proxy', namespace: 'kube-system' },
          data: { 'config.conf': stringify({ kind: 'KubeProxyConfiguration', mode: 'ipvs', ipvs: { strictARP } }) },
        }),
      );
    const rendered = synthOf({ name: 'kp', services: { enabled: true } });
    const refused = cli(['check', rendered, kubeProxy(false)]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'error [kube-proxy-strict-arp] ConfigMap kube-system/kube-proxy, data.config.conf, ipvs.strictARP: false is off',
    );
    expect(cli(['check', rendered, kubeProxy(true)]).code).toBe(0);
  });
  describe('on one lease', () => {
    const groups = [
      { name: 'dell', nodeSelector: { 'example.com/nic': 'eno1' }, interface: 'eno1' },
      { name: 'hp', nodeSelector: { 'example.com/nic': 'ens192' }, interface: 'ens192' },
    ];
    const grouped = { controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: true, election: false } };
    it('is clean on a node-grouped deployment: one lease, other nodes, differing only in what groups differ in', () => {
      expect(cli(['check', synthOf({ name: 'grouped', ...grouped, nodeGroups: groups })]).stdout).toMatch(/^no problems found/);
    });
    it('finds two kube-vips that can run on one node: both take the node name as identity and both lead', () => {
      const rendered = readFileSync(synthOf({ name: 'overlap', ...grouped, nodeGroups: groups }), 'utf8').replace(
        'example.com/nic: ens192',
        'example.com/nic: eno1',
      );
      const { rules, findings } = check(rendered);
      expect(rules).toEqual(['lease-shared-node', 'lease-shared-node']);
      expect(findings.map((f) => f.value)).toEqual(['kube-system/overlap-cp-lock', 'kube-system/overlap-svcs-lock']);
    });
    it('finds groups of one lease whose settings differ beyond their interfaces', () => {
      const rendered = readFileSync(synthOf({ name: 'drift', ...grouped, nodeGroups: groups }), 'utf8');
      const at = rendered.lastIndexOf('192.168.0.100');
      const { rules, findings } = check(`${rendered.slice(0, at)}192.168.0.101${rendered.slice(at + 13)}`);
      expect(rules).toEqual(['lease-shared-config', 'lease-shared-config']);
      expect(findings[0].message).toContain('differ in env address ("192.168.0.101" here, "192.168.0.100" there)');
    });
    it("finds kube-vip's own DaemonSet and ours on its lease during a switch-over", () => {
      const ours = synthOf({
        name: 'switch',
        controlPlane: { enabled: true, address: '192.168.0.40', leaderElection: { leaseName: 'plndr-cp-lock' } },
        services: { enabled: false },
      });
      const theirs = file('kube-vip-ds.yaml', yamlOf(upstreamDaemonSet(controlPlaneEnv({ prometheus_server: ':2114' }))));
      const { code, stdout } = cli(['check', theirs, ours]);
      expect(code).toBe(1);
      expect(stdout).toContain(
        'error [lease-shared-node] DaemonSet kube-system/switch, container kube-vip, lease kube-system/plndr-cp-lock',
      );
    });
  });
  it('does not count a pod of a DaemonSet in the same input as a second deployment', () => {
    const ds = upstreamDaemonSet(servicesEnv());
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kube-vip-ds-x1', namespace: 'kube-system', ownerReferences: [{ kind: 'DaemonSet', name: ds.metadata.name }] },
      spec: { ...ds.spec.template.spec, nodeName: 'node-1' },
    };
    expect(check(yamlOf(ds, pod)).rules).toEqual([]);
  });
});
