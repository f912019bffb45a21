import { Announcement, KubeVip, KubeVipControlPlane, KubeVipImage, NodeGroup } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { synthWith } from '../support/synth';
import { describeOnNodes, KubeVipRelease, kubeVipTools, releasesSince } from '../support/tools';
import { Image, RunningPod, TestCluster } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.210';
const NIC = 'example.com/nic';
const RELEASES = releasesSince('v1.2.2');

/**
 * Node cp-1 keeps eth0; cp-2 and cp-3 call theirs ens192, as mixed hardware does (kube-vip issues
 * 399, 559, 822); every node's default route is on a management NIC.
 */
const GROUPS: NodeGroup[] = [
  { name: 'eth', nodeSelector: { [NIC]: 'eth0' }, interface: 'eth0' },
  { name: 'ens', nodeSelector: { [NIC]: 'ens192' }, interface: 'ens192' },
];

function controlPlane(release: KubeVipRelease, props: { interface?: string; nodeGroups?: NodeGroup[] }): KubeObject[] {
  return synthWith((chart) => {
    const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard(release), announce: Announcement.arp(), ...props });
    new KubeVipControlPlane(kubeVip, 'cp', { address: VIP });
  }).cluster as KubeObject[];
}

/** The node holding the VIP, once exactly one does, with the interface it is on. */
async function holder(c: TestCluster, not?: string): Promise<{ node: string; iface: string | undefined }> {
  const node = await c.waitFor(
    'the VIP on one node',
    () => {
      const holders = c.holders(VIP);
      return holders.length === 1 && holders[0] !== not ? holders[0] : undefined;
    },
    30_000,
  );
  return {
    node,
    iface: c.interfaceWith(
      c.nodes.find((n) => n.name === node)!,
      VIP,
    ),
  };
}

const nicOf = (node: string) => (node === 'cp-1' ? 'eth0' : 'ens192');

describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES)], netnsUnavailable).each(RELEASES)(
  'node groups on real kube-vip %s: nodes with different interface names share one VIP',
  (release) => {
    const cluster = useTestCluster({ controlPlaneNodes: 3 });

    beforeAll(async () => {
      const c = cluster();
      for (const [i, node] of c.nodes.entries()) {
        if (node.name !== 'cp-1') c.renameInterface(node, 'ens192');
        await c.labelNode(node, { [NIC]: nicOf(node.name) });
        // A management NIC holds the default route, as on servers whose VIP network is a NIC of its
        // own: kube-vip's default-route guess then picks the wrong interface.
        const ns = node.host.netns;
        // (A veth pair inside the node: this kernel has no dummy links.)
        c.lab.exec(ns, 'ip', ['link', 'add', 'mgmt0', 'type', 'veth', 'peer', 'name', 'mgmt-peer']);
        c.lab.exec(ns, 'ip', ['addr', 'add', `10.99.0.${11 + i}/24`, 'dev', 'mgmt0']);
        for (const link of ['mgmt0', 'mgmt-peer']) c.lab.exec(ns, 'ip', ['link', 'set', link, 'up']);
        c.lab.exec(ns, 'ip', ['route', 'replace', 'default', 'via', '10.99.0.1', 'dev', 'mgmt0', 'onlink']);
      }
    }, 60_000);

    afterEach(async () => {
      const c = cluster();
      await c.stopAllPods();
      await c.waitFor('the VIP released', () => (c.holders(VIP).length === 0 ? true : undefined), 15_000);
      await c.admin
        .delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system', name: 'kube-vip-cp-lock' })
        .catch(() => undefined);
    }, 30_000);

    it('without groups (one interface name for all), kube-vip exits on the nodes whose NIC is named otherwise: the VIP dies with the one node left', async () => {
      const c = cluster();
      const objects = controlPlane(release, { interface: 'eth0' });
      await c.apply(objects);
      const pods = await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      const [eth, ...ens] = ['cp-1', 'cp-2', 'cp-3'].map((node) => pods.find((p) => p.node.name === node)!);
      for (const pod of ens) {
        await pod.process.waitForOutput(/eth0 is not valid interface/, 15_000);
        await pod.process.exited;
      }
      expect(await holder(c)).toEqual({ node: 'cp-1', iface: 'eth0' });
      await c.stopPod(eth);
      await new Promise((r) => setTimeout(r, 5_000));
      expect(c.holders(VIP)).toEqual([]);
    }, 60_000);

    it('with no interface set, kube-vip puts the VIP on the default-route NIC (mgmt0)', async () => {
      const c = cluster();
      const objects = controlPlane(release, {});
      await c.apply(objects);
      await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      expect((await holder(c)).iface).toBe('mgmt0');
    }, 60_000);

    it('with groups: one DaemonSet per group on its own nodes, one lease, and the VIP on the interface each leader has, before and after failover', async () => {
      const c = cluster();
      const objects = controlPlane(release, { nodeGroups: GROUPS });
      expect(objects.filter((o) => o.kind === 'DaemonSet').map((o) => o.metadata.name)).toEqual(['kube-vip-eth', 'kube-vip-ens']);
      await c.apply(objects);
      const pods: RunningPod[] = await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      expect(pods.map((p) => `${p.env.instance_name}@${p.node.name}:${p.env.vip_interface}`).sort()).toEqual([
        'kube-vip-ens@cp-2:ens192',
        'kube-vip-ens@cp-3:ens192',
        'kube-vip-eth@cp-1:eth0',
      ]);
      expect(c.unschedulable).toEqual([]);

      // Every leader, whichever group it is in, puts the VIP on its own NIC: stop leaders until
      // both groups have led.
      const seen = new Set<string>();
      let current = await holder(c);
      for (let round = 0; round < 3; round++) {
        expect(current.iface).toBe(nicOf(current.node));
        expect(await c.leaseHolder('kube-system', 'kube-vip-cp-lock')).toBe(current.node);
        seen.add(current.iface!);
        if (seen.size === 2) break;
        await c.stopPod(pods.find((p) => p.node.name === current.node)!);
        current = await holder(c, current.node);
      }
      expect([...seen].sort()).toEqual(['ens192', 'eth0']);
    }, 120_000);
  },
);
