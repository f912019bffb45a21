import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image, RunningPod, TestCluster } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';
const RELEASES = releasesSince('v1.2.2');

/** GET http://127.0.0.1:PORT/healthz inside a node's network namespace (the pod's, in the host network). */
function healthz(c: TestCluster, pod: RunningPod, port: number): { status: number; output: string } {
  const script = `fetch('http://127.0.0.1:${port}/healthz').then(async (r) => console.log(r.status, await r.text()), (e) => { console.log('error', e.cause?.code ?? e.message); process.exit(1); })`;
  return c.lab.tryExec(pod.node.host.netns, process.execPath, ['-e', script]);
}

/**
 * kube-vip's health endpoint (health.enabled) on real kube-vip, each release from v1.2.2 on: the
 * liveness probe we write targets the port kube-vip listens on, and the endpoint answers on the
 * leader and on the followers alike, so the probe never restarts a healthy follower waiting for
 * the lease.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES)], netnsUnavailable).each(RELEASES)(
  'the health endpoint on real kube-vip %s',
  (release) => {
    const cluster = useTestCluster({ controlPlaneNodes: 3 });
    const objects = synthValues({
      image: { tag: release, variant: 'standard' },
      interface: 'eth0',
      controlPlane: { enabled: true, address: VIP },
      services: { enabled: false },
      health: { enabled: true },
    }).cluster as KubeObject[];
    let pods: RunningPod[];

    beforeAll(async () => {
      await cluster().apply(objects);
      pods = await cluster().runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
    }, 60_000);

    it('writes a liveness probe on the port named health, which is the port kube-vip is told to serve', () => {
      const container = (objects.find((o) => o.kind === 'DaemonSet') as any).spec.template.spec.containers[0];
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
      const port = container.ports.find((p: { name: string }) => p.name === 'health').containerPort;
      expect(port).toBe(3112);
      for (const pod of pods) expect(pod.env.health_check_port).toBe(String(port));
    });

    it('answers 200 "OK" on the leader and on every follower', async () => {
      const c = cluster();
      const leader = await c.waitFor('the VIP on one node', () => (c.holders(VIP).length === 1 ? c.holders(VIP)[0] : undefined));
      expect(pods).toHaveLength(3);
      const answers = await c.waitFor('every pod answering', () => {
        const all = pods.map((pod) => ({ node: pod.node.name, ...healthz(c, pod, 3112) }));
        return all.every((a) => a.status === 0) ? all : undefined;
      });
      for (const answer of answers) expect(answer.output.trim()).toBe('200 OK');
      expect(answers.filter((a) => a.node !== leader)).toHaveLength(2); // followers answered too
      expect(c.holders(VIP)).toEqual([leader]);
    });

    it('stops answering once kube-vip is gone, which is what the probe catches', async () => {
      const c = cluster();
      const follower = pods.find((p) => !c.holders(VIP).includes(p.node.name))!;
      await c.stopPod(follower);
      const result = healthz(c, follower, 3112);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('ECONNREFUSED');
    });
  },
);
