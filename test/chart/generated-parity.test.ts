import * as fc from 'fast-check';
import { holds, lookup } from '../../lib/expr/cond';
import { formatValue, Problem, Severity } from '../../lib/model/problem';
import { resolveValues } from '../../lib/model/resolve';
import { KubeVipValues, KubeVipValuesInput } from '../../lib/model/values';
import { textOf } from '../../lib/validation/check-rules';
import { CONFIG_RULES } from '../../lib/validation/rules';
import { validateValues } from '../../lib/validation/validate';
import { renderObjects } from '../../lib/render/objects';
import { mapConcurrently } from '../support/concurrently';
import { byKey, HelmResult, HELMS, parseStream, runHelmAsync, useTestChart, writeValues } from '../support/helm';
import { anyValuesFile } from '../support/model-arbitrary';
import { describeWithTools } from '../support/tools';

/**
 * The chart's checks and objects are generated from the same tables as the TypeScript. For
 * generated values files, `helm template` on helm 3 and 4 either refuses with exactly the
 * problems the validator reports (rule, path, value, message and fix, word for word, the P4
 * address checks included; the chart-only rules added), or renders exactly the objects the
 * constructs would (renderObjects, byte-identical to them by test/render/objects.test.ts). Three
 * generators: one aimed at the rules (every field they read), one at the address checks (the
 * addresses of every source, of both families and of the blocks no node can announce, drawn
 * from a small space so that they collide), and one drawn from the whole config model
 * (test/support/model-arbitrary.ts).
 */

const RUNS = 100;
const SEED = 20261123;

const peer = fc.record(
  {
    address: fc.constantFrom('192.168.0.1', 'fd00::1'),
    as: fc.constantFrom(65001, 4200000000),
    password: fc.constant({ name: 'bgp', key: 'password' }),
  },
  { requiredKeys: ['address', 'as'] },
);

const envVar = fc.record({
  name: fc.constantFrom('vip_loglevel', 'address', 'cp_enable', 'instance_name', 'egress_clean', 'debounce_time'),
  value: fc.constantFrom('1', 'x'),
});

const cidrs = (cidr: string) => fc.constantFrom([], [cidr]);

/** Mostly the value that passes, so that refusals come one or two at a time. */
function often<T>(good: T, ...others: T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}

const leaseTimings = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 }) },
  {
    weight: 1,
    arbitrary: fc.record({
      leaseDurationSeconds: fc.integer({ min: 1, max: 20 }),
      renewDeadlineSeconds: fc.integer({ min: 1, max: 20 }),
      retryPeriodSeconds: fc.integer({ min: 1, max: 20 }),
    }),
  },
);

