import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { IN_PROCESS_NFTABLES, releaseAtLeast } from '../../lib/kube-vip/releases';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease } from '../support/tools';
import { Image, RunningPod, TestCluster, TestNode } from './support/cluster';
import { Host, netnsUnavailable } from './support/netns';
import { NodeFirewall, resetFirewall } from './support/firewall';
import { EGRESS_SHOWN, EgressOutcome } from './support/shown';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const SERVICE_ADDRESS = '192.168.77.216';
const POD_ADDRESS = '10.244.1.5';
const PEER_PORT = 9000;

/** Where the Service's address is written. */
enum Address {
  /** The kube-vip.io/loadbalancerIPs annotation only (what kube-vip's docs and our examples use). */
  ANNOTATION = 'annotation',
  /** The annotation and spec.loadBalancerIP (what kube-vip-cloud-provider v0.0.12 writes). */
  SPEC = 'annotation + spec.loadBalancerIP',
}

type Backend = 'nftables' | 'iptables';

interface Cell {
  readonly release: KubeVipRelease;
  readonly image: Image;
  readonly backend: Backend;
  readonly firewall: NodeFirewall;
  readonly address: Address;
}

function values(backend: Backend, namespace = 'kube-system') {
  return {
    namespace,
    image: { tag: 'v1.2.2' },
    interface: 'eth0',
    services: { enabled: true, election: true },
    egress: { enabled: true, backend, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' },
  };
}

function egressService(address: Address, name = 'egress'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'kube-vip.io/loadbalancerIPs': SERVICE_ADDRESS, 'kube-vip.io/egress': 'true' },
    },
    spec: {
      ...(address === Address.SPEC ? { loadBalancerIP: SERVICE_ADDRESS } : {}),
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      selector: { app: 'egress' },
    },
  };
}

