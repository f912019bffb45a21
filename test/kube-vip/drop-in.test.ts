import { spawnSync } from 'child_process';
import { KubeObject } from '../e2e/support/kube';
import { cli, ensureCompiled, yamlDocs } from '../cli/support/cli';
import { describeOnNodes } from '../support/tools';
import { Image, RunningPod } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';
const FLAGS = ['--interface', 'eth0', '--address', VIP, '--inCluster', '--taint', '--controlplane', '--arp', '--leaderElection'];

/** `kube-vip manifest ...` from the real binary: what users run today. */
function kubeVipManifest(args: readonly string[]): KubeObject[] {
  const result = spawnSync(kubeVipBinary('v1.2.2'), ['manifest', ...args, '--image', 'ghcr.io/kube-vip/kube-vip:v1.2.2'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kube-vip manifest ${args.join(' ')}: ${result.stderr}`);
  return yamlDocs(result.stdout) as KubeObject[];
}

/**
 * Scenario 7, through the `manifest` drop-in: kube-vip's own generator and ours for the same
 * flags, both run by real kube-vip v1.2.2 in one cluster. What `--explain` claims is checked
 * where it matters at run time: ours brings the RBAC kube-vip's output lacks, and both use
 * kube-vip's lease names, so during a switch-over they agree on one leader.
 */
describeOnNodes(['kube-apiserver-test', 'kube-vip-v1.2.2'], netnsUnavailable)("the manifest drop-in next to kube-vip's own generator on real kube-vip v1.2.2", () => {
  const cluster = useTestCluster({ controlPlaneNodes: 3 });
  let theirs: KubeObject[];
  let theirPods: RunningPod[];
  let ourPods: RunningPod[];
  beforeAll(() => {
    ensureCompiled();
    theirs = kubeVipManifest(['daemonset', ...FLAGS]);
  });

  it("kube-vip's DaemonSet with only a ServiceAccount (no RBAC) cannot take the lease: the VIP never comes up", async () => {
    const c = cluster();
    await c.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-vip', namespace: 'kube-system' } }, ...theirs]);
    theirPods = await c.runDaemonSets(theirs, kubeVipBinary('v1.2.2'), Image.STANDARD);
    expect(theirPods).toHaveLength(3);
    await theirPods[0].process.waitForOutput(/forbidden/i, 30_000);
    expect(c.holders(VIP)).toEqual([]);
  }, 60_000);

  it("with kube-vip's own `manifest rbac`, its DaemonSet gets the VIP on one node (the baseline)", async () => {
    const c = cluster();
    await c.apply(kubeVipManifest(['rbac']));
    await c.waitFor('the VIP on one node (kube-vip retries once it is allowed)', () => (c.holders(VIP).length === 1 ? true : undefined), 45_000);
  }, 60_000);

  it('ours (one apply, its own RBAC) joins the same leader election: still exactly one VIP holder, one plndr-cp-lock', async () => {
    const c = cluster();
    const result = cli(['manifest', 'daemonset', ...FLAGS, '--image', 'ghcr.io/kube-vip/kube-vip:v1.2.2']);
    expect(result.code).toBe(0);
    const ours = yamlDocs(result.stdout) as KubeObject[];
    await c.apply(ours);
    ourPods = await c.runDaemonSets(ours, kubeVipBinary('v1.2.2'), Image.STANDARD);
    expect(ourPods).toHaveLength(3);
    for (const pod of ourPods) await pod.process.waitForOutput(/lease|leader/i, 20_000);
    await new Promise((r) => setTimeout(r, 4_000)); // two renewals of the running leader
    expect(c.holders(VIP)).toHaveLength(1);
    expect(await c.leaseHolder('kube-system', 'plndr-cp-lock')).toBe(c.holders(VIP)[0]);
  }, 60_000);

  it("switching over: when kube-vip's DaemonSet goes, ours takes the lease and the VIP ends on exactly one node", async () => {
    const c = cluster();
    const started = Date.now();
    const samples: string[][] = [];
    const stopping = Promise.all(theirPods.map((p) => c.stopPod(p)));
    // Sample while theirs stop: kube-vip releases the lease before it removes the address, so
    // the next leader may add it while the old one still has it; we measure that, not assert it.
    while (Date.now() - started < 10_000) {
      samples.push(c.holders(VIP));
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopping;
    const holder = await c.waitFor('the VIP held by one of our pods', () => (c.holders(VIP).length === 1 ? c.holders(VIP)[0] : undefined), 30_000);
    expect(await c.leaseHolder('kube-system', 'plndr-cp-lock')).toBe(holder);
    const none = samples.filter((s) => s.length === 0).length;
    const both = samples.filter((s) => s.length > 1).length;
    process.stdout.write(`switch-over: VIP on ${holder}; of ${samples.length} samples 50 ms apart, ${none} had no holder and ${both} had two\n`);
  }, 90_000);
});
