/**
 * Type-level invariants. ts-jest type-checks this file, so an `@ts-expect-error` whose line
 * compiles (the invariant no longer holds) fails the suite with "Unused '@ts-expect-error'".
 * The same lines without the directive are the positive cases.
 */
import { Chart } from 'cdk8s';
import {
  Announcement,
  BgpPassword,
  EgressGateway,
  ForwardingMethod,
  KubeVip,
  KubeVipControlPlane,
  KubeVipImage,
  KubeVipServicesLB,
} from '../../lib';
import { testApp } from '../support/synth';

const chart = () => new Chart(testApp(), 'types', { disableResourceNameHashes: true });

describe('type-level invariants', () => {
  // A KubeVip has each feature once (a run-time rule): every line below gets a fresh one.
  const standard = () => new KubeVip(chart(), 'kv', { image: KubeVipImage.standard() });
  const iptables = () => new KubeVip(chart(), 'kv', { image: KubeVipImage.iptables() });

  it('P1: masquerade forwarding needs an IptablesImage', () => {
    // @ts-expect-error masquerade is not a forwarding method of a standard image
    new KubeVipControlPlane(standard(), 'cp', { address: '192.168.0.100', loadBalancer: { forwardingMethod: ForwardingMethod.MASQUERADE } });
    new KubeVipControlPlane(standard(), 'cp', { address: '192.168.0.100', loadBalancer: { forwardingMethod: ForwardingMethod.TUNNEL } });
    new KubeVipControlPlane(iptables(), 'cp', { address: '192.168.0.100', loadBalancer: { forwardingMethod: ForwardingMethod.MASQUERADE } });
  });

  it('P2: onlyAllowTrafficServicePorts needs an IptablesImage', () => {
    // @ts-expect-error port security filters with iptables
    new KubeVipServicesLB(standard(), 'svc', { onlyAllowTrafficServicePorts: true });
    new KubeVipServicesLB(standard(), 'svc', { onlyAllowTrafficServicePorts: false });
    new KubeVipServicesLB(iptables(), 'svc', { onlyAllowTrafficServicePorts: true });
  });

  it('P3: an EgressGateway needs an IptablesImage, per-Service election and both CIDRs', () => {
    const cidrs = { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
    // @ts-expect-error egress needs the iptables image
    new EgressGateway(new KubeVipServicesLB(standard(), 'svc'), 'egress', cidrs);
    // @ts-expect-error egress follows per-Service leases
    new EgressGateway(new KubeVipServicesLB(iptables(), 'no-election', { election: false }), 'egress', cidrs);
    // @ts-expect-error the pod CIDR is required, never guessed
    new EgressGateway(new KubeVipServicesLB(iptables(), 'no-cidrs'), 'egress', { serviceCIDR: '10.96.0.0/12' });

    new EgressGateway(new KubeVipServicesLB(iptables(), 'svc'), 'egress', cidrs);
    new EgressGateway(new KubeVipServicesLB(iptables(), 'explicit', { election: true }), 'egress', cidrs);
  });

  it('exactly one announcement mode, and BGP passwords only from Secrets', () => {
    // @ts-expect-error an announcement is made by one factory; two modes cannot be combined
    new KubeVip(chart(), 'kv', { image: KubeVipImage.standard(), announce: [Announcement.arp(), Announcement.bgp({ peers: [] })] });
    // @ts-expect-error a password is a BgpPassword, never a string
    Announcement.bgp({ routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 65001, password: 'hunter2' }] });
    Announcement.bgp({ routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 65001, password: BgpPassword.fromSecret('bgp', 'pw') }] });
  });

  it('images are made only by their factories', () => {
    // @ts-expect-error the constructor is not public
    new KubeVipImage('v1.2.3', 'ghcr.io/kube-vip/kube-vip');
    expect(KubeVipImage.iptables().isIptables()).toBe(true);
  });
});
