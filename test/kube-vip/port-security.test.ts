import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { IN_PROCESS_NFTABLES, releaseAtLeast } from '../../lib/kube-vip/releases';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease } from '../support/tools';
import { Image, TestCluster } from './support/cluster';
import { Host, netnsUnavailable } from './support/netns';
import { NodeFirewall, resetFirewall } from './support/firewall';
import { PORT_SECURITY_SHOWN, PortSecurityOutcome } from './support/shown';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const SERVICE_ADDRESS = '192.168.77.215';
const DECLARED = 80;
const UNDECLARED = 8081;

interface Cell {
  readonly release: KubeVipRelease;
  readonly image: Image;
  readonly firewall: NodeFirewall;
  /** Our output as is (egress_withnftables=false), or with that line removed (kube-vip's default). */
  readonly env: 'ours' | 'kube-vip default';
}

function connects(c: TestCluster, client: Host, port: number): boolean {
  return c.lab.tryExec(client.netns, 'timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/${SERVICE_ADDRESS}/${port}`]).status === 0;
}

/**
 * Port security (enable_service_security, P2) on real kube-vip: for each release, image and
 * node firewall state, a Service declaring port 80 on a node that listens on 80 and 8081; from
 * a client on the LAN, is 8081 blocked (enforced), reachable (not enforced), or does the
 * address not come up at all?
 */
describeOnNodes(['kube-apiserver-test', ...KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const)], netnsUnavailable)(
  'port security on real kube-vip, per release, image and node',
  () => {
    const cluster = useTestCluster({ workerNodes: 1 });
    const objects = synthValues({
      image: { tag: 'v1.2.2' },
      interface: 'eth0',
      services: { enabled: true, election: false, onlyAllowTrafficServicePorts: true },
    }).cluster as KubeObject[];
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', annotations: { 'kube-vip.io/loadbalancerIPs': SERVICE_ADDRESS } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: DECLARED, protocol: 'TCP' }], selector: { app: 'web' } },
    };
    let client: Host;
    const observed = new Map<string, { outcome: PortSecurityOutcome; log: string }>();

    beforeAll(async () => {
      const c = cluster();
      await c.apply([...objects, service]);
      await c.addEndpoint(service, c.nodes[0], '10.244.1.5');
      await c.listen(c.nodes[0], [DECLARED, UNDECLARED]);
      client = c.addHost('client', 100);
    }, 60_000);
    afterEach(() => cluster().stopAllPods(), 30_000);

    const cells: Cell[] = [];
    for (const release of KUBE_VIP_RELEASES) {
      for (const image of [Image.STANDARD, Image.IPTABLES]) {
        for (const firewall of [NodeFirewall.BARE, NodeFirewall.KUBE_PROXY]) {
          cells.push({ release, image, firewall, env: 'ours' });
          if (releaseAtLeast(release, IN_PROCESS_NFTABLES.since)) cells.push({ release, image, firewall, env: 'kube-vip default' });
        }
      }
    }
    const nameOf = (cell: Cell) => `${cell.release} ${cell.image} image, ${cell.firewall} node, ${cell.env}`;

    it("our output turns kube-vip's nftables path off for port security, and picks the iptables image", () => {
      const container = (objects.find((o) => o.kind === 'DaemonSet') as any).spec.template.spec.containers[0];
      expect(container.env).toContainEqual({ name: 'egress_withnftables', value: 'false' });
      expect(container.image).toBe('ghcr.io/kube-vip/kube-vip-iptables:v1.2.2');
    });

    it.each(cells.map((cell) => [nameOf(cell), cell] as const))(
      '%s',
      async (name, cell) => {
        const c = cluster();
        const node = c.nodes[0];
        resetFirewall(c, node, cell.firewall);
        const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
        const container = ds.spec.template.spec.containers[0];
        if (cell.env === 'kube-vip default') container.env = container.env.filter((e: any) => e.name !== 'egress_withnftables');
        const [pod] = await c.runDaemonSets([ds], kubeVipBinary(cell.release), cell.image);
        const up = await c
          .waitFor('the Service address', () => (c.holders(SERVICE_ADDRESS).length === 1 ? true : undefined), 20_000)
          .catch(() => false);
        await new Promise((r) => setTimeout(r, 1_500)); // rules follow the address
        const outcome: PortSecurityOutcome = !up
          ? 'no address'
          : !connects(c, client, DECLARED)
            ? 'Service blocked'
            : connects(c, client, UNDECLARED)
              ? 'not enforced'
              : 'enforced';
        const log = pod.process
          .output()
          .split('\n')
          .filter((l) => /iptables|nftables/i.test(l) && /ERROR|WARN/.test(l))
          .slice(0, 1)
          .join(' | ');
        observed.set(name, { outcome, log });
        await c.admin
          .delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system', name: 'kube-vip-svcs-lock' })
          .catch(() => undefined);
        expect(outcome).toBe(PORT_SECURITY_SHOWN[name]);
      },
      60_000,
    );

    afterAll(() => {
      const rows = [...observed].map(([name, { outcome, log }]) => `${name}: ${outcome}${log ? ` (${log.slice(0, 220)})` : ''}`);
      process.stdout.write(`port security:\n${rows.join('\n')}\n`);
    });
  },
);