/** The source address the peer saw for a connection from the pod, or undefined if none got through. */
function sourceSeenByPeer(c: TestCluster, pod: Host, peer: Host): string | undefined {
  const result = c.lab.tryExec(pod.netns, 'timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/${peer.address}/${PEER_PORT}; head -n1 <&3`]);
  return result.status === 0 ? result.output.trim().replace(/^::ffff:/, '') : undefined;
}

/** Lines of the node's rules (nftables, iptables-nft and iptables-legacy) that name the pod. */
function rulesForPod(c: TestCluster, node: TestNode): string[] {
  const nft = c.lab.tryExec(node.host.netns, 'nft', ['list', 'ruleset']).output;
  const legacy = c.lab.tryExec(node.host.netns, 'iptables-legacy-save', []).output;
  return `${nft}\n${legacy}`.split('\n').filter((line) => line.includes(POD_ADDRESS));
}

const quiet = async (promise: Promise<unknown>) => promise.catch(() => undefined);

/**
 * Egress (P3) on real kube-vip: a pod in a namespace of its own behind a LoadBalancer Service
 * with kube-vip.io/egress, externalTrafficPolicy Local and per-Service election. For each
 * release, image, backend and node firewall: does the pod's traffic to a LAN host leave with
 * the Service address, and are the rules gone once the Service is deleted?
 */
describeOnNodes(['kube-apiserver-test', ...KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const)], netnsUnavailable)(
  'egress on real kube-vip, per release, image, backend and node',
  () => {
    const cluster = useTestCluster({ workerNodes: 1 });
    let pod: Host;
    let peer: Host;
    const observed = new Map<string, { outcome: EgressOutcome; log: string }>();

    beforeAll(async () => {
      const c = cluster();
      const node = c.nodes[0];
      await c.apply(synthValues(values('nftables')).cluster as KubeObject[]);
      pod = c.addPod(node, POD_ADDRESS);
      peer = c.addHost('peer', 100);
      // The peer can answer the pod directly: without SNAT it still sees the pod's own address.
      c.lab.exec(peer.netns, 'ip', ['route', 'add', '10.244.0.0/16', 'via', node.host.address]);
      await c.serveSourceAddress(peer, PEER_PORT);
    }, 60_000);
    afterEach(() => cluster().stopAllPods(), 30_000);

    it('a pod reaches the peer with its own address when kube-vip is not running', () => {
      expect(sourceSeenByPeer(cluster(), pod, peer)).toBe(POD_ADDRESS);
    });

    const cells: Cell[] = [];
    for (const release of KUBE_VIP_RELEASES) {
      for (const image of [Image.STANDARD, Image.IPTABLES]) {
        for (const backend of ['nftables', 'iptables'] as const) {
          for (const firewall of [NodeFirewall.BARE, NodeFirewall.KUBE_PROXY])
            cells.push({ release, image, backend, firewall, address: Address.ANNOTATION });
          // Where the SNAT rule is written by iptables binaries: does spec.loadBalancerIP let kube-vip remove it?
          if (image === Image.IPTABLES && (!releaseAtLeast(release, IN_PROCESS_NFTABLES.since) || backend === 'iptables')) {
            cells.push({ release, image, backend, firewall: NodeFirewall.BARE, address: Address.SPEC });
          }
        }
      }
    }
    const nameOf = (cell: Cell) => `${cell.release} ${cell.image} image, ${cell.backend} backend, ${cell.firewall} node, ${cell.address}`;

    it('covers every cell it expects', () => {
      expect(cells.map(nameOf).sort()).toEqual(Object.keys(EGRESS_SHOWN).sort());
    });

    it.each(cells.map((cell) => [nameOf(cell), cell] as const))(
      '%s',
      async (name, cell) => {
        const c = cluster();
        const node = c.nodes[0];
        await prepare(c, cell.firewall, cell.address);
        const [kubeVip] = await c.runDaemonSets(
          synthValues(values(cell.backend)).cluster as KubeObject[],
          kubeVipBinary(cell.release),
          cell.image,
        );
        let outcome: EgressOutcome = (await snatStarts(c, pod, peer)) ?? 'SNAT, left behind';
        await deleteService(c);
        if (outcome === 'SNAT, left behind' && (await rulesGo(c, node)) && sourceSeenByPeer(c, pod, peer) === POD_ADDRESS)
          outcome = 'SNAT, removed with the Service';
        observed.set(name, { outcome, log: problems(kubeVip) });
        expect(outcome).toBe(EGRESS_SHOWN[name]);
      },
      60_000,
    );

    /**
     * egress_clean (P3): kube-vip dies without cleaning up (SIGKILL, as when a node loses power),
     * the Service is deleted meanwhile, kube-vip starts again. Our output sets egress_clean=true.
     * On the iptables paths kube-vip only removes rules whose comment names the namespace it
     * watches (svc_namespace), so a kube-vip watching every namespace removes none.
     */
    const restarts: RestartCell[] = KUBE_VIP_RELEASES.flatMap((release): RestartCell[] =>
      releaseAtLeast(release, IN_PROCESS_NFTABLES.since)
        ? [
            [release, Image.STANDARD, 'nftables', '', true, 'removed'],
            [release, Image.STANDARD, 'nftables', '', false, 'left'],
            [release, Image.IPTABLES, 'iptables', '', true, 'left'],
            [release, Image.IPTABLES, 'iptables', 'default', true, 'removed'],
            [release, Image.IPTABLES, 'iptables', 'default', false, 'left'],
          ]
        : [
            [release, Image.IPTABLES, 'nftables', '', true, 'left'],
            [release, Image.IPTABLES, 'nftables', 'default', true, 'removed'],
            [release, Image.IPTABLES, 'iptables', '', true, 'left'],
            [release, Image.IPTABLES, 'iptables', 'default', true, 'removed'],
            [release, Image.IPTABLES, 'iptables', 'default', false, 'left'],
          ],
    );
    it.each(restarts.map((cell) => [restartName(cell), cell] as const))(
      'after a crash, %s',
      async (_name, [release, image, backend, watchNamespace, clean, expected]) => {
        const c = cluster();
        const node = c.nodes[0];
        await prepare(c, NodeFirewall.BARE, Address.SPEC);
        const objects = synthValues(values(backend), { services: { watchNamespace } }).cluster as KubeObject[];
        const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
        const container = ds.spec.template.spec.containers[0];
        expect(container.env).toContainEqual({ name: 'egress_clean', value: 'true' });
        if (!clean) container.env = container.env.filter((e: any) => e.name !== 'egress_clean');
        const [first] = await c.runDaemonSets([ds], kubeVipBinary(release), image);
        expect(await snatStarts(c, pod, peer)).toBeUndefined();
        await first.process.kill();
        await deleteService(c);
        expect(rulesForPod(c, node)).not.toEqual([]);
        const [second] = await c.runDaemonSets([ds], kubeVipBinary(release), image);
        await second.process.waitForOutput(/beginning watching services/, 15_000);
        await new Promise((r) => setTimeout(r, 2_000));
        expect(rulesForPod(c, node).length === 0 ? 'removed' : 'left').toBe(expected);
      },
      60_000,
    );

    /**
     * P3's RBAC half: kube-vip outside kube-system finds the cluster's CIDRs by listing the
     * kube-controller-manager pod in kube-system. Our output names the CIDRs, so no discovery runs;
     * with them removed, our Role lets discovery find them, and without it kube-vip logs the
     * permission error users reported and falls back to its defaults (10.0.0.0/16).
     */
    describe('outside kube-system (namespace kube-vip)', () => {
      const objects = synthValues(values('nftables', 'kube-vip')).cluster as KubeObject[];
      const ds = objects.find((o) => o.kind === 'DaemonSet')!;
      const withoutCidrs = structuredClone(ds) as any;
      withoutCidrs.spec.template.spec.containers[0].env = withoutCidrs.spec.template.spec.containers[0].env.filter(
        (e: any) => !/^egress_(pod|service)cidr$/.test(e.name),
      );
      const cidrsUsed = async (daemonSet: KubeObject): Promise<string> => {
        const c = cluster();
        await prepare(c, NodeFirewall.BARE, Address.SPEC);
        const [kubeVip] = await c.runDaemonSets([daemonSet], kubeVipBinary('v1.2.2'), Image.STANDARD);
        expect(await snatStarts(c, pod, peer)).toBeUndefined();
        const [line] = await kubeVip.process.waitForOutput(/\[Egress\] podCIDR=\S+ serviceCIDR=\S+/, 5_000);
        await deleteService(c);
        const forbidden = /pods is forbidden[^"]*/.exec(kubeVip.process.output().replace(/\\"/g, "'"));
        return forbidden ? `${line}; ${forbidden[0]}` : line;
      };

      beforeAll(async () => {
        const c = cluster();
        await c.apply(objects);
        // What kubeadm's static pod looks like to the API: the flags kube-vip parses. (No
        // controller makes default ServiceAccounts here; admission wants one.)
        await c.admin.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'kube-system' } });
        await c.admin.apply({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'kube-controller-manager-cp', namespace: 'kube-system', labels: { component: 'kube-controller-manager' } },
          spec: {
            nodeName: 'cp',
            containers: [
              {
                name: 'kube-controller-manager',
                image: 'registry.k8s.io/kube-controller-manager:v1.35.4',
                command: ['kube-controller-manager', '--cluster-cidr=10.244.0.0/16', '--service-cluster-ip-range=10.96.0.0/12'],
              },
            ],
          },
        });
      }, 30_000);

      it('our output, with our Role: the CIDRs it names', async () => {
        expect(objects.find((o) => o.kind === 'Role' && o.metadata.namespace === 'kube-system')).toBeDefined();
        expect(await cidrsUsed(ds)).toBe('[Egress] podCIDR=10.244.0.0/16 serviceCIDR=10.96.0.0/12');
      }, 60_000);

      it('without the CIDRs, our Role in kube-system lets discovery find them', async () => {
        expect(await cidrsUsed(withoutCidrs)).toBe('[Egress] podCIDR=10.244.0.0/16 serviceCIDR=10.96.0.0/12');
      }, 60_000);

      it('without the CIDRs and without our Role, kube-vip is forbidden and falls back to 10.0.0.0/16', async () => {
        const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'kube-system')!;
        await cluster().admin.delete({
          apiVersion: binding.apiVersion,
          kind: 'RoleBinding',
          namespace: 'kube-system',
          name: binding.metadata.name!,
        });
        expect(await cidrsUsed(withoutCidrs)).toMatch(
          /^\[Egress\] podCIDR=10\.0\.0\.0\/16 serviceCIDR=10\.96\.0\.0\/12; pods is forbidden: User 'system:serviceaccount:kube-vip:kube-vip' cannot list resource 'pods' in API group '' in the namespace 'kube-system'/,
        );
      }, 60_000);

      it('our output needs no discovery: without our Role, no permission error and the right CIDRs', async () => {
        expect(await cidrsUsed(ds)).toBe('[Egress] podCIDR=10.244.0.0/16 serviceCIDR=10.96.0.0/12');
      }, 60_000);
    });

    afterAll(() => {
      const rows = [...observed].map(([name, { outcome, log }]) => `${name}: ${outcome}${log ? ` (${log.slice(0, 300)})` : ''}`);
      process.stdout.write(`egress:\n${rows.join('\n')}\n`);
    });
  },
);

