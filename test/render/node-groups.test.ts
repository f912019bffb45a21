import { Chart } from 'cdk8s';
import fc from 'fast-check';
import { checkValues, KubeVip, KubeVipControlPlane, KubeVipImage, KubeVipServicesLB } from '../../lib';
import { byKey, HELMS, parseStream, runHelm, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';
import { envOf, find, refusals, synthValues, testApp } from '../support/synth';

/**
 * Node groups (values.nodeGroups): nodes whose interfaces are named differently get a DaemonSet
 * each, on one set of leases. Real kube-vip runs the result in test/kube-vip/node-groups.test.ts.
 */

const NIC = 'example.com/nic';
const base = { controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: true } };
const groups = {
  nodeGroups: [
    { name: 'dell', nodeSelector: { [NIC]: 'eno1' }, interface: 'eno1' },
    { name: 'hp', nodeSelector: { [NIC]: 'ens192' }, interface: 'ens192', servicesInterface: 'ens224' },
  ],
};

describe('a DaemonSet per node group', () => {
  const { cluster } = synthValues(base, { scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux' } }, interface: 'eth0' }, groups);
  const daemonSets = cluster.filter((o) => o.kind === 'DaemonSet');

  it('is named <name>-<group>, in the order of the groups', () => {
    expect(daemonSets.map((d) => d.metadata.name)).toEqual(['kube-vip-dell', 'kube-vip-hp']);
  });
  it("runs on its group's nodes only: scheduling.nodeSelector and the group's labels", () => {
    expect(daemonSets.map((d) => d.spec.template.spec.nodeSelector)).toEqual([
      { 'kubernetes.io/os': 'linux', [NIC]: 'eno1' },
      { 'kubernetes.io/os': 'linux', [NIC]: 'ens192' },
    ]);
  });
  it("puts addresses on the group's interfaces; a group without servicesInterface leaves kube-vip's own fallback", () => {
    const [dell, hp] = daemonSets.map(envOf);
    expect([dell.vip_interface, dell.vip_servicesinterface]).toEqual(['eno1', undefined]);
    expect([hp.vip_interface, hp.vip_servicesinterface]).toEqual(['ens192', 'ens224']);
  });
  it('shares the leases, so one node holds each address across groups', () => {
    const [dell, hp] = daemonSets.map(envOf);
    expect([dell.vip_leasename, dell.svc_leasename]).toEqual(['kube-vip-cp-lock', 'kube-vip-svcs-lock']);
    expect([hp.vip_leasename, hp.svc_leasename]).toEqual([dell.vip_leasename, dell.svc_leasename]);
  });
  it('gives each group its own instance name and metrics port (+2 per group), declared on the container', () => {
    expect(
      daemonSets.map((d) => [
        envOf(d).instance_name,
        envOf(d).prometheus_server,
        d.spec.template.spec.containers[0].ports[0].containerPort,
      ]),
    ).toEqual([
      ['kube-vip-dell', '[$(KUBE_VIP_NODE_ADDRESS)]:2112', 2112],
      ['kube-vip-hp', '[$(KUBE_VIP_NODE_ADDRESS)]:2114', 2114],
    ]);
  });
  it('has its own ServiceAccount and RBAC, as any workload', () => {
    expect(cluster.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name)).toEqual(['kube-vip-dell', 'kube-vip-hp']);
    expect(find(cluster, 'ClusterRoleBinding', 'kube-vip-hp').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'kube-vip-hp', namespace: 'kube-system' },
    ]);
  });
  it('with a static pod, splits the Services DaemonSet only, on the Services ports', () => {
    const { cluster: objects, staticPods } = synthValues(base, { controlPlane: { deployment: 'staticPod' } }, groups);
    expect(staticPods.map((p) => [p.metadata.name, envOf(p).prometheus_server])).toEqual([['kube-vip', '[$(KUBE_VIP_NODE_ADDRESS)]:2112']]);
    expect(objects.filter((o) => o.kind === 'DaemonSet').map((d) => [d.metadata.name, envOf(d).prometheus_server])).toEqual([
      ['kube-vip-services-dell', '[$(KUBE_VIP_NODE_ADDRESS)]:2113'],
      ['kube-vip-services-hp', '[$(KUBE_VIP_NODE_ADDRESS)]:2115'],
    ]);
    expect(checkValues(base, { controlPlane: { deployment: 'staticPod' } }, groups).warnings.map((w) => w.rule)).toEqual([
      'node-groups-static-pod',
    ]);
  });
  it('without groups, one DaemonSet as before', () => {
    expect(
      synthValues(base)
        .cluster.filter((o) => o.kind === 'DaemonSet')
        .map((d) => d.metadata.name),
    ).toEqual(['kube-vip']);
  });
});

