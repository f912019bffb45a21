import { Chart } from 'cdk8s';
import { Service } from 'cdk8s-plus-28';
import { ServiceType } from 'cdk8s-plus-28';
import { KubeVip, KubeVipImage, KubeVipServicesLB } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';
import { testApp } from '../support/synth';

const SERVED = '192.168.77.230';
const NOT_SERVED = '192.168.77.231';
const RELEASES = releasesSince('v1.2.2');

/**
 * The Service side (KubeVipServicesLB.serve) on real kube-vip, each release from v1.2.2 on: a
 * deployment that serves only its LoadBalancerClass, a cdk8s-plus Service made its own with
 * serve(), and one asking for an address the same way but left without the class. Only the
 * served one comes up.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES)], netnsUnavailable).each(RELEASES)(
  'cdk8s-plus Services served by real kube-vip %s',
  (release) => {
    const cluster = useTestCluster({ workerNodes: 2 });
    const app = testApp();
    const chart = new Chart(app, 'site', { disableResourceNameHashes: true, namespace: 'default' });
    const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard(release), interface: 'eth0', namespace: 'kube-system' });
    const services = new KubeVipServicesLB(kubeVip, 'services', { loadBalancerClass: { only: true } });
    const service = (name: string) =>
      new Service(chart, name, { type: ServiceType.LOAD_BALANCER, ports: [{ port: 80 }], metadata: { name } });
    services.serve(service('web'), { address: SERVED });
    // The same request without serve(): the annotation alone, no class.
    service('other').metadata.addAnnotation('kube-vip.io/loadbalancerIPs', NOT_SERVED);
    const objects = chart.toJson() as KubeObject[];
    const byName = (name: string) => objects.find((o) => o.kind === 'Service' && o.metadata.name === name)!;

    it('announces the served Service from one node, and not the Service without the class', async () => {
      const c = cluster();
      const kubeVipObjects = objects.filter((o) => o.kind !== 'Service');
      await c.apply(kubeVipObjects);
      await c.runDaemonSets(kubeVipObjects, kubeVipBinary(release), Image.STANDARD);
      await c.apply([byName('web'), byName('other')]);
      await c.addEndpoint(byName('web'), c.nodes[0], '10.244.1.8');
      await c.addEndpoint(byName('other'), c.nodes[0], '10.244.1.9');
      await c.waitFor(`${SERVED} on a node`, () => (c.holders(SERVED).length === 1 ? true : undefined));
      await new Promise((r) => setTimeout(r, 3_000)); // time enough for the other to come up, were it served
      expect(c.holders(SERVED)).toHaveLength(1);
      expect(c.holders(NOT_SERVED)).toEqual([]);
    }, 60_000);
  },
);