const config: fc.Arbitrary<KubeVipValuesInput> = fc.record({
  image: fc.record({
    variant: fc.constantFrom('auto', 'standard', 'iptables'),
    tag: fc.constantFrom('v1.2.2', 'v1.2.1', 'v1.0.0', 'latest'),
    digest: often('', `sha256:${'ab'.repeat(32)}`),
    pullSecrets: fc.constantFrom([], ['registry']),
  }),
  pod: fc.record({
    labels: often({}, { 'example.com/team': 'edge' }, { 'app.kubernetes.io/instance': 'x' }),
    volumes: often([], [{ name: 'kubeconfig', hostPath: { path: '/etc/rancher/k3s/k3s.yaml' } }]),
  }),
  scheduling: fc.record({
    priorityClassName: often('system-node-critical', 'kube-vip-critical', ''),
    priority: often(0, 2000001000, 1000),
  }),
  announce: fc.record({
    mode: fc.constantFrom('arp', 'bgp', 'routingTable'),
    bgp: fc.record({
      routerID: fc.constantFrom('', '192.168.0.2', 'fd00::2'),
      routerInterface: fc.constantFrom('', 'eth0'),
      peers: fc.array(peer, { maxLength: 2 }),
    }),
  }),
  controlPlane: fc.record({
    enabled: fc.boolean(),
    address: often('192.168.0.100', ''),
    port: often(6443, 2112, 10250),
    deployment: fc.constantFrom('daemonset', 'staticPod'),
    kubeconfig: often('admin', 'superAdmin'),
    leaderElection: fc.tuple(often(true, false), leaseTimings).map(([enabled, timings]) => ({ enabled, ...timings })),
    loadBalancer: fc.record({ enabled: fc.boolean(), forwardingMethod: fc.constantFrom('local', 'masquerade') }),
  }),
  services: fc.record({
    enabled: fc.boolean(),
    election: fc.boolean(),
    loadBalancerClass: fc.record({
      name: fc.constantFrom('', 'kube-vip.io/kube-vip-class'),
      only: fc.boolean(),
      legacyHandling: fc.boolean(),
    }),
    onlyAllowTrafficServicePorts: fc.boolean(),
  }),
  egress: fc.record({
    enabled: often(false, true),
    podCIDR: fc.constantFrom('', '10.244.0.0/16'),
    serviceCIDR: fc.constantFrom('', '10.96.0.0/12'),
    backend: fc.constantFrom('nftables', 'iptables'),
  }),
  cluster: fc.record({ podCIDRs: cidrs('10.244.0.0/16'), serviceCIDRs: cidrs('10.96.0.0/12') }),
  ipam: fc.record({
    enabled: fc.boolean(),
    global: fc.record({ cidrs: cidrs('192.168.10.0/28'), ranges: cidrs('192.168.20.1-192.168.20.9') }),
    configMap: often({ name: 'kubevip', namespace: 'kube-system' }, { name: 'kube-vip-cloud-provider-cm', namespace: 'lb' }),
    cloudProvider: fc.record({
      enabled: fc.boolean(),
      replicas: often(1, 2),
      image: fc.record({ digest: often('', `sha256:${'cd'.repeat(32)}`), pullPolicy: often('IfNotPresent', 'Always') }),
      nodeSelector: often({}, { 'example.com/pool': 'infra' }),
      tolerations: often([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], []),
      priorityClassName: often('', 'system-cluster-critical'),
    }),
  }),
  global: fc.record({ imageRegistry: often('', 'registry.example.com') }),
  nodeGroups: often([], [{ name: 'cloud-provider', nodeSelector: { 'example.com/nic': 'eno1' }, interface: 'eno1' }]),
  metrics: fc.record({
    port: often(2112, 2379, 6443),
    servicesPort: often(2113, 2112, 10256),
    bindAddress: fc.constantFrom('', '127.0.0.1', 'fd00::1'),
    podMonitor: fc.record({ enabled: fc.boolean(), labels: often({}, { 'helm.sh/chart': 'x' }) }),
  }),
  extraEnv: fc.uniqueArray(envVar, { maxLength: 1, selector: (e) => e.name }),
}) as unknown as fc.Arbitrary<KubeVipValuesInput>;

/**
 * Addresses from a small space, so that VIPs, pools, node and API-server addresses and cluster
 * networks collide: 192.168.0.0/24 and fd00::/120 mostly, and blocks no node can announce.
 */
const v4Host = fc.constantFrom(0, 1, 8, 10, 11, 12, 20, 100, 200, 255).map((n) => `192.168.0.${n}`);
const v6Host = fc.constantFrom('fd00::', 'fd00::1', 'FD00::B', 'fd00::c', 'fd00:0:0:0:0:0:0:64', 'fd00::ff');
const odd = fc.constantFrom(
  '127.0.0.1',
  '169.254.0.10',
  '224.0.0.18',
  '0.0.0.0',
  '255.255.255.255',
  '::1',
  'fe80::10',
  '::ffff:192.168.0.11',
  '10.244.1.1',
  '10.96.0.10',
);
const host = fc.oneof({ weight: 5, arbitrary: v4Host }, { weight: 2, arbitrary: v6Host }, { weight: 1, arbitrary: odd });
const v4Cidr = fc
  .tuple(fc.constantFrom(0, 8, 16, 192, 200, 250), fc.constantFrom(24, 28, 29, 30, 31, 32))
  .map(([n, p]) => `192.168.0.${n}/${p}`);
const v6Cidr = fc.constantFrom('fd00::/120', 'fd00::/127', 'fd00::/64', 'fd00::10/124', 'fd00::1/120', '::ffff:192.168.0.0/120');
const cidr = fc.oneof({ weight: 3, arbitrary: v4Cidr }, { weight: 1, arbitrary: v6Cidr });
const range = fc.tuple(host, host).map(([a, b]) => `${a}-${b}`);
const few = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { maxLength: 2 });