describe('node groups that cannot work are refused', () => {
  const group = (over: Record<string, unknown>) => ({ name: 'dell', nodeSelector: { [NIC]: 'eno1' }, interface: 'eno1', ...over });
  it.each([
    [
      'two groups a node can be in',
      [group({}), group({ name: 'hp', nodeSelector: { rack: 'a' } })],
      '- nodeGroups[1].nodeSelector: {"rack":"a"} can select a node group dell selects too (no label they both set has different values): there two kube-vips elect on one lease with one identity, the node\'s name, and both announce; give both groups one label with different values, e.g. example.com/nic: eno1 and example.com/nic: ens192',
    ],
    [
      'two groups of one name',
      [group({}), group({ nodeSelector: { [NIC]: 'ens192' } })],
      '- nodeGroups[1].name: "dell" names an earlier group too, and both would write one DaemonSet; give each group a name of its own',
    ],
    [
      'a group without a name',
      [group({ name: '' })],
      `- nodeGroups[0].name: "" is empty; the group's DaemonSet needs a name of its own, <name>-<group>; name the group after its nodes, e.g. name: dell`,
    ],
    [
      'a group of every node',
      [group({ nodeSelector: {} })],
      '- nodeGroups[0].nodeSelector: {} is empty, so the group takes every node and no node is left for another group; select the nodes by a label, e.g. nodeSelector: {example.com/nic: eno1}',
    ],
    [
      'a group that changes no interface',
      [{ name: 'dell', nodeSelector: { [NIC]: 'eno1' } }],
      '- nodeGroups[0].interface: (unset) and servicesInterface are both empty, so the group changes no interface; set the interface its nodes have, e.g. interface: eno1 (see `ip -br link` on one of them)',
    ],
    [
      'a group scheduling.nodeSelector excludes',
      [group({ nodeSelector: { [NIC]: 'eno1', 'kubernetes.io/os': 'windows' } })],
      '- nodeGroups[0].nodeSelector: {"example.com/nic":"eno1","kubernetes.io/os":"windows"} gives a label another value than scheduling.nodeSelector does, so the group selects no node; use the same value in both, or keep the label in one of them',
    ],
  ])('%s', (_, nodeGroups, message) => {
    expect(refusals(base, { scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux' } } }, { nodeGroups })).toEqual([message]);
  });

  it('a metrics port past 65535', () => {
    const two = [group({}), group({ name: 'hp', nodeSelector: { [NIC]: 'ens192' } })];
    expect(refusals(base, { metrics: { port: 65535 } }, { nodeGroups: two })).toEqual([
      '- metrics.port: 65535 gives the node group DaemonSet kube-vip-hp the metrics port 65537, above 65535 (each group adds 2); lower the port, or use fewer node groups',
    ]);
  });
  it("a Services group on the static pod's metrics port", () => {
    const two = [group({}), group({ name: 'hp', nodeSelector: { [NIC]: 'ens192' } })];
    const values = [base, { controlPlane: { deployment: 'staticPod' }, metrics: { port: 2114, servicesPort: 2112 } }, { nodeGroups: two }];
    expect(refusals(...values)).toEqual([
      '- metrics.servicesPort: 2112 gives the node group DaemonSet kube-vip-services-hp the metrics port 2114 (each group adds 2), which the control-plane static pod uses (metrics.port) on the nodes they share; choose metrics.servicesPort so that no group reaches metrics.port (each group adds 2), e.g. metrics.port 2112 and metrics.servicesPort 2113',
    ]);
  });
  it('groups with nothing to split: a static pod and no Services', () => {
    const [message] = refusals(base, { controlPlane: { deployment: 'staticPod' }, services: { enabled: false } }, groups);
    expect(message).toMatch(
      /^- nodeGroups: \[.*\] split DaemonSets, and this config has none: the control plane runs as a static pod, which takes interface; remove nodeGroups/,
    );
  });

  it('the constructs refuse what values files get refused', () => {
    const app = testApp();
    const chart = new Chart(app, 'groups');
    const kubeVip = new KubeVip(chart, 'kube-vip', {
      image: KubeVipImage.standard('v1.2.2'),
      nodeGroups: [
        { name: 'dell', nodeSelector: { [NIC]: 'eno1' }, interface: 'eno1' },
        { name: 'hp', nodeSelector: { rack: 'a' }, interface: 'ens192' },
      ],
    });
    new KubeVipControlPlane(kubeVip, 'cp', { address: '192.168.0.100' });
    new KubeVipServicesLB(kubeVip, 'lb');
    expect(() => app.synth()).toThrow(/nodeGroups\[1\]\.nodeSelector: \{"rack":"a"\} can select a node group dell selects too/);
  });
});

/** Whether some node, with one value per label key, carries both label sets: the truth the overlap rule stands for. */
function someNodeCarriesBoth(a: Record<string, string>, b: Record<string, string>): boolean {
  const node: Record<string, string> = { ...a };
  return Object.entries(b).every(([key, value]) => node[key] === undefined || node[key] === value);
}

describe('the overlap rule, over label sets drawn at random', () => {
  const labels = fc.dictionary(fc.constantFrom('example.com/nic', 'rack', 'zone'), fc.constantFrom('a', 'b'), { minKeys: 1, maxKeys: 3 });
  it('refuses two groups exactly when one node could carry both selectors', () => {
    fc.assert(
      fc.property(labels, labels, (a, b) => {
        const nodeGroups = [
          { name: 'one', nodeSelector: a, interface: 'eno1' },
          { name: 'two', nodeSelector: b, interface: 'ens192' },
        ];
        const refused = refusals(base, { nodeGroups }).some((m) => m.includes('can select a node group one selects too'));
        expect(refused).toBe(someNodeCarriesBoth(a, b));
      }),
      { numRuns: 300 },
    );
  });
});

describeWithTools(['helm3', 'helm4'])('the chart splits by node group as synth does', () => {
  const chart = useTestChart();
  it.each(HELMS)('%s renders the same objects, with and without a static pod', (helm) => {
    for (const [name, values] of [
      ['groups', { ...base, ...groups }],
      ['groups-static-pod', { ...base, ...groups, controlPlane: { ...base.controlPlane, deployment: 'staticPod' } }],
    ] as const) {
      const file = writeValues(chart().scratch, name, values);
      const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
      expect(result.stderr).toBe('');
      expect(byKey(parseStream(result.stdout))).toEqual(byKey(synthValues(values).cluster));
    }
  });
  it.each(HELMS)('%s refuses overlapping groups with the same words', (helm) => {
    const nodeGroups = [groups.nodeGroups[0], { ...groups.nodeGroups[1], name: 'dell', nodeSelector: { rack: 'a' } }];
    const file = writeValues(chart().scratch, 'overlap', { ...base, nodeGroups });
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.status).not.toBe(0);
    const messages = refusals(base, { nodeGroups });
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(result.stderr).toContain(message.slice(2));
  });
});
