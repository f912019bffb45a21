import { accessSync } from 'fs';
import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease } from '../support/tools';
import { Image, RunningPod } from './support/cluster';
import { NodeFirewall, resetFirewall } from './support/firewall';
import { netnsUnavailable } from './support/netns';
import { MASQUERADE_SHOWN, MasqueradeOutcome } from './support/shown';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.201';

const ipvsMissing = (() => {
  try {
    accessSync('/proc/net/ip_vs');
    return false;
  } catch {
    return true;
  }
})();

/**
 * P1 on real kube-vip, as far as this kernel goes: it has no IPVS (/proc/net/ip_vs is absent),
 * so kube-vip's IPVS load balancer cannot start and nothing here shows traffic forwarded. What
 * can be shown: whether kube-vip writes the masquerade rule for the VIP before it touches IPVS,
 * and what it says when IPVS is not there.
 */
describeOnNodes(['kube-apiserver-test', ...KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const)], netnsUnavailable)(
  'masquerade forwarding on real kube-vip (no IPVS in this kernel)',
  () => {
    const cluster = useTestCluster({ controlPlaneNodes: 1 });
    const objects = synthValues({
      image: { tag: 'v1.2.2' },
      interface: 'eth0',
      controlPlane: { enabled: true, address: VIP, loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
    }).cluster as KubeObject[];

    beforeAll(() => cluster().apply(objects), 30_000);
    afterEach(() => cluster().stopAllPods(), 30_000);

    it('this kernel has no IPVS: forwarding through it is not shown here', () => {
      expect(ipvsMissing).toBe(true);
    });

    const cells: [KubeVipRelease, Image, NodeFirewall][] = [];
    for (const release of KUBE_VIP_RELEASES) {
      for (const image of [Image.STANDARD, Image.IPTABLES])
        for (const firewall of [NodeFirewall.BARE, NodeFirewall.KUBE_PROXY]) cells.push([release, image, firewall]);
    }

    it.each(cells)(
      '%s, %s image, %s node',
      async (release, image, firewall) => {
        const c = cluster();
        resetFirewall(c, c.nodes[0], firewall);
        const [pod] = await c.runDaemonSets(objects, kubeVipBinary(release), image);
        // Without IPVS every cell ends the same way: kube-vip gives up leadership and exits.
        await c.waitFor('kube-vip to exit', () => (pod.stopped ? true : undefined), 30_000);
        expect(firstMasqueradeOutcome(pod)).toBe(MASQUERADE_SHOWN[`${release} ${image} ${firewall}`]);
      },
      60_000,
    );
  },
);

/** Why kube-vip failed: its error adding the VIP's rules if it logged one, else its first error. */
function firstMasqueradeOutcome(pod: RunningPod): MasqueradeOutcome | string {
  const errors = pod.process
    .output()
    .split('\n')
    .filter((l) => / ERROR /.test(l));
  const line = errors.find((l) => /failed to add IP/.test(l)) ?? errors[0] ?? '(no error logged)';
  if (/executable file not found in \$PATH/.test(line)) return 'no iptables binaries';
  if (/chain POSTROUTING in table nat: chain not found/.test(line)) return 'no nat/POSTROUTING chain';
  if (/Extension ipvs|netlink receive: no such file or directory/.test(line)) return 'no IPVS in this kernel';
  return line.slice(0, 300);
}
