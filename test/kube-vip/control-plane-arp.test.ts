import { Announcement, KubeVip, KubeVipControlPlane, KubeVipImage } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { synthWith } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, kubeVipTools, releasesSince } from '../support/tools';
import { Image, RunningPod } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';
const RELEASES = releasesSince('v1.2.2');
/** The suite's releases before RELEASES: only the leader-election-off case runs them, in the cluster of the oldest of RELEASES. */
const OLDER = KUBE_VIP_RELEASES.filter((r) => !RELEASES.includes(r));

/**
 * Scenario 1, through the constructs: a control-plane VIP over ARP, on three control-plane
 * nodes and one worker, run by real kube-vip, each release from v1.2.2 on.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(KUBE_VIP_RELEASES)], netnsUnavailable).each(RELEASES)(
  'ARP control plane on real kube-vip %s (constructs)',
  (release) => {
    const cluster = useTestCluster({ controlPlaneNodes: 3, workerNodes: 1 });
    const objects = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', {
        image: KubeVipImage.standard(release),
        announce: Announcement.arp(),
        interface: 'eth0',
      });
      new KubeVipControlPlane(kubeVip, 'cp', { address: VIP });
    }).cluster as KubeObject[];
    let pods: RunningPod[];

    beforeAll(async () => {
      await cluster().apply(objects);
      pods = await cluster().runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
    }, 60_000);

    it('runs on the three control-plane nodes only (affinity and tolerations as synthesised)', () => {
      expect(pods.map((p) => p.node.name).sort()).toEqual(['cp-1', 'cp-2', 'cp-3']);
    });

    it('puts the VIP on exactly one node, the holder of the lease the README names (kube-vip-cp-lock)', async () => {
      const holder = await cluster().waitFor('the VIP on one node', () => {
        const holders = cluster().holders(VIP);
        return holders.length === 1 ? holders[0] : undefined;
      });
      expect(await cluster().leaseHolder('kube-system', 'kube-vip-cp-lock')).toBe(holder);
      // Held steadily: still one holder a few renewals later.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(cluster().holders(VIP)).toEqual([holder]);
    });

    it("moves the VIP to another node when the leader stops; a LAN client's ARP entry follows it", async () => {
      const before = cluster().holders(VIP);
      expect(before).toHaveLength(1);
      const macOf = (node: string) =>
        cluster()
          .lab.exec(cluster().nodes.find((n) => n.name === node)!.host.netns, 'cat', ['/sys/class/net/eth0/address'])
          .trim();
      // A client that already talks to the VIP: its ARP entry names the leader.
      const client = cluster().addHost('client', 100);
      expect(cluster().lab.tryExec(client.netns, 'ping', ['-c', '1', '-W', '2', VIP]).status).toBe(0);
      expect(cluster().lab.exec(client.netns, 'ip', ['neigh', 'show', VIP])).toContain(macOf(before[0]));
      const leader = pods.find((p) => p.node.name === before[0])!;
      const started = Date.now();
      const stopped = cluster().stopPod(leader);
      // Sampled every 50 ms while the leader shuts down: how long the VIP is nowhere, or on two
      // nodes. Measured, not asserted.
      const samples: number[] = [];
      const next = await cluster().waitFor(
        'the VIP on another node',
        () => {
          const holders = cluster().holders(VIP);
          samples.push(holders.length);
          return holders.length === 1 && holders[0] !== before[0] ? holders[0] : undefined;
        },
        30_000,
      );
      await stopped;
      const none = samples.filter((n) => n === 0).length;
      const two = samples.filter((n) => n > 1).length;
      process.stdout.write(
        `VIP moved from ${before[0]} to ${next} in ${Date.now() - started} ms; samples: ${samples.length}, none ${none}, two ${two}\n`,
      );
      // The new leader's gratuitous ARP updates the client's existing entry, before it sends anything.
      await cluster().waitFor(
        "the client's ARP entry naming the new leader",
        () => (cluster().lab.exec(client.netns, 'ip', ['neigh', 'show', VIP]).includes(macOf(next)) ? true : undefined),
        10_000,
      );
      expect(cluster().lab.tryExec(client.netns, 'ping', ['-c', '1', '-W', '2', VIP]).status).toBe(0);
    }, 60_000);

    it.each((release === RELEASES[RELEASES.length - 1] ? [release, ...OLDER] : [release]).map((r) => [r]))(
      'with leader election off (no vip_leaderelection, no lease settings), %s still elects one ARP leader, on its default lease plndr-cp-lock',
      async (electing) => {
        const c = cluster();
        await c.stopAllPods();
        await c.waitFor('the VIP released', () => (c.holders(VIP).length === 0 ? true : undefined), 15_000);
        // What our env table writes with controlPlane.leaderElection.enabled: false.
        const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
        const container = ds.spec.template.spec.containers[0];
        const electionVars = ['vip_leaderelection', 'vip_leasename', 'vip_leaseduration', 'vip_renewdeadline', 'vip_retryperiod'];
        container.env = container.env.filter((e: any) => !electionVars.includes(e.name));
        await c.runDaemonSets([ds], kubeVipBinary(electing), Image.STANDARD);
        const holder = await c.waitFor('the VIP on one node', () => (c.holders(VIP).length === 1 ? c.holders(VIP)[0] : undefined));
        await new Promise((r) => setTimeout(r, 3_000));
        expect(c.holders(VIP)).toEqual([holder]);
        expect(await c.leaseHolder('kube-system', 'plndr-cp-lock')).toBe(holder);
        await c.admin.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system', name: 'plndr-cp-lock' });
      },
      60_000,
    );

    it('without the control-plane tolerations, the DaemonSet would run on no control-plane node', async () => {
      const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
      delete ds.spec.template.spec.tolerations;
      const started = await cluster().runDaemonSets([ds], kubeVipBinary(release), Image.STANDARD);
      expect(started).toEqual([]);
    });

    it('without NET_ADMIN and NET_RAW (drop ALL and nothing added), kube-vip cannot add the VIP', async () => {
      const c = cluster();
      await c.stopAllPods();
      await c.waitFor('the VIP released', () => (c.holders(VIP).length === 0 ? true : undefined), 15_000);
      const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
      ds.spec.template.spec.containers[0].securityContext.capabilities.add = [];
      const started = await c.runDaemonSets([ds], kubeVipBinary(release), Image.STANDARD);
      const leader = await c.waitFor('a leader', () => c.leaseHolder('kube-system', 'kube-vip-cp-lock'));
      await started.find((p) => p.node.name === leader)!.process.waitForOutput(/operation not permitted/i, 30_000);
      expect(c.holders(VIP)).toEqual([]);
    }, 60_000);
  },
);