/** release, image, backend, svc_namespace, egress_clean, what the restart does with the rules. */
type RestartCell = readonly [KubeVipRelease, Image, Backend, string, boolean, 'removed' | 'left'];

function restartName([release, image, backend, watchNamespace, clean, expected]: RestartCell): string {
  return `${release} ${image} image, ${backend} backend, svc_namespace=${watchNamespace || '(all)'}, egress_clean=${clean}: rules ${expected === 'left' ? 'stay' : 'removed'}`;
}

/** Waits for the address, then for SNAT; undefined once the pod's traffic leaves with the Service address. */
async function snatStarts(c: TestCluster, pod: Host, peer: Host): Promise<'no address' | 'no SNAT' | undefined> {
  const up = await c
    .waitFor('the Service address', () => (c.holders(SERVICE_ADDRESS).length === 1 ? true : undefined), 20_000)
    .catch(() => false);
  if (!up) return 'no address';
  const snat = await c
    .waitFor('SNAT', () => (sourceSeenByPeer(c, pod, peer) === SERVICE_ADDRESS ? true : undefined), 8_000, 250)
    .catch(() => false);
  return snat ? undefined : 'no SNAT';
}

async function rulesGo(c: TestCluster, node: TestNode): Promise<boolean> {
  return c.waitFor('rules removed', () => (rulesForPod(c, node).length === 0 ? true : undefined), 8_000, 250).catch(() => false);
}

/** A clean firewall on the node, and the Service with its one endpoint: the pod on that node. */
async function prepare(c: TestCluster, firewall: NodeFirewall, address: Address): Promise<void> {
  resetFirewall(c, c.nodes[0], firewall);
  const service = egressService(address);
  await c.admin.apply(service);
  await c.addEndpoint(service, c.nodes[0], POD_ADDRESS);
}

/** Deletes the Service and its lease (a killed kube-vip leaves the lease held). */
async function deleteService(c: TestCluster): Promise<void> {
  await c.admin.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'egress' });
  await quiet(c.admin.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'default', name: 'kubevip-egress' }));
}

/** kube-vip's first error or warning about egress rules, for the report. */
function problems(pod: RunningPod): string {
  return pod.process
    .output()
    .split('\n')
    .filter(
      (l) =>
        /egress|iptables|nftables|snat/i.test(l) && /\b(ERROR|WARN)\b/.test(l) && !/Cleaning dangling|No existing mangle chain/.test(l),
    )
    .slice(0, 3)
    .join(' | ');
}