const addressConfig: fc.Arbitrary<KubeVipValuesInput> = fc.record({
  controlPlane: fc.record({
    enabled: fc.boolean(),
    address: fc.oneof(
      host,
      fc.tuple(host, host).map(([a, b]) => `${a},${b}`),
    ),
    loadBalancer: fc.record({ enabled: fc.boolean() }),
  }),
  services: fc.record({ enabled: fc.boolean() }),
  ipam: fc.record({
    enabled: fc.boolean(),
    skipEndIPsInCIDR: fc.boolean(),
    global: fc.oneof(fc.record({ cidrs: few(cidr) }), fc.record({ ranges: few(range) })),
    namespaces: fc.constantFrom({}, { 'team-a': { cidrs: ['192.168.0.192/28'] } }, { 'team-b': { ranges: ['fd00::20-fd00::2f'] } }),
  }),
  cluster: fc.record({
    apiServerAddresses: few(host),
    nodeAddresses: few(fc.oneof(host, fc.constantFrom('192.168.0.11/24', '192.168.0.12/30', 'fd00::b/64', '192.168.0.20/32'))),
    podCIDRs: fc.constantFrom([], ['10.244.0.0/16'], ['10.244.0.0/16', 'fd00:10:244::/56']),
    serviceCIDRs: fc.constantFrom([], ['10.96.0.0/12']),
    loadBalancerServices: few(
      fc.record({ service: fc.constantFrom('default/web', 'team-a/db'), address: fc.oneof(host, fc.constant('')) }),
    ),
    kubeRouter: fc.record({
      enabled: fc.boolean(),
      version: fc.constantFrom('', 'v2.1.3', 'v2.2.0', '1.6'),
      loadBalancerIPRanges: fc.constantFrom([], ['192.168.0.192/26']),
      excludedCIDRs: fc.constantFrom([], ['192.168.0.0/24']),
    }),
  }),
}) as unknown as fc.Arbitrary<KubeVipValuesInput>;

function line(p: Pick<Problem, 'rule' | 'path' | 'value' | 'message' | 'fix'>): string {
  return `[${p.rule}] ${p.path}: ${formatValue(p.value)} ${p.message}; ${p.fix}`;
}

/** The chart's refusal, as the validator predicts it. */
function expectedRefusal(values: KubeVipValues): string[] {
  const errors = validateValues(values).filter((p) => p.severity === Severity.ERROR);
  const scope = { values, workload: {} };
  const chartOnly = CONFIG_RULES.filter((r) => r.chartOnly && r.severity === 'error' && holds(r.when, scope));
  const extra = chartOnly.map((r) => ({
    ...r,
    value: lookup(scope, `values.${r.path}`),
    message: textOf(r.message, scope),
    fix: textOf(r.fix, scope),
  }));
  return [...errors.map(line), ...extra.map(line)].sort();
}

function refusalOf(result: HelmResult): string[] {
  return result.stderr
    .split('\n')
    .filter((l) => /^\s+- \[/.test(l))
    .map((l) => l.replace(/^\s+- /, ''))
    .sort();
}

describeWithTools(['helm3', 'helm4'])('chart parity on generated configurations', () => {
  const rulesInputs = fc.sample(config, { seed: SEED, numRuns: RUNS });
  const addressInputs = fc.sample(addressConfig, { seed: SEED, numRuns: RUNS });
  const modelInputs = fc.sample(anyValuesFile, { seed: SEED, numRuns: RUNS }) as KubeVipValuesInput[];
  const caseOf = (name: string, input: KubeVipValuesInput) => {
    const values = resolveValues(input);
    const expected = expectedRefusal(values);
    return { name, input, expected, objects: expected.length === 0 ? byKey(renderObjects(values).cluster) : undefined };
  };
  const cases = [
    ...rulesInputs.map((input, i) => caseOf(`rules-${i}`, input)),
    ...addressInputs.map((input, i) => caseOf(`addresses-${i}`, input)),
    ...modelInputs.map((input, i) => caseOf(`model-${i}`, input)),
  ];
  const results = new Map<string, HelmResult>();
  const chart = useTestChart();

  beforeAll(async () => {
    const { dir, scratch } = chart();
    const jobs = HELMS.flatMap((helm) =>
      cases.map((c) => async () => {
        const file = writeValues(scratch, c.name, c.input);
        results.set(`${helm} ${c.name}`, await runHelmAsync(helm, ['template', 'kube-vip', dir, '-n', 'kube-system', '-f', file]));
      }),
    );
    await mapConcurrently(jobs, 4, (job) => job());
  }, 600_000);

  test('the generated configurations cover refusals and acceptances', () => {
    const refused = cases.filter((c) => c.expected.length > 0).length;
    expect(refused).toBeGreaterThan(cases.length / 4);
    expect(cases.length - refused).toBeGreaterThan(cases.length / 4);
    const rules = new Set(cases.flatMap((c) => c.expected.map((l) => l.slice(1, l.indexOf(']')))));
    expect(rules.size).toBeGreaterThan(12);
    if (process.env.SHOW_COVERAGE) console.log(refused, [...rules].sort().join(' '));
  });

  describe.each(HELMS)('%s', (helm) => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
      const result = results.get(`${helm} ${name}`)!;
      if (c.objects) {
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(byKey(parseStream(result.stdout))).toEqual(c.objects);
      } else {
        expect(result.status).not.toBe(0);
        expect(refusalOf(result)).toEqual(c.expected);
      }
    });
  });
});
