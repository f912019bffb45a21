import fc from 'fast-check';
import { checkValues, KubeVipConfigError } from '../../lib';
import { yamlStream } from '../../lib/cli/output';
import { mergeValues } from '../../lib/model/resolve';
import { renderObjects } from '../../lib/render/objects';
import { matrixCases } from '../support/matrix';
import { anyValuesFile } from '../support/model-arbitrary';
import { synthValues } from '../support/synth';
import { VALID_MATRIX_CASES } from '../e2e/support/matrix-output';

/**
 * The CLI renders without cdk8s (renderObjects); the constructs synthesise through it. Both must
 * write the same bytes: same objects, same order, same keys and labels. Compared on the whole
 * snapshot matrix and on generated configs that vary every setting the model has.
 */

function bothRoutes(values: unknown): { constructs: string; renderer: string } | undefined {
  let constructs;
  try {
    constructs = synthValues(values);
  } catch (error) {
    if (error instanceof KubeVipConfigError) return undefined;
    throw error;
  }
  const rendered = renderObjects(checkValues(values).values);
  return {
    constructs: `${yamlStream(constructs.cluster)}\n=== static pods ===\n${yamlStream(constructs.staticPods)}`,
    renderer: `${yamlStream(rendered.cluster)}\n=== static pods ===\n${yamlStream(rendered.staticPods)}`,
  };
}

describe("renderObjects gives the constructs' bytes", () => {
  const cases = matrixCases();

  let compared = 0;
  it.each(cases.map((c) => [c.name, c.values] as const))('matrix: %s', (_name, values) => {
    const out = bothRoutes(values);
    if (!out) return;
    compared++;
    expect(out.renderer).toBe(out.constructs);
  });
  it(`compared every case the matrix renders (${VALID_MATRIX_CASES})`, () => expect(compared).toBe(VALID_MATRIX_CASES));
});

const bool = fc.boolean();
/** A map of which only the named keys are always present. */
const some = <T extends Record<string, unknown>>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: (keyof T)[] = []) =>
  fc.record(fields, { requiredKeys: required });

const BGP_PEERS = [
  { address: '192.168.0.1', as: 64513, password: { name: 'bgp-auth', key: 'password' } },
  { address: '192.168.0.2', as: 64513 },
  { address: 'fd00::1', as: 64513, multihop: true, port: 1179 },
];

