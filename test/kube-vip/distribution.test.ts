import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease } from '../support/tools';
import { Image, TestCluster } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.240';

/**
 * distribution: k3s and rke2 on real kube-vip, both releases. Their server nodes have a
 * kubeconfig for the local API server (127.0.0.1:6443); a control-plane DaemonSet of ours
 * mounts it, so kube-vip needs neither the Service network nor its ServiceAccount's rights to
 * take the lease (kube-vip issue 721). Shown by taking those rights away: with the distribution
 * the VIP still comes up; the same DaemonSet as kubeadm's is forbidden the lease.
 */
describeOnNodes(['kube-apiserver-test', 'kube-vip-v1.2.2', 'kube-vip-v1.2.1'], netnsUnavailable)(
  'control-plane DaemonSets on k3s and rke2 nodes, on real kube-vip',
  () => {
    const cluster = useTestCluster({ controlPlaneNodes: 2 });

    beforeAll(async () => {
      const c = cluster();
      for (const node of c.nodes) {
        // As k3s and rke2 write them: cluster-admin, the API server on this node.
        c.writeNodeFile(node, '/etc/rancher/k3s/k3s.yaml', c.kubeconfig(c.adminToken(), 'https://127.0.0.1:6443'));
        c.writeNodeFile(node, '/etc/rancher/rke2/rke2.yaml', c.kubeconfig(c.adminToken(), 'https://127.0.0.1:6443'));
        await c.localApiServer(node);
      }
    }, 60_000);
    afterEach(async () => {
      const c = cluster();
      await c.stopAllPods();
      await c.waitFor('the VIP gone after the test', () => (c.holders(VIP).length === 0 ? true : undefined), 15_000);
    }, 40_000);

    /** Our objects without the bindings: the ServiceAccount exists but may do nothing. */
    function withoutRights(distribution: string, release: KubeVipRelease): KubeObject[] {
      const objects = synthValues({
        name: `kv-${distribution}`,
        distribution,
        image: { tag: release },
        interface: 'eth0',
        controlPlane: { enabled: true, address: VIP },
        services: { enabled: false },
      }).cluster as KubeObject[];
      return objects.filter((o) => !o.kind.endsWith('Binding'));
    }

    async function run(c: TestCluster, objects: KubeObject[], release: KubeVipRelease) {
      await c.apply(objects);
      return c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
    }

    describe.each(KUBE_VIP_RELEASES.map((r) => [r]))('kube-vip %s', (release: KubeVipRelease) => {
      it.each(['k3s', 'rke2'])(
        '%s: the VIP comes up through the node kubeconfig',
        async (distribution) => {
          const c = cluster();
          await run(c, withoutRights(distribution, release), release);
          await c.waitFor('the VIP on one node', () => (c.holders(VIP).length === 1 ? true : undefined), 30_000);
        },
        60_000,
      );

      it('kubeadm (the ServiceAccount): the lease is forbidden and no VIP comes up', async () => {
        const c = cluster();
        const pods = await run(c, withoutRights('kubeadm', release), release);
        await pods[0].process.waitForOutput(/leases.*forbidden/i, 30_000);
        await new Promise((r) => setTimeout(r, 5_000));
        expect(c.holders(VIP)).toEqual([]);
      }, 60_000);
    });
  },
);
