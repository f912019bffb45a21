import {
  Announcement,
  BgpPassword,
  ControlPlaneWorkload,
  EgressGateway,
  ForwardingMethod,
  KubeVip,
  KubeVipControlPlane,
  KubeVipImage,
  KubeVipServicesLB,
  kubeVipFromValues,
  LoadBalancerPools,
  StaticPodKubeconfig,
} from '../../lib';
import { synthValues, synthWith } from '../support/synth';

describe('TypeScript and a values file give identical output', () => {
  it('for a combined DaemonSet with masquerade, port security, egress and pools', () => {
    const fromTs = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.iptables(), namespace: 'lb', interface: 'eth0' });
      new KubeVipControlPlane(kubeVip, 'cp', { address: '192.168.0.100', loadBalancer: { forwardingMethod: ForwardingMethod.MASQUERADE } });
      const services = new KubeVipServicesLB(kubeVip, 'svc', { onlyAllowTrafficServicePorts: true });
      new EgressGateway(services, 'egress', { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' });
      new LoadBalancerPools(kubeVip, 'pools', { global: { ranges: ['192.168.0.200-192.168.0.220'] } });
    });
    const fromValues = synthValues({
      namespace: 'lb',
      interface: 'eth0',
      controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
      services: { enabled: true, onlyAllowTrafficServicePorts: true },
      egress: { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' },
      ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.220'] } },
    });
    expect(fromTs).toEqual(fromValues);
  });

  it('for a BGP static pod next to a services DaemonSet', () => {
    const bgp = { routerInterface: 'eth0', peers: [{ address: '192.168.0.1', as: 65001 }] };
    const fromTs = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard(), announce: Announcement.bgp(bgp) });
      new KubeVipControlPlane(kubeVip, 'cp', {
        address: '192.168.0.100',
        workload: ControlPlaneWorkload.staticPod(StaticPodKubeconfig.SUPER_ADMIN),
      });
      new KubeVipServicesLB(kubeVip, 'svc', { election: false });
    });
    const fromValues = synthValues({
      announce: { mode: 'bgp', bgp },
      controlPlane: { enabled: true, address: '192.168.0.100', deployment: 'staticPod', kubeconfig: 'superAdmin' },
      services: { enabled: true, election: false },
    });
    expect(fromTs).toEqual(fromValues);
    expect(fromTs.staticPods).toHaveLength(1);
  });
});

describe('constructs', () => {
  it('report every invalid prop at synthesis, with the fix', () => {
    const synth = () =>
      synthWith((chart) => {
        const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard(), cluster: { serviceCIDRs: ['10.96.0.0/12'] } });
        new KubeVipControlPlane(kubeVip, 'cp', { address: '10.96.0.1', leaderElection: { retryPeriodSeconds: 30 } });
      });
    expect(synth).toThrow(/overlaps the Service CIDR/);
    expect(synth).toThrow(
      /retryPeriodSeconds: 30 is not below renewDeadlineSeconds \(2\); .* make leaseDurationSeconds > renewDeadlineSeconds/,
    );
  });

  it('refuse a feature added twice to one KubeVip, naming both, at once', () => {
    const twice: [string, (kubeVip: KubeVip<KubeVipImage>) => void][] = [
      ['KubeVipControlPlane', (k) => ['cp', 'cp2'].forEach((id) => new KubeVipControlPlane(k, id, { address: '192.168.0.100' }))],
      ['KubeVipServicesLB', (k) => ['svc', 'svc2'].forEach((id) => new KubeVipServicesLB(k, id))],
      [
        'LoadBalancerPools',
        (k) => ['pools', 'pools2'].forEach((id) => new LoadBalancerPools(k, id, { global: { cidrs: ['192.168.10.0/28'] } })),
      ],
      [
        'EgressGateway',
        (k) => {
          const lb = new KubeVipServicesLB(k as KubeVip<ReturnType<typeof KubeVipImage.iptables>>, 'svc');
          ['egress', 'egress2'].forEach((id) => new EgressGateway(lb, id, { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' }));
        },
      ],
    ];
    for (const [kind, add] of twice) {
      expect(() => synthWith((chart) => add(new KubeVip(chart, 'kube-vip', { image: KubeVipImage.iptables() })))).toThrow(
        new RegExp(`/(cp2|svc2|pools2|egress2): a second ${kind} on test/kube-vip \\(the first is test/kube-vip/[a-z]+(/egress)?\\)`),
      );
    }
  });

  it('refuse a malformed image at creation', () => {
    expect(() => KubeVipImage.standard('v1.2.3 rc')).toThrow(
      'image.tag: "v1.2.3 rc" is not well formed; write an image tag such as v1.2.3',
    );
  });

  it('refuse a malformed image every time it is made', () => {
    // KubeVipImage remembers the images that passed (a fleet makes the same one per site): never one that failed.
    for (let i = 0; i < 2; i++) expect(() => KubeVipImage.iptables('v1.2.3 rc')).toThrow('image.tag: "v1.2.3 rc" is not well formed');
  });

  it('keep a BGP password in its Secret', () => {
    const { cluster } = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', {
        image: KubeVipImage.standard(),
        announce: Announcement.bgp({
          routerID: '192.168.0.11',
          peers: [{ address: '192.168.0.1', as: 65001, password: BgpPassword.fromSecret('bgp', 'pw') }],
        }),
      });
      new KubeVipServicesLB(kubeVip, 'svc');
    });
    expect(JSON.stringify(cluster)).toContain('"secretKeyRef":{"key":"pw","name":"bgp"}');
  });

  it('let two deployments share a cluster without sharing a name, lease, port or nftables instance', () => {
    const { cluster } = synthWith((chart) => {
      const cp = new KubeVip(chart, 'cp', { image: KubeVipImage.standard() });
      new KubeVipControlPlane(cp, 'cp', { address: '192.168.0.100' });
      const lb = new KubeVip(chart, 'lb', { image: KubeVipImage.iptables(), name: 'kube-vip-services' });
      new KubeVipServicesLB(lb, 'svc', { onlyAllowTrafficServicePorts: true });
    });
    const keys = cluster.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const env = cluster
      .filter((o) => o.kind === 'DaemonSet')
      .map((ds) => Object.fromEntries(ds.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value])));
    expect(env.map((e) => e.prometheus_server)).toEqual(['[$(KUBE_VIP_NODE_ADDRESS)]:2112', '[$(KUBE_VIP_NODE_ADDRESS)]:2113']);
    expect(env.map((e) => e.instance_name)).toEqual(['kube-vip', 'kube-vip-services']);
    expect([env[0].vip_leasename, env[1].svc_leasename]).toEqual(['kube-vip-cp-lock', 'kube-vip-services-svcs-lock']);
  });

  it('give a values file the same errors as checkValues', () => {
    expect(() => synthValues({ services: { enabled: true }, egress: { enabled: true } })).toThrow(/egress.podCIDR: "" is empty/);
    expect(() => synthWith((chart) => kubeVipFromValues(chart, 'x', { bogus: 1 }))).toThrow(/bogus: 1 is not a setting of this chart/);
  });
});