/** Configs the model can express, many of them valid: every section and setting varies. */
const configs = some(
  {
    name: fc.constantFrom('kv', 'edge-vip'),
    namespace: fc.constantFrom('kube-system', 'kube-vip'),
    image: some({
      tag: fc.constantFrom('v1.2.2', 'v1.2.1', 'v0.9.2', 'v1.3.0'),
      variant: fc.constantFrom('auto', 'standard', 'iptables'),
      pullPolicy: fc.constantFrom('IfNotPresent', 'Always', 'Never'),
      repository: fc.constant('registry.example/kube-vip'),
      iptablesRepository: fc.constant('registry.example/kube-vip-iptables'),
    }),
    announce: fc.oneof(
      some({ mode: fc.constant('arp'), arp: some({ rateMs: fc.constantFrom(1000, 3000) }) }, ['mode']),
      some({
        mode: fc.constant('bgp'),
        bgp: some(
          {
            routerID: fc.constant('192.168.0.11'),
            as: fc.constantFrom(64512, 65000),
            sourceInterface: fc.constantFrom('', 'eth0'),
            holdTimeSeconds: fc.constantFrom(30, 90),
            peers: fc.subarray(BGP_PEERS, { minLength: 1 }),
          },
          ['routerID', 'peers'],
        ),
      }),
      some(
        {
          mode: fc.constant('routingTable'),
          routingTable: some({ tableID: fc.constantFrom(198, 200), protocol: fc.constantFrom(248, 250), cleanOnStart: bool }),
        },
        ['mode'],
      ),
    ),
    interface: fc.constantFrom('eth0', 'bond0'),
    controlPlane: some(
      {
        enabled: bool,
        address: fc.constantFrom('192.168.0.100', '192.168.0.101'),
        port: fc.constantFrom(6443, 8443),
        deployment: fc.constantFrom('daemonset', 'staticPod'),
        kubeconfig: fc.constantFrom('admin', 'superAdmin'),
        leaderElection: some({
          enabled: fc.constantFrom(true, true, false),
          leaseName: fc.constantFrom('', 'cp-lease'),
          leaseDurationSeconds: fc.constantFrom(15, 30),
        }),
        loadBalancer: some({
          enabled: bool,
          port: fc.constantFrom(6443, 7443),
          forwardingMethod: fc.constantFrom('local', 'masquerade', 'tunnel', 'directroute', 'bypass'),
        }),
      },
      ['enabled', 'address'],
    ),
    services: some(
      {
        enabled: bool,
        election: fc.constantFrom(true, true, false),
        leaseName: fc.constantFrom('', 'svc-lease'),
        interface: fc.constantFrom('', 'eth1'),
        watchNamespace: fc.constantFrom('', 'apps'),
        loadBalancerClass: some({
          name: fc.constantFrom('kube-vip.io/kube-vip-class', 'example.com/lb'),
          only: bool,
          legacyHandling: bool,
        }),
        onlyAllowTrafficServicePorts: bool,
        nodeLabeling: bool,
      },
      ['enabled'],
    ),
    egress: some(
      {
        enabled: bool,
        podCIDR: fc.constantFrom('', '10.244.0.0/16', '10.244.0.0/16,fd00:10::/56'),
        serviceCIDR: fc.constantFrom('', '10.96.0.0/12'),
        backend: fc.constantFrom('nftables', 'iptables'),
        cleanOnStart: bool,
      },
      ['enabled'],
    ),
    ipam: some(
      {
        enabled: bool,
        global: some({ cidrs: fc.subarray(['192.168.10.0/28', '192.168.11.0/29']), ranges: fc.subarray(['192.168.12.10-192.168.12.20']) }),
        namespaces: fc.constantFrom({}, { apps: { cidrs: ['192.168.20.0/28'], allowShare: true, interface: 'eth2' } }),
        skipEndIPsInCIDR: bool,
        cloudProvider: some(
          {
            enabled: fc.constantFrom(false, false, true),
            replicas: fc.constantFrom(1, 2),
            nodeSelector: fc.constantFrom({}, { pool: 'infra' }),
          },
          ['enabled'],
        ),
      },
      ['enabled'],
    ),
    cluster: fc.constant({
      apiServerAddresses: ['192.168.0.11', '192.168.0.12'],
      nodeAddresses: ['192.168.0.11/24', '192.168.0.12/24'],
      podCIDRs: ['10.244.0.0/16'],
      serviceCIDRs: ['10.96.0.0/12'],
    }),
    metrics: some({ port: fc.constantFrom(2112, 9112), servicesPort: fc.constantFrom(2113, 9113) }),
    scheduling: some({
      nodeSelector: fc.constantFrom({}, { 'kubernetes.io/os': 'linux' }),
      tolerations: fc.constantFrom([], [{ operator: 'Exists' }]),
      priorityClassName: fc.constantFrom('system-node-critical', ''),
    }),
    resources: fc.constantFrom({}, { requests: { cpu: '10m' } }),
    extraEnv: fc.constantFrom([], [{ name: 'vip_loglevel', value: '5' }]),
  },
  ['announce', 'controlPlane', 'services'],
  // The cloud provider only with pools: without, it is refused (cloud-provider-without-ipam), tested elsewhere.
).map((values: any) => {
  if (values.ipam?.enabled || !values.ipam?.cloudProvider) return values;
  const { cloudProvider: _, ...ipam } = values.ipam;
  return { ...values, ipam };
});

describe("renderObjects gives the constructs' bytes on generated configs", () => {
  it('for every accepted config', () => {
    const seen = { accepted: 0, staticPods: 0, egress: 0, ipam: 0, cloudProvider: 0 };

    fc.assert(
      fc.property(configs, (values) => {
        const out = bothRoutes(values);
        if (!out) return;
        seen.accepted++;
        const { controlPlane, egress, ipam } = checkValues(values).values;
        if (controlPlane.enabled && controlPlane.deployment === 'staticPod') seen.staticPods++;
        if (egress.enabled) seen.egress++;
        if (ipam.enabled) seen.ipam++;
        if (ipam.enabled && ipam.cloudProvider.enabled) seen.cloudProvider++;
        expect(out.renderer).toBe(out.constructs);
      }),
      { numRuns: 1000 },
    );
    // The generator must reach the configs both routes render, with every feature, or it proves little.
    expect(seen.accepted).toBeGreaterThan(200);
    for (const feature of ['staticPods', 'egress', 'ipam', 'cloudProvider'] as const) expect(seen[feature]).toBeGreaterThan(10);
  });
});

describe("renderObjects gives the constructs' bytes on configs drawn from the whole model", () => {
  // The generator above varies what the matrix varies; this one sets every field the model has
  // (test/support/model-arbitrary.ts), so a setting kubeVipFromValues does not pass on to the
  // constructs shows up here as soon as it is added to the model.
  it('for every accepted config', () => {
    let accepted = 0;
    // Over a base that turns the workloads on, so settings that act on one workload kind are reached.
    const bases = [
      {},
      { controlPlane: { enabled: true, address: '192.168.0.100' } },
      { controlPlane: { enabled: true, address: '192.168.0.100', deployment: 'staticPod' }, services: { enabled: true } },
    ];
    fc.assert(
      fc.property(anyValuesFile, fc.constantFrom(...bases), (generated, base) => {
        const values = mergeValues(generated, base);
        const out = bothRoutes(values);
        if (!out) return;
        accepted++;
        expect(out.renderer).toBe(out.constructs);
      }),
      { numRuns: 500, seed: 20261123 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
