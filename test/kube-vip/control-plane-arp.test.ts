import { Announcement, KubeVip, KubeVipControlPlane, KubeVipImage } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { synthWith } from '../support/synth';
import { describeOnNodes } from '../support/tools';
import { Image, RunningPod } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';

/**
 * Scenario 1, through the constructs: a control-plane VIP over ARP, on three control-plane
 * nodes and one worker, run by real kube-vip v1.2.2.
 */
describeOnNodes(['kube-apiserver-test', 'kube-vip-v1.2.2', 'kube-vip-v1.2.1'], netnsUnavailable)('ARP control plane on real kube-vip v1.2.2 (constructs)', () => {
  const cluster = useTestCluster({ controlPlaneNodes: 3, workerNodes: 1 });
  const objects = synthWith((chart) => {
    const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard('v1.2.2'), announce: Announcement.arp(), interface: 'eth0' });
    new KubeVipControlPlane(kubeVip, 'cp', { address: VIP });
  }).cluster as KubeObject[];
  let pods: RunningPod[];

  beforeAll(async () => {
    await cluster().apply(objects);
    pods = await cluster().runDaemonSets(objects, kubeVipBinary('v1.2.2'), Image.STANDARD);
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

  it('moves the VIP to another node when the leader stops, and a client on the LAN reaches the new one', async () => {
    const before = cluster().holders(VIP);
    expect(before).toHaveLength(1);
    const leader = pods.find((p) => p.node.name === before[0])!;
    const started = Date.now();
    const stopped = cluster().stopPod(leader);
    // Sampled every 50 ms while the leader shuts down: how long the VIP is nowhere, or on two
    // nodes (kube-vip releases the lease before it removes the address). Measured, not asserted.
    const samples: number[] = [];
    const next = await cluster().waitFor('the VIP on another node', () => {
      const holders = cluster().holders(VIP);
      samples.push(holders.length);
      return holders.length === 1 && holders[0] !== before[0] ? holders[0] : undefined;
    }, 30_000);
    await stopped;
    const none = samples.filter((n) => n === 0).length;
    const two = samples.filter((n) => n > 1).length;
    process.stdout.write(`VIP moved from ${before[0]} to ${next} in ${Date.now() - started} ms; samples: ${samples.length}, none ${none}, two ${two}\n`);
    // The new holder answers ARP for the VIP: a client's ping resolves it to that node's MAC.
    const client = cluster().addHost('client', 100);
    const ping = cluster().lab.tryExec(client.netns, 'ping', ['-c', '1', '-W', '2', VIP]);
    expect(ping.status).toBe(0);
    const neighbour = cluster().lab.exec(client.netns, 'ip', ['neigh', 'show', VIP]);
    const mac = cluster().lab.exec(cluster().nodes.find((n) => n.name === next)!.host.netns, 'cat', ['/sys/class/net/eth0/address']).trim();
    expect(neighbour).toContain(mac);
  }, 60_000);

  it.each([['v1.2.2'], ['v1.2.1']] as const)('without vip_leaderelection, %s still elects one ARP leader: it does not read that variable for ARP', async (release) => {
    const c = cluster();
    await c.stopAllPods();
    await c.waitFor('the VIP released', () => (c.holders(VIP).length === 0 ? true : undefined), 15_000);
    const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
    const container = ds.spec.template.spec.containers[0];
    container.env = container.env.filter((e: any) => e.name !== 'vip_leaderelection');
    await c.runDaemonSets([ds], kubeVipBinary(release), Image.STANDARD);
    await c.waitFor('the VIP on one node', () => (c.holders(VIP).length === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(c.holders(VIP)).toHaveLength(1);
  }, 60_000);

  it('without the control-plane tolerations, the DaemonSet would run on no control-plane node', async () => {
    const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
    delete ds.spec.template.spec.tolerations;
    const started = await cluster().runDaemonSets([ds], kubeVipBinary('v1.2.2'), Image.STANDARD);
    expect(started).toEqual([]);
  });
});
