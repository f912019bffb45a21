import { Cond, when } from '../expr/cond';
import { parseVersion, Version, VERSION_PATTERN, versionAtLeast } from '../expr/version';
import { IMAGES, KUBE_VIP_KUBECONFIG_PATH } from './defaults';

/**
 * What differs between kube-vip releases, as data: each fact names the first release it holds
 * for and where it was found. "shown" facts come from running real kube-vip in the test suite
 * (test/kube-vip, per release); the others from kube-vip's source at the named tags.
 *
 * A release is read from the image tag. A tag that is not a plain version (latest, a branch, a
 * pre-release, a digest-only reference) is judged as the default release, the newest one the
 * suite runs; `release-unknown` says so where it matters.
 */

/** The tags kube-vip publishes: vMAJOR.MINOR.PATCH. */
export const RELEASE_TAG_PATTERN = VERSION_PATTERN;

/** Where the model holds the release: the image tag. */
export const RELEASE_TAG_PATH = 'values.image.tag';

export function parseRelease(tag: string): Version | undefined {
  return parseVersion(tag);
}

/** Whether the release `tag` runs is `since` or newer (non-version tags: the default release). */
export function releaseAtLeast(tag: string, since: string): boolean {
  return versionAtLeast(tag, since, IMAGES.tag);
}

/** The condition "the release the image runs is `since` or newer", for the tables. */
export function whenReleaseAtLeast(since: string): Cond {
  return when.versionAtLeast(RELEASE_TAG_PATH, since, IMAGES.tag);
}

/**
 * The newest and the oldest release the suite runs on real kube-vip (test/support/tools.ts
 * KUBE_VIP_RELEASES, held equal by test/kube-vip/releases.test.ts): what came after or before
 * is not shown here. The default (IMAGES.tag) is one of them.
 */
export const NEWEST_TESTED_RELEASE = 'v1.2.3';
export const OLDEST_TESTED_RELEASE = 'v1.2.1';

/** The first release after the newest one the suite runs: nothing here has shown what it does. */
export const FIRST_UNTESTED_RELEASE = ((): string => {
  const [major, minor, patch] = parseVersion(NEWEST_TESTED_RELEASE)!;
  return `v${major}.${minor}.${patch + 1}`;
})();

export interface ReleaseFact {
  /** The first release the fact holds for. */
  readonly since: string;
  readonly source: string;
}

/**
 * Since v1.2.2 masquerade, port security and egress rules go through an in-process nftables
 * library while egress_withnftables is true (its new default), whatever the image; before, they
 * ran the iptables binaries (egress_withnftables=true meant iptables-nft), which only the
 * kube-vip-iptables image has.
 */
export const IN_PROCESS_NFTABLES: ReleaseFact = {
  since: 'v1.2.2',
  source: 'pkg/vip/address.go configureNFTables, pkg/services/egress.go; shown by test/kube-vip/{egress,port-security,masquerade}.test.ts',
};

/**
 * Env vars kube-vip reads only from some release on (pkg/kubevip/config_envvar.go at each tag).
 * A release ignores a variable it does not know: set for an older release, it silently does
 * nothing. Variables not listed here are read by every release since v0.8.0.
 */
export const ENV_SINCE: Readonly<Record<string, ReleaseFact>> = Object.fromEntries(
  (
    [
      ['egress_clean', 'v1.0.0'],
      ['config_file', 'v1.0.1'],
      ['vip_preserve_on_leadership_loss', 'v1.0.2'],
      ['dhcp_mode', 'v1.0.3'],
      ['dhcp_backoff_attempts', 'v1.0.3'],
      ['control_plane_health_check_address', 'v1.2.0'],
      ['control_plane_health_check_period_seconds', 'v1.2.0'],
      ['control_plane_health_check_timeout_seconds', 'v1.2.0'],
      ['control_plane_health_check_failure_threshold', 'v1.2.0'],
      ['control_plane_health_check_ca_path', 'v1.2.0'],
      ['instance_name', 'v1.2.2'],
      ['per_service_election_on_demand', 'v1.2.2'],
      ['egress_enableinternalsnat', 'v1.2.2'],
      ['bgp_attach_ip_to_interface', 'v1.2.2'],
      ['vip_loseleadership', 'v1.2.2'],
      ['vip_loseleadership_timeout_seconds', 'v1.2.2'],
      ['vip_allow_interface_not_up', 'v1.2.2'],
      ['debounce_time', 'v1.2.2'],
      ['vip_skipdad', 'v1.2.3'],
    ] as const
  ).map(([name, since]) => [name, { since, source: `pkg/kubevip/config_envvar.go, first in ${since}` }]),
);

/**
 * Since v1.2.2 a kube-vip with a kubeconfig file dials the server the kubeconfig names (the
 * --k8sConfigPath default wins) unless kubernetes_addr is set; up to v1.2.1 a static pod dialled
 * kubernetes:<port> (its host alias for the node's own API server). kubeadm's admin.conf names
 * the control-plane endpoint, the VIP, which is not up before kube-vip holds it.
 */
export const KUBECONFIG_SERVER_FIRST: ReleaseFact = {
  since: 'v1.2.2',
  source: 'pkg/manager/manager.go; shown by test/kube-vip/static-pod-p5.test.ts',
};

/**
 * Since v1.2.3 a kubeconfig at kube-vip's default path (/etc/kubernetes/admin.conf, where a
 * static pod mounts kubeadm's admin.conf or super-admin.conf) is read as before v1.2.2 again:
 * a control-plane kube-vip without kubernetes_addr dials kubernetes:<port>. A kubeconfig at any
 * other path is still dialled at the server it names.
 */
export const DEFAULT_KUBECONFIG_LOCAL_AGAIN: ReleaseFact = {
  since: 'v1.2.3',
  source:
    'pkg/manager/manager.go (the explicit-kubeconfig case leaves out admin.conf and ~/.kube/config); shown by test/kube-vip/static-pod-p5.test.ts',
};

/**
 * Whether a control-plane kube-vip of release `tag` with its kubeconfig at `path`, and no
 * kubernetes_addr, dials the server the kubeconfig names rather than its node's own API server.
 */
export function dialsKubeconfigServer(tag: string, path: string): boolean {
  if (!releaseAtLeast(tag, KUBECONFIG_SERVER_FIRST.since)) return false;
  return !(releaseAtLeast(tag, DEFAULT_KUBECONFIG_LOCAL_AGAIN.since) && path === KUBE_VIP_KUBECONFIG_PATH);
}
