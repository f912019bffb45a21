import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KubeObject } from '../e2e/support/kube';
import { parseStream, runHelm, useTestChart, writeValues } from '../support/helm';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image, RunningPod } from './support/cluster';
import { ContainerProcess, startContainer } from './support/kubelet';
import { Host, netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';
const ROUTER_AS = 64512;
const PASSWORD = 'Pa55-word';
const BIRD = ['/usr/sbin/bird', '/usr/bin/bird'].find((p) => existsSync(p)) ?? '/usr/sbin/bird';
const BIRDC = BIRD.replace(/bird$/, 'birdc');
const RELEASES = releasesSince('v1.2.2');

/**
 * BIRD 2 as the network's router: passive (kube-vip dials out), one session per node, TCP MD5
 * with the password the Secret holds.
 */
function birdConfig(router: Host, nodes: readonly Host[]): string {
  const sessions = nodes.map(
    (node, i) => `protocol bgp node${i + 1} {
  local ${router.address} as ${ROUTER_AS};
  neighbor ${node.address} as 65000;
  passive on;
  password "${PASSWORD}";
  ipv4 { import all; export none; };
}`,
  );
  return [`router id ${router.address};`, 'protocol device {}', ...sessions].join('\n') + '\n';
}

/**
 * Scenario 4, through the chart: BGP control plane, every node announcing the VIP (no leader
 * election, as BGP allows), router IDs from each node's eth0, the peer's password from a
 * Secret, reaching bgp_peers through the kubelet's $(VAR) expansion. Real kube-vip, each
 * release from v1.2.2 on, against a real router, BIRD 2, in a namespace of its own.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES), 'helm3'], netnsUnavailable).each(RELEASES)(
  'BGP with a real peer (BIRD) on real kube-vip %s (chart)',
  (release) => {
    const cluster = useTestCluster({ controlPlaneNodes: 2 });
    const chart = useTestChart();
    let objects: KubeObject[];
    let bird: ContainerProcess;
    let socket: string;
    let dir: string;
    let pods: RunningPod[] = [];
    let router: Host;

    /** birdc's answer (it exits non-zero for "Network not found", whose text we want too). */
    const birdc = (...args: string[]) => cluster().lab.tryExec(cluster().lab.lan, BIRDC, ['-s', socket, ...args]).output;

    beforeAll(async () => {
      const c = cluster();
      dir = mkdtempSync(join(tmpdir(), 'kube-vip-bird-'));
      router = c.addHost('router', 250);
      writeFileSync(
        join(dir, 'bird.conf'),
        birdConfig(
          router,
          c.nodes.map((n) => n.host),
        ),
      );
      socket = join(dir, 'bird.ctl');
      bird = startContainer({
        netns: router.netns,
        binary: BIRD,
        args: ['-f', '-c', join(dir, 'bird.conf'), '-s', socket, '-P', join(dir, 'bird.pid')],
        env: {},
        files: {},
        pathDirs: [],
      });
      await c.waitFor('BIRD up', () => (existsSync(socket) ? true : undefined), 10_000);

      const values = {
        image: { tag: release },
        interface: 'lo',
        services: { enabled: false },
        controlPlane: { enabled: true, address: VIP, leaderElection: { enabled: false } },
        announce: {
          mode: 'bgp',
          bgp: {
            routerInterface: 'eth0',
            peers: [{ address: router.address, as: ROUTER_AS, password: { name: 'bgp-auth', key: 'password' } }],
          },
        },
      };
      const result = runHelm('helm3', [
        'template',
        'kube-vip',
        chart().dir,
        '-n',
        'kube-system',
        '-f',
        writeValues(chart().scratch, 'bgp', values),
        '--kube-version',
        '1.35.4',
      ]);
      if (result.status !== 0) throw new Error(`helm template: ${result.stderr}`);
      objects = parseStream(result.stdout) as KubeObject[];
      await c.apply(objects);
    }, 60_000);
    afterAll(async () => {
      await bird?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    afterEach(async () => {
      await cluster().stopAllPods();
      pods = [];
    });

    const secret = (password: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bgp-auth', namespace: 'kube-system' },
      stringData: { password },
    });

    it('with the password from the Secret, both sessions come up and the router has the VIP from both nodes', async () => {
      const c = cluster();
      await c.admin.apply(secret(PASSWORD));
      pods = await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      // The Secret's password reached bgp_peers through the kubelet's $(VAR) expansion.
      for (const pod of pods) expect(pod.env.bgp_peers).toBe(`192.168.77.250:${ROUTER_AS}:${PASSWORD}:false:179`);
      const routes = await c.waitFor(
        'the VIP route from both nodes',
        () => {
          const shown = birdc('show', 'route', 'all', `${VIP}/32`);
          return (shown.match(/via 192\.168\.77\.1[12] on eth0/g) ?? []).length === 2 ? shown : undefined;
        },
        30_000,
      );
      expect(routes).toContain('BGP.as_path: 65000');
      expect(birdc('show', 'protocols')).toMatch(
        /node1\s+BGP\s+---\s+up\s+\S+\s+Established[\s\S]*node2\s+BGP\s+---\s+up\s+\S+\s+Established/,
      );
    }, 60_000);

    it('with a wrong password in the Secret, no session comes up and the router never learns the VIP', async () => {
      const c = cluster();
      birdc('restart', 'all'); // forget the sessions of the test before
      await c.admin.apply(secret('wrong-password'));
      pods = await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      for (const pod of pods) expect(pod.env.bgp_peers).toContain(':wrong-password:');
      // kube-vip does dial with it: the router's kernel drops those segments for a bad TCP MD5
      // signature (the counter of its namespace rises). Its first try comes within about 2 s.
      const md5Failures = () =>
        Number(/TcpExtTCPMD5Failure\s+(\d+)/.exec(cluster().lab.exec(router.netns, 'nstat', ['-az', 'TcpExtTCPMD5Failure']))?.[1] ?? 0);
      await cluster().waitFor('MD5 failures at the router', () => (md5Failures() > 0 ? true : undefined), 20_000);
      await new Promise((r) => setTimeout(r, 5_000));
      for (const pod of pods) expect(pod.stopped).toBe(false);
      expect(birdc('show', 'protocols')).not.toContain('Established');
      expect(birdc('show', 'route', 'all', `${VIP}/32`)).not.toContain('via');
    }, 60_000);
  },
);
