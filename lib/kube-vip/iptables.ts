import { Cond, when } from '../expr/cond';
import { IN_PROCESS_NFTABLES, whenReleaseAtLeast } from './releases';

/**
 * Features that run the iptables binaries, which only the kube-vip-iptables image carries (the
 * standard image is FROM scratch), on the releases and settings where they do. Since v1.2.2
 * kube-vip can write the same rules with in-process nftables (IN_PROCESS_NFTABLES); every
 * condition and consequence here was shown on real kube-vip (test/kube-vip).
 */
export interface IptablesNeed {
  readonly rule: string;
  /** The model field that turns the feature on. */
  readonly path: string;
  /** When the feature runs the binaries, over values only (so the Helm schema can check it too). */
  readonly when: Cond;
  readonly why: string;
  /** What kube-vip does when the binaries are missing (shown on real kube-vip). */
  readonly withoutThem: string;
}

const services = when.set('values.services.enabled');

/** The features that touch the node's firewall, as conditions over `values.` (shared with NODE_RULES). */
export const FIREWALL_FEATURES = {
  portSecurity: when.all(services, when.set('values.services.onlyAllowTrafficServicePorts')),
  egress: when.all(services, when.set('values.egress.enabled')),
  masquerade: when.all(
    when.set('values.controlPlane.enabled'),
    when.set('values.controlPlane.loadBalancer.enabled'),
    when.is('values.controlPlane.loadBalancer.forwardingMethod', 'masquerade'),
  ),
} as const;
const { portSecurity, egress, masquerade } = FIREWALL_FEATURES;
const beforeNftables = when.not(whenReleaseAtLeast(IN_PROCESS_NFTABLES.since));

export const IPTABLES_NEEDS: readonly IptablesNeed[] = [
  {
    rule: 'P1-masquerade-image',
    path: 'controlPlane.loadBalancer.forwardingMethod',
    when: when.all(masquerade, beforeNftables),
    why: `IPVS masquerade forwarding writes its NAT rule with the iptables binaries before ${IN_PROCESS_NFTABLES.since}`,
    withoutThem: 'kube-vip cannot add the VIP ("iptables" not in $PATH) and exits, again at every restart',
  },
  {
    rule: 'P2-port-security-image',
    path: 'services.onlyAllowTrafficServicePorts',
    // Every release: the toolkit's output keeps port security off kube-vip's nftables path (see ENV_RULES, egress_withnftables).
    when: portSecurity,
    why: `port security filters Service traffic with iptables-legacy once kube-vip's nftables path is off (egress_withnftables "false", which the toolkit's output always sets): that path does not filter on a node without filter/INPUT and drops the Service's own ports on one with it (since ${IN_PROCESS_NFTABLES.since})`,
    withoutThem: 'kube-vip logs a warning and serves the Service with no port filtering',
  },
  {
    rule: 'P3-egress-image',
    path: 'egress.enabled',
    when: when.all(egress, when.any(beforeNftables, when.is('values.egress.backend', 'iptables'), portSecurity)),
    why: `egress SNAT rules run the iptables binaries before ${IN_PROCESS_NFTABLES.since} (iptables-nft for the nftables backend), with the iptables backend, and with port security on`,
    withoutThem: "kube-vip logs an error and writes no SNAT rule: the pods' traffic leaves with their own addresses",
  },
];

/** The refusal of a feature that needs the binaries when image.variant says the standard image. */
export const STANDARD_IMAGE_REFUSAL = {
  message: (need: IptablesNeed, tag: string) =>
    `needs the kube-vip-iptables image on ${tag} (${need.why}), but image.variant is standard, whose image has no iptables: ${need.withoutThem}`,
  fix: 'set image.variant to auto or iptables',
} as const;
