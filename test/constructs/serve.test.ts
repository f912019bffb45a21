import { Chart } from 'cdk8s';
import { Service, ServiceType } from 'cdk8s-plus-28';
import { EgressGateway, KubeVip, KubeVipControlPlane, KubeVipImage, KubeVipServicesLB, checkValues } from '../../lib';
import { testApp } from '../support/synth';

type Json = Record<string, any>;

/**
 * The Service side: a cdk8s-plus LoadBalancer Service that asks this kube-vip for an address.
 * KubeVipServicesLB.serve sets what kube-vip reads from the Service and records the Service in
 * the config model, where its address meets every check the VIP and the pools get (P4).
 */

const cluster = {
  apiServerAddresses: ['192.168.0.11'],
  nodeAddresses: ['192.168.0.12/24'],
  podCIDRs: ['10.244.0.0/16'],
  serviceCIDRs: ['10.96.0.0/12'],
};

interface Site {
  readonly chart: Chart;
  readonly services: KubeVipServicesLB<any, true>;
  service(name: string, type?: ServiceType): Service;
  synth(): Json[];
}

function site(options: { classOnly?: boolean; egress?: boolean; pools?: boolean } = {}): Site {
  const app = testApp();
  const chart = new Chart(app, 'site', { disableResourceNameHashes: true, namespace: 'apps' });
  const kubeVip = new KubeVip(chart, 'kube-vip', {
    image: KubeVipImage.iptables(),
    cluster,
  });
  new KubeVipControlPlane(kubeVip, 'control-plane', { address: '192.168.0.100' });
  const services = new KubeVipServicesLB(kubeVip, 'services', { loadBalancerClass: { only: options.classOnly } });
  if (options.egress) new EgressGateway(services, 'egress', { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' });
  return {
    chart,
    services,
    service: (name, type = ServiceType.LOAD_BALANCER) =>
      new Service(chart, name, { type, ports: [{ port: 80 }], selector: undefined, metadata: { name } }),
    synth: () => chart.toJson(),
  };
}

const serviceNamed = (objects: Json[], name: string) => objects.find((o) => o.kind === 'Service' && o.metadata.name === name)!;

describe('KubeVipServicesLB.serve', () => {
  it('asks for the address by annotation and leaves the rest of the Service alone', () => {
    const s = site();
    s.services.serve(s.service('web'), { address: '192.168.0.200' });
    const web = serviceNamed(s.synth(), 'web');
    expect(web.metadata.annotations).toEqual({ 'kube-vip.io/loadbalancerIPs': '192.168.0.200' });
    expect(web.spec.type).toBe('LoadBalancer');
    expect(web.spec).not.toHaveProperty('loadBalancerClass');
    expect(web.spec).not.toHaveProperty('externalTrafficPolicy');
  });
  it('without an address, asks nothing: the pools give one', () => {
    const s = site();
    s.services.serve(s.service('web'));
    expect(serviceNamed(s.synth(), 'web').metadata.annotations).toBeUndefined();
  });
  it("sets this kube-vip's class when it serves only its class", () => {
    const s = site({ classOnly: true });
    s.services.serve(s.service('web'));
    expect(serviceNamed(s.synth(), 'web').spec.loadBalancerClass).toBe('kube-vip.io/kube-vip-class');
  });
  it('turns egress on with the annotation and externalTrafficPolicy: Local', () => {
    const s = site({ egress: true });
    s.services.serve(s.service('web'), { address: '192.168.0.200', egress: true });
    const web = serviceNamed(s.synth(), 'web');
    expect(web.metadata.annotations).toEqual({ 'kube-vip.io/loadbalancerIPs': '192.168.0.200', 'kube-vip.io/egress': 'true' });
    expect(web.spec.externalTrafficPolicy).toBe('Local');
  });
  it('records each Service in the config model, with its namespace', () => {
    const s = site();
    s.services.serve(s.service('web'), { address: '192.168.0.200' });
    s.services.serve(s.service('api'));
    expect(s.services.kubeVip.values.cluster.loadBalancerServices).toEqual([
      { service: 'apps/web', address: '192.168.0.200', egress: false },
      { service: 'apps/api', address: '', egress: false },
    ]);
  });
  it('refuses a Service that is not of type LoadBalancer, and one served twice', () => {
    const s = site();
    expect(() => s.services.serve(s.service('internal', ServiceType.CLUSTER_IP))).toThrow(
      'site/internal: Service apps/internal is of type ClusterIP; kube-vip serves only type LoadBalancer: create it with type: ServiceType.LOAD_BALANCER',
    );
    const web = s.service('web');
    s.services.serve(web);
    expect(() => s.services.serve(web)).toThrow('Service apps/web is served twice');
  });
});

describe('a served address is checked like the VIP and the pools', () => {
  const refused = (address: string, more: (s: Site) => void = () => {}) => {
    const s = site();
    s.services.serve(s.service('web'), { address });
    more(s);
    try {
      s.synth();
      return [];
    } catch (error) {
      return String((error as Error).message)
        .split('\n')
        .filter((l) => l.includes('loadBalancerServices'))
        .map((l) => l.trim());
    }
  };

  it.each([
    ['192.168.0.11', 'P4-announced-address-in-use', 'is an API server address'],
    ['192.168.0.12', 'P4-announced-address-in-use', 'is a node address'],
    ['10.244.3.4', 'P4-announced-address-in-cluster-network', 'overlaps the pod CIDR 10.244.0.0/16'],
    ['10.96.0.10', 'P4-announced-address-in-cluster-network', 'overlaps the Service CIDR 10.96.0.0/12'],
    ['192.168.0.100', 'P4-announced-addresses-overlap', 'overlaps the control-plane VIP 192.168.0.100'],
    ['127.0.0.1', 'address-class', 'loopback'],
    ['192.168.0.255', 'P4-subnet-zero-address', 'broadcast address of the node subnet'],
    ['fd00::1', 'P4-address-family', 'is IPv6, but the cluster is IPv4 only'],
  ])('refuses %s (%s)', (address, _rule, words) => {
    const problems = refused(address);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`cluster.loadBalancerServices[0].address: "${address}"`);
    expect(problems[0]).toContain(words);
  });
  it('names the Service whose address another one takes', () => {
    const problems = refused('192.168.0.200', (s) => s.services.serve(s.service('api'), { address: '192.168.0.200' }));
    expect(problems).toEqual([
      expect.stringContaining(
        'cluster.loadBalancerServices[1].address: "192.168.0.200" overlaps the address of Service apps/web 192.168.0.200 (cluster.loadBalancerServices[0].address)',
      ),
    ]);
  });
  it('accepts an unused address of the node subnet', () => {
    expect(refused('192.168.0.200')).toEqual([]);
  });
  it('accepts an address inside a pool: the cloud provider skips addresses in use', () => {
    expect(
      checkValues({
        ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.210'] } },
        cluster: { loadBalancerServices: [{ service: 'apps/web', address: '192.168.0.201' }] },
      }).warnings,
    ).toEqual([]);
  });
  it('refuses egress for a Service when this deployment has no egress', () => {
    const s = site();
    s.services.serve(s.service('web'), { egress: true });
    expect(() => s.synth()).toThrow(
      "cluster.loadBalancerServices[0].egress: true of Service apps/web is asked for, but egress is off: its pods' traffic would leave with the node's address; add an EgressGateway (egress.enabled: true), or leave egress off for this Service",
    );
  });
});
