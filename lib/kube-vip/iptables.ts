import { Cond, when } from '../model/expr';

/**
 * Features that shell out to the iptables binaries, which only the kube-vip-iptables image
 * carries (the standard image is FROM scratch). Since v1.2.2 some of them can go through
 * in-process nftables instead, but the iptables image works for every version, so it is the rule.
 */
export interface IptablesNeed {
  readonly rule: string;
  /** The model field that turns the feature on. */
  readonly path: string;
  /** When the feature is on, over values only (so the Helm schema can check it too). */
  readonly when: Cond;
  readonly why: string;
}

export const IPTABLES_NEEDS: readonly IptablesNeed[] = [
  {
    rule: 'P1-masquerade-image',
    path: 'controlPlane.loadBalancer.forwardingMethod',
    when: when.all(
      when.set('values.controlPlane.enabled'),
      when.set('values.controlPlane.loadBalancer.enabled'),
      when.is('values.controlPlane.loadBalancer.forwardingMethod', 'masquerade'),
    ),
    why: 'IPVS masquerade forwarding writes NAT rules with iptables',
  },
  {
    rule: 'P2-port-security-image',
    path: 'services.onlyAllowTrafficServicePorts',
    when: when.all(when.set('values.services.enabled'), when.set('values.services.onlyAllowTrafficServicePorts')),
    why: 'port security filters Service traffic with iptables',
  },
  {
    rule: 'P3-egress-image',
    path: 'egress.enabled',
    when: when.all(when.set('values.services.enabled'), when.set('values.egress.enabled')),
    why: 'egress SNAT rules need the iptables binaries on kube-vip releases without in-process nftables',
  },
];
