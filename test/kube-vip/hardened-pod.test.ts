import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease, releasesSince } from '../support/tools';
import { Image, RunningPod, TestCluster } from './support/cluster';
import { observedConfinement } from './support/kubelet';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.203';
const METRICS_PORT = 2112;

/** GET http://HOST:PORT/metrics from a node's network namespace: the status, or the connection error. */
function scrape(c: TestCluster, from: RunningPod, host: string): string {
  const script = `fetch('http://${host}:${METRICS_PORT}/metrics', { signal: AbortSignal.timeout(3000) }).then((r) => console.log(r.status), (e) => console.log(e.cause?.code ?? e.name))`;
  return c.lab.tryExec(from.node.host.netns, process.execPath, ['-e', script]).output.trim();
}

function controlPlane(release: KubeVipRelease, metrics: Record<string, unknown> = {}): KubeObject[] {
  return synthValues({
    image: { tag: release },
    interface: 'eth0',
    controlPlane: { enabled: true, address: VIP },
    services: { enabled: false },
    metrics,
  }).cluster as KubeObject[];
}

/**
 * The pod we write is hardened, and real kube-vip works in it: a read-only root file system,
 * the runtime's default seccomp profile and no privilege escalation, all applied by the kubelet
 * stand-in and read back from /proc; a writable /run only where the iptables binaries need it.
 * The metrics server listens on the node's own address: Prometheus reaches it there, and a VIP
 * (which may face the outside world) does not serve it.
 */
describeOnNodes(['kube-apiserver-test', ...KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const)], netnsUnavailable)(
  'the hardened pod on real kube-vip',
  () => {
    const cluster = useTestCluster({ controlPlaneNodes: 2, workerNodes: 1 });
    afterEach(() => cluster().stopAllPods(), 30_000);

    /** Runs the config's DaemonSet and waits for one node to hold the VIP: the leader's pod, then the other. */
    async function runUntilHeld(objects: KubeObject[], release: KubeVipRelease): Promise<[RunningPod, RunningPod]> {
      const c = cluster();
      await c.apply(objects);
      const pods = await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      const leader = await c.waitFor('the VIP on one node', () => (c.holders(VIP).length === 1 ? c.holders(VIP)[0] : undefined), 30_000);
      const held = pods.find((p) => p.node.name === leader)!;
      return [held, pods.find((p) => p !== held)!];
    }

    it.each(KUBE_VIP_RELEASES)(
      '%s: confined as the manifest says, holds the VIP, and serves metrics on the node address only',
      async (release) => {
        const c = cluster();
        const objects = controlPlane(release);
        const container = (objects.find((o) => o.kind === 'DaemonSet') as any).spec.template.spec.containers[0];
        expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } });
        const [leader, follower] = await runUntilHeld(objects, release);
        for (const pod of [leader, follower]) {
          expect(observedConfinement(pod.process.pid)).toEqual({
            seccompFilter: true,
            noNewPrivileges: true,
            readOnly: { '/': true, '/run': true },
          });
        }
        expect(leader.env.prometheus_server).toBe(`[${leader.node.host.address}]:${METRICS_PORT}`);
        const answers = await c.waitFor('the metrics server up', () => {
          const own = scrape(c, follower, leader.node.host.address);
          return own === '200' ? own : undefined;
        });
        expect(answers).toBe('200');
        expect(scrape(c, follower, VIP)).toBe('ECONNREFUSED');
        expect(scrape(c, leader, '127.0.0.1')).toBe('ECONNREFUSED');
      },
      90_000,
    );

    it.each(releasesSince('v1.2.2'))(
      '%s: with metrics.bindAddress 0.0.0.0 the VIP serves the metrics too (what the default avoids)',
      async (release) => {
        const c = cluster();
        const [leader, follower] = await runUntilHeld(controlPlane(release, { bindAddress: '0.0.0.0' }), release);
        expect(leader.env.prometheus_server).toBe(`0.0.0.0:${METRICS_PORT}`);
        await c.waitFor('the metrics server on the VIP', () => (scrape(c, follower, VIP) === '200' ? true : undefined));
      },
      90_000,
    );

    it.each(KUBE_VIP_RELEASES)(
      '%s: the iptables image gets a writable /run, and nothing else is writable',
      async (release) => {
        const c = cluster();
        const objects = synthValues({
          image: { tag: release },
          interface: 'eth0',
          services: { enabled: true, election: false, onlyAllowTrafficServicePorts: true },
        }).cluster as KubeObject[];
        const spec = (objects.find((o) => o.kind === 'DaemonSet') as any).spec.template.spec;
        expect(spec.containers[0].image).toContain('kube-vip-iptables');
        await c.apply(objects);
        const pods = await c.runDaemonSets(objects, kubeVipBinary(release), Image.IPTABLES);
        await pods[0].process.waitForOutput(/services|Starting/i, 30_000);
        expect(observedConfinement(pods[0].process.pid)).toEqual({
          seccompFilter: true,
          noNewPrivileges: true,
          readOnly: { '/': true, '/run': false },
        });
      },
      60_000,
    );
  },
);
