import { Announcement, KubeVip, KubeVipCloudProvider, KubeVipImage, KubeVipServicesLB, LoadBalancerPools } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { parseStream, runHelm, useTestChart, writeValues } from '../support/helm';
import { synthWith } from '../support/synth';
import { describeOnNodes, kubeVipTools, releasesSince, Tool } from '../support/tools';
import { Image, TestCluster } from './support/cluster';
import { ContainerProcess } from './support/kubelet';
import { netnsUnavailable } from './support/netns';
import { assignedAddress, cloudProviderBinary, kubeVipBinary, loadBalancerService, useTestCluster } from './support/use-cluster';

const POOL = '192.168.77.220-192.168.77.222';
const CLASS_POOL = '192.168.77.226-192.168.77.227';
const KUBE_VIP_CLASS = 'kube-vip.io/kube-vip-class';
const RELEASES = releasesSince('v1.2.2');
const TOOLS: Tool[] = ['kube-apiserver-test', ...kubeVipTools(RELEASES), 'kube-vip-cloud-provider-v0.0.12', 'helm4'];

/** What the API server refused the provider, from its log (client-go and the framework log each refusal). */
function refusals(provider: ContainerProcess): string[] {
  return provider
    .output()
    .split('\n')
    .filter((line) => /forbidden/i.test(line));
}

/** GET https://127.0.0.1:<port>/healthz in the pod's network namespace, without credentials, as the kubelet's probe does. */
function healthz(c: TestCluster, netns: string, port: number): string {
  const script = `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; fetch('https://127.0.0.1:${port}/healthz').then(async (r) => console.log(r.status, await r.text()), (e) => { console.log('error', e.cause?.code ?? e.message); process.exit(1); })`;
  return c.lab.tryExec(netns, process.execPath, ['--no-warnings', '-e', script]).output.trim();
}

/**
 * ipam.cloudProvider on the real kube-vip-cloud-provider v0.0.12: the Deployment we render, run as
 * the kubelet would run its pod (its env, its ServiceAccount's token and nothing else: our RBAC
 * alone decides what it may do), gives a Service an address from our pool, and real kube-vip
 * (each release from v1.2.2 on) announces it. Through the constructs, and through the chart for
 * kube-vip's class only.
 */
describeOnNodes(TOOLS, netnsUnavailable).each(RELEASES)(
  'kube-vip-cloud-provider as we deploy it, on the real v0.0.12 and kube-vip %s',
  (release) => {
    const cluster = useTestCluster({ workerNodes: 2 });
    const chart = useTestChart();
    const objects = synthWith((scope) => {
      const kubeVip = new KubeVip(scope, 'kube-vip', {
        image: KubeVipImage.standard(release),
        announce: Announcement.arp(),
        interface: 'eth0',
      });
      new KubeVipServicesLB(kubeVip, 'services', {});
      const pools = new LoadBalancerPools(kubeVip, 'pools', { global: { ranges: [POOL] } });
      new KubeVipCloudProvider(pools, 'cloud-provider', {});
    }).cluster as KubeObject[];
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    let provider: ContainerProcess;
    let providerNetns: string;

    beforeAll(async () => {
      const c = cluster();
      await c.apply([...objects, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }]);
      await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      const host = c.addHost('ccm', 40);
      providerNetns = host.netns;
      provider = await c.runDeployment(deployment, host, cloudProviderBinary());
    }, 60_000);

    it('gives a Service the first address of our pool, kube-vip announces it, and nothing was refused to the provider', async () => {
      const c = cluster();
      const web = loadBalancerService('web', 'apps');
      await c.apply([web]);
      await c.addEndpoint(web, c.nodes[0], '10.244.1.9');
      const address = await c.waitFor('an address from the cloud provider', () => assignedAddress(c, 'apps', 'web'), 60_000);
      expect(address).toBe('192.168.77.220');
      await c.waitFor('the address on one node', () => (c.holders(address).length === 1 ? true : undefined));
      // It leads by a lease of its own, in its namespace.
      expect(await c.leaseHolder('kube-system', 'kube-vip-cloud-provider')).toBeDefined();
      expect(refusals(provider)).toEqual([]);
    }, 120_000);

    it('lets a deleted Service go: it takes its cleanup finalizer off, and nothing was refused', async () => {
      const c = cluster();
      const svc = (await c.admin.get({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' })).body as any;
      expect(svc.metadata.finalizers).toContain('service.kubernetes.io/load-balancer-cleanup');
      await c.admin.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' });
      await c.waitFor(
        'the Service gone',
        async () => {
          try {
            await c.admin.get({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' });
            return undefined;
          } catch (error) {
            return (error as { status?: number }).status === 404 ? true : undefined;
          }
        },
        30_000,
      );
      expect(refusals(provider)).toEqual([]);
    }, 60_000);

    it('answers its liveness probe: /healthz over HTTPS without credentials', async () => {
      const c = cluster();
      const probe = (deployment as any).spec.template.spec.containers[0].livenessProbe.httpGet;
      expect(probe).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
      const answer = await c.waitFor('the health endpoint', () => {
        const out = healthz(c, providerNetns, probe.port);
        return out.startsWith('200') ? out : undefined;
      });
      expect(answer).toBe('200 ok');
    }, 60_000);

    it('through the chart, with kube-vip serving only its class: the provider serves that class, and leaves Services without one', async () => {
      const c = cluster();
      await provider.stop();
      const { dir, scratch } = chart();
      const values = {
        image: { tag: release, variant: 'standard' },
        interface: 'eth0',
        services: { enabled: true, loadBalancerClass: { only: true } },
        ipam: {
          enabled: true,
          configMap: { name: 'kube-vip-cloud-provider-cm', namespace: 'lb' },
          global: { ranges: [CLASS_POOL] },
          cloudProvider: { enabled: true },
        },
      };
      const rendered = runHelm('helm4', ['template', 'lb', dir, '-n', 'lb', '-f', writeValues(scratch, 'class', values)]);
      expect(rendered.stderr).toBe('');
      const charted = parseStream(rendered.stdout) as KubeObject[];
      const ccm = charted.find((o) => o.kind === 'Deployment')!;
      // The pools and the provider only: kube-vip itself runs from the constructs above, one per node.
      const component = (o: KubeObject) => (o.metadata.labels ?? {})['app.kubernetes.io/component'];
      await c.apply(charted.filter((o) => ['ipam', 'cloud-provider'].includes(component(o) ?? '')));
      const classed = await c.runDeployment(ccm, c.addHost('ccm2', 41), cloudProviderBinary());
      await c.apply([loadBalancerService('classless', 'apps'), loadBalancerService('classed', 'apps', KUBE_VIP_CLASS)]);
      const address = await c.waitFor('an address for the Service of the class', () => assignedAddress(c, 'apps', 'classed'), 60_000);
      expect(address).toMatch(/^192\.168\.77\.22[67]$/);
      expect(await assignedAddress(c, 'apps', 'classless')).toBeUndefined();
      expect(refusals(classed)).toEqual([]);
      // The lease follows the release's namespace, not the framework's kube-system.
      expect(await c.leaseHolder('lb', 'lb-kube-vip-cloud-provider')).toBeDefined();
      await classed.stop();
    }, 120_000);
  },
);
