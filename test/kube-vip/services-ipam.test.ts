import { Announcement, KubeVip, KubeVipImage, KubeVipServicesLB, LoadBalancerPools } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { synthWith } from '../support/synth';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image, TestCluster, TestNode } from './support/cluster';
import { ContainerProcess } from './support/kubelet';
import { netnsUnavailable } from './support/netns';
import { assignedAddress, cloudProviderBinary, kubeVipBinary, loadBalancerService, useTestCluster } from './support/use-cluster';

const GLOBAL_RANGE = '192.168.77.230-192.168.77.232';
const TEAM_RANGE = '192.168.77.240-192.168.77.241';
const CHART_RANGE = '192.168.77.236-192.168.77.237';
const RELEASES = releasesSince('v1.2.2');

/**
 * Creates a Service with one endpoint on `node`, waits for the cloud provider's address, and for
 * kube-vip to put it on exactly one node; returns the address.
 */
async function serve(c: TestCluster, svc: KubeObject, node: TestNode, podAddress: string): Promise<string> {
  await c.apply([svc]);
  await c.addEndpoint(svc, node, podAddress);
  const address = await c.waitFor(
    'an address from the cloud provider',
    () => assignedAddress(c, svc.metadata.namespace!, svc.metadata.name),
    45_000,
  );
  await c.waitFor('the address on one node', () => (c.holders(address).length === 1 ? true : undefined));
  return address;
}

/**
 * Scenario 3 with IPAM, through the constructs: our pools ConfigMap read by the real
 * kube-vip-cloud-provider v0.0.12 (its defaults: ConfigMap kubevip in kube-system, the one we
 * write), which picks each Service's address; real kube-vip (each release from v1.2.2 on) then
 * announces it.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES), 'kube-vip-cloud-provider-v0.0.12'], netnsUnavailable).each(RELEASES)(
  'IPAM pools through the real kube-vip-cloud-provider v0.0.12 and kube-vip %s (constructs)',
  (release) => {
    const cluster = useTestCluster({ workerNodes: 2 });
    const objects = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', {
        image: KubeVipImage.standard(release),
        announce: Announcement.arp(),
        interface: 'eth0',
      });
      new KubeVipServicesLB(kubeVip, 'services', {});
      new LoadBalancerPools(kubeVip, 'pools', { global: { ranges: [GLOBAL_RANGE] }, namespaces: { team: { ranges: [TEAM_RANGE] } } });
    }).cluster as KubeObject[];
    let provider: ContainerProcess;

    beforeAll(async () => {
      const c = cluster();
      await c.apply([
        ...objects,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      ]);
      await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      provider = await c.runCloudProvider(cloudProviderBinary(), c.addHost('ccm', 30));
    }, 60_000);

    it('gives a Service the first address of the global pool, and kube-vip announces it and writes the status', async () => {
      const c = cluster();
      const address = await serve(c, loadBalancerService('web', 'apps'), c.nodes[0], '10.244.1.9');
      expect(address).toBe('192.168.77.230');
      const ingress = await c.waitFor('the status', async () => {
        const svc = (await c.admin.get({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' })).body as any;
        return svc.status?.loadBalancer?.ingress?.[0]?.ip;
      });
      expect(ingress).toBe(address);
    }, 90_000);

    it('gives a Service in a namespace with a pool of its own an address from that pool', async () => {
      const c = cluster();
      expect(await serve(c, loadBalancerService('api', 'team'), c.nodes[1], '10.244.2.9')).toBe('192.168.77.240');
    }, 90_000);

    it('reading a ConfigMap of another name (as its own chart does by default), it finds no pool and assigns nothing', async () => {
      const c = cluster();
      await provider.stop();
      const other = await c.runCloudProvider(cloudProviderBinary(), c.addHost('ccm2', 31), {
        KUBEVIP_CONFIG_MAP: 'kube-vip-cloud-provider',
        KUBEVIP_NAMESPACE: 'kube-system',
      });
      await c.apply([loadBalancerService('late', 'apps')]);
      await other.waitForOutput(/no address pools could be found/, 45_000);
      expect(await assignedAddress(c, 'apps', 'late')).toBeUndefined();
      await other.stop();
    }, 90_000);

    it("installed as its Helm chart installs it, it reads our pools where ipam.configMap points: the chart's ConfigMap in its namespace", async () => {
      const c = cluster();
      const moved = synthWith((chart) => {
        const kubeVip = new KubeVip(chart, 'kube-vip', {
          image: KubeVipImage.standard(release),
          announce: Announcement.arp(),
          interface: 'eth0',
        });
        new KubeVipServicesLB(kubeVip, 'services', {});
        new LoadBalancerPools(kubeVip, 'pools', {
          configMap: { name: 'kube-vip-cloud-provider-cm', namespace: 'lb' },
          global: { ranges: [CHART_RANGE] },
        });
      }).cluster as KubeObject[];
      const configMap = moved.find((o) => o.kind === 'ConfigMap')!;
      expect(configMap.metadata).toMatchObject({ name: 'kube-vip-cloud-provider-cm', namespace: 'lb' });
      await c.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lb' } }, configMap]);
      // The env the cloud provider's chart gives it: <chart name>-cm in the release namespace.
      const charted = await c.runCloudProvider(cloudProviderBinary(), c.addHost('ccm4', 33), {
        KUBEVIP_CONFIG_MAP: 'kube-vip-cloud-provider-cm',
        KUBEVIP_NAMESPACE: 'lb',
      });
      // The Service left without an address above may take the range's first address: either is ours.
      expect(await serve(c, loadBalancerService('charted', 'apps'), c.nodes[0], '10.244.1.10')).toMatch(/^192\.168\.77\.23[67]$/);
      await charted.stop();
    }, 90_000);

    it('a global CIDR pool shadows every namespace range: cidr-global is read before range-<namespace>', async () => {
      const c = cluster();
      const configMap = structuredClone(objects.find((o) => o.kind === 'ConfigMap')!) as any;
      configMap.data['cidr-global'] = '192.168.77.248/29';
      await c.apply([configMap]); // written by hand: our toolkit refuses this combination (ipam-pool-shadowed)
      const third = await c.runCloudProvider(cloudProviderBinary(), c.addHost('ccm3', 32));
      await c.apply([loadBalancerService('second', 'team')]);
      const address = await c.waitFor('an address from the cloud provider', () => assignedAddress(c, 'team', 'second'), 45_000);
      expect(address).not.toMatch(/^192\.168\.77\.24[01]$/); // not from the team's range
      expect(address).toMatch(/^192\.168\.77\.(24[89]|25[0-5])$/); // from the global CIDR
      await third.stop();
    }, 90_000);
  },
);
