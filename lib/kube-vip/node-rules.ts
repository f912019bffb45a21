import { when } from '../expr/cond';
import { Rule } from '../expr/rule';
import { FIREWALL_FEATURES, IPTABLES_NEEDS } from './iptables';
import { IMAGES } from './defaults';
import { IN_PROCESS_NFTABLES, whenReleaseAtLeast } from './releases';

/**
 * What real kube-vip does on a node with a config that it accepts, as problems: each rule was
 * shown by the test named in its `shownBy`, on the releases the suite runs. The validator
 * evaluates this table, and the chart's checks (errors) and NOTES.txt (warnings) are generated
 * from it, texts included.
 *
 * A warning is for what the node or the Services decide, not the config alone.
 */
export interface NodeRule extends Rule {
  /** The test that shows it on real kube-vip. */
  readonly shownBy: string;
}

const { portSecurity, egress, masquerade } = FIREWALL_FEATURES;
const egressOnIptables = IPTABLES_NEEDS.find((n) => n.rule === 'P3-egress-image')!.when;

export const NODE_RULES: readonly NodeRule[] = [
  {
    rule: 'P2-port-security-nftables',
    severity: 'warning',
    path: 'egress.backend',
    when: when.all(portSecurity, egress, when.is('values.egress.backend', 'nftables')),
    message:
      "is overridden: with port security on, egress_withnftables is written false, since kube-vip takes egress and port security from that one variable and its nftables port filter drops the Service's own ports (v1.2.2, shown on real kube-vip)",
    fix: 'set egress.backend: iptables to say what runs',
    shownBy: 'test/kube-vip/port-security.test.ts',
  },
  {
    rule: 'P3-egress-rules-left-behind',
    severity: 'warning',
    path: 'egress.enabled',
    when: egressOnIptables,
    message:
      "runs on kube-vip's iptables path here, where kube-vip removes a Service's SNAT rule by spec.loadBalancerIP: with the address only in the kube-vip.io/loadbalancerIPs annotation the rule stays after the Service is deleted, and egress_clean at the next start removes only rules of the namespace kube-vip watches (services.watchNamespace), none while it watches all",
    fix: `use kube-vip ${IN_PROCESS_NFTABLES.since} or newer with egress.backend: nftables and port security off; or set spec.loadBalancerIP on egress Services (kube-vip-cloud-provider does) and services.watchNamespace`,
    shownBy: 'test/kube-vip/egress.test.ts',
  },
  {
    rule: 'P1-masquerade-nat-chain',
    severity: 'warning',
    path: 'controlPlane.loadBalancer.forwardingMethod',
    // Unless the same DaemonSet writes egress_withnftables=false (port security, iptables egress).
    when: when.all(
      masquerade,
      whenReleaseAtLeast(IN_PROCESS_NFTABLES.since),
      when.any(
        when.is('values.controlPlane.deployment', 'staticPod'),
        when.not(when.any(portSecurity, when.all(egress, when.is('values.egress.backend', 'iptables')))),
      ),
    ),
    message: `is written with in-process nftables (kube-vip ${IN_PROCESS_NFTABLES.since} and newer): a mark in the node's mangle table, which IPVS balances, and a masquerade rule in its nat/POSTROUTING chain; on a node without both, kube-vip logs "failed to add IP" yet keeps the VIP and its IPVS service, nothing is marked, and connections to the VIP port are refused`,
    fix: 'make sure the control-plane nodes have the mangle table and nat/POSTROUTING (kube-proxy in iptables mode creates both; a host firewall or container engine may create nat alone), or use forwardingMethod: local',
    shownBy: 'test/kube-vip/ipvs.test.ts',
  },
  {
    rule: 'lb-forwarding-bypass',
    severity: 'error',
    path: 'controlPlane.loadBalancer.forwardingMethod',
    when: when.all(
      when.set('values.controlPlane.enabled'),
      when.set('values.controlPlane.loadBalancer.enabled'),
      when.is('values.controlPlane.loadBalancer.forwardingMethod', 'bypass'),
    ),
    message:
      "forwards nothing to the API servers: IPVS's bypass method sends each packet on to its own destination, the VIP, and clients of the VIP port time out (every release, shown on real kube-vip with IPVS)",
    fix: "use masquerade to balance over the control-plane nodes, or local for the VIP holder's own API server",
    shownBy: 'test/kube-vip/ipvs.test.ts',
  },
];

/** An extraEnv variable the release does not read (ENV_SINCE); the texts take since and tag. */
export const ENV_NOT_READ = {
  rule: 'env-not-read-by-release',
  message: (since: string, tag: string) => `is read by kube-vip ${since} and newer only; ${tag} ignores it and runs as if it were not set`,
  fix: (since: string) => `run kube-vip ${since} or newer (image.tag), or remove it`,
} as const;

/** A tag that is not a release version is judged as the default release (lib/kube-vip/releases). */
export const RELEASE_UNKNOWN = {
  rule: 'release-unknown',
  path: 'image.tag',
  message: `is not a release version, so the checks that depend on kube-vip's release judge it as ${IMAGES.tag}, the newest release the toolkit's tests run`,
  fix: `write the release the image runs, e.g. ${IMAGES.tag}`,
} as const;
