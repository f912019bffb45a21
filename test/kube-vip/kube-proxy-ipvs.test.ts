import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, kubeVipTools } from '../support/tools';
import { Image } from './support/cluster';
import { Host, netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';
import { VmNode, vmUnavailable } from './support/vm';

const SERVICE_ADDRESS = '192.168.77.216';
const VM_OCTET = 32;
const CLIENT_OCTET = 60;

/**
 * Why `kube-proxy-strict-arp` refuses ARP-announced Services next to kube-proxy in IPVS mode
 * without strictARP, shown rather than read: a VM node plays a node where kube-proxy runs in IPVS
 * mode (the LoadBalancer address on its kube-ipvs0 dummy device, and with strictARP the
 * arp_ignore 1 / arp_announce 2 that kube-proxy then sets), while real kube-vip announces the
 * address from a namespace node. A LAN client asks who has the address (arping) and counts who
 * answers.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(KUBE_VIP_RELEASES)], () => netnsUnavailable() ?? vmUnavailable())(
  "kube-proxy's IPVS mode next to kube-vip's ARP announcement (a VM node as the kube-proxy node)",
  () => {
    const cluster = useTestCluster({ workerNodes: 1 });
    const release = KUBE_VIP_RELEASES[0];
    const objects = synthValues({
      image: { tag: release },
      interface: 'eth0',
      services: { enabled: true, election: false },
    }).cluster as KubeObject[];
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', annotations: { 'kube-vip.io/loadbalancerIPs': SERVICE_ADDRESS } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: 'web' } },
    };
    let client: Host;
    let vm: VmNode | undefined;

    beforeAll(async () => {
      const c = cluster();
      await c.apply([...objects, service]);
      await c.addEndpoint(service, c.nodes[0], '10.244.1.5');
      client = c.addHost('client', CLIENT_OCTET);
      await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      await c.waitFor(
        'the Service address on the kube-vip node',
        () => (c.holders(SERVICE_ADDRESS).length === 1 ? true : undefined),
        30_000,
      );
    }, 90_000);
    afterEach(async () => {
      await vm?.stop();
    }, 30_000);

    it.each([
      [false, 'both nodes answer: the address flaps between the kube-vip node and the kube-proxy node'],
      [true, 'only the kube-vip node answers'],
    ] as const)(
      `on kube-vip ${release}, with strictARP %s: %s`,
      async (strictARP, _expected) => {
        const c = cluster();
        vm = VmNode.start(c.lab, {
          name: 'kube-proxy-node',
          octet: VM_OCTET,
          script: () =>
            [
              // What kube-proxy in IPVS mode puts on every node for a LoadBalancer address.
              'ip link add kube-ipvs0 type dummy',
              `ip addr add ${SERVICE_ADDRESS}/32 dev kube-ipvs0`,
              // strictARP: kube-proxy sets these so a node answers ARP only for its own interface's addresses.
              ...(strictARP ? ['sysctl -qw net.ipv4.conf.all.arp_ignore=1', 'sysctl -qw net.ipv4.conf.all.arp_announce=2'] : []),
              'echo kube-proxy-node: ready',
              'sleep 600',
            ].join('\n'),
        });
        await vm.waitForLine(/^kube-proxy-node: ready/, 120_000);
        const kubeVipMac = macOf(c.lab.exec(c.nodes[0].host.netns, 'ip', ['-o', 'link', 'show', 'eth0']));
        const answering = await c.waitFor(
          'ARP answers from the nodes',
          () => {
            const macs = arpAnswers(c.lab.tryExec(client.netns, 'arping', ['-c', '3', '-w', '4', '-I', 'eth0', SERVICE_ADDRESS]).output);
            return macs.length > 0 ? macs : undefined;
          },
          30_000,
          500,
        );
        const who = answering.map((mac) => (mac === kubeVipMac ? 'kube-vip node' : 'kube-proxy node')).sort();
        expect(who).toEqual(strictARP ? ['kube-vip node'] : ['kube-proxy node', 'kube-vip node']);
      },
      180_000,
    );
  },
);

/** The MAC address in `ip -o link show` output. */
function macOf(link: string): string {
  const mac = /link\/ether ([0-9a-f:]{17})/.exec(link)?.[1];
  if (!mac) throw new Error(`no MAC address in: ${link}`);
  return mac;
}

/** The distinct MAC addresses that answered in iputils arping's output ("Unicast reply from A [MAC]"). */
function arpAnswers(output: string): string[] {
  return [...new Set([...output.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1].toLowerCase()))];
}
