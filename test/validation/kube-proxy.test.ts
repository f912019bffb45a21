import { Chart } from 'cdk8s';
import { KubeVip, KubeVipImage, KubeVipServicesLB } from '../../lib';
import { HELMS, runHelm, useTestChart, writeValues } from '../support/helm';
import { refusals, testApp } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * kube-proxy in IPVS mode puts every LoadBalancer address on kube-ipvs0 on every node; without
 * strictARP every node answers ARP for it. kube-vip's docs (ARP mode for Services) and
 * kubespray's (docs/kube-vip.md) require strictARP there, and test/kube-vip/kube-proxy-ipvs.test.ts
 * shows it: with real kube-vip announcing the address, a node with it on kube-ipvs0 answers ARP
 * for it too unless strictARP's sysctls are set. Here: the rule on every route.
 */

const services = { services: { enabled: true } };
const ipvs = (strictARP: boolean) => ({ cluster: { kubeProxy: { mode: 'ipvs', strictARP } } });
const MESSAGE =
  '- cluster.kubeProxy.strictARP: false is off while kube-proxy runs in IPVS mode: kube-proxy puts every LoadBalancer address on kube-ipvs0 on every node, and without strict ARP every node answers ARP for it, so the address kube-vip announces from one node flaps between all their MACs; set ipvs.strictARP: true in the kube-proxy ConfigMap (kube-system) and restart kube-proxy, and record it as cluster.kubeProxy.strictARP: true; or announce with BGP';

describe('kube-proxy in IPVS mode needs strictARP for ARP-announced Services', () => {
  it('is refused without it', () => {
    expect(refusals(services, ipvs(false))).toEqual([MESSAGE]);
  });
  it.each([
    ['with strictARP', [services, ipvs(true)]],
    ['in iptables mode', [services, { cluster: { kubeProxy: { mode: 'iptables' } } }]],
    ['when the mode is not known', [services]],
    [
      'for a control plane alone (the VIP is no Service, kube-ipvs0 does not hold it)',
      [{ controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: false } }, ipvs(false)],
    ],
    [
      'with BGP (no ARP)',
      [
        services,
        ipvs(false),
        { announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 64513 }] } } },
      ],
    ],
  ])('is accepted %s', (_, values) => {
    expect(refusals(...values)).toEqual([]);
  });
  it('the constructs take the same fact and refuse the same way', () => {
    const app = testApp();
    const kubeVip = new KubeVip(new Chart(app, 'kp'), 'kube-vip', {
      image: KubeVipImage.standard('v1.2.2'),
      cluster: { kubeProxy: { mode: 'ipvs', strictARP: false } },
    });
    new KubeVipServicesLB(kubeVip, 'lb');
    expect(() => app.synth()).toThrow(/cluster\.kubeProxy\.strictARP: false is off while kube-proxy runs in IPVS mode/);
  });
});

describeWithTools(['helm3', 'helm4'])('the chart refuses it with the same words', () => {
  const chart = useTestChart();
  it.each(HELMS)('%s', (helm) => {
    const file = writeValues(chart().scratch, 'kube-proxy', { ...services, ...ipvs(false) });
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`[kube-proxy-strict-arp] ${MESSAGE.slice(2)}`);
  });
});
