import { ForwardingMethod, IMAGES, ImageVariant, KUBE_VIP_DEFAULTS as KV } from '../../kube-vip/defaults';
import { KubeVipValues } from '../../model/values';
import { chooseImage, planWorkloads } from '../../model/workloads';
import { isIgnoredFlag, isPathFlag, KUBE_VIP_FLAGS, ManifestKind, OWN_DEFAULT_FLAGS } from './kube-vip-flags';
import { FlagValues } from './read-flags';
import { parseImage } from './to-values';

/** One way our manifest differs from the one `kube-vip manifest` would print for the same flags. */
export interface Decision {
  /** What we write. */
  readonly what: string;
  /** What kube-vip's generator would have done, and why ours is better. */
  readonly why: string;
}

/**
 * The differences from kube-vip's own generator (as read from its source, v1.2), for the flags
 * given: each one a reason, so that a user switching over knows what changes on the node.
 */
export function explain(kind: ManifestKind, flags: FlagValues, values: KubeVipValues): Decision[] {
  const decisions: Decision[] = [];
  const add = (what: string, why: string) => decisions.push({ what, why });
  const given = (name: string) => flags.get(name);
  const cp = values.controlPlane;
  const workload = planWorkloads(values)[0];

  // The image (P1, P2).
  const image = chooseImage(values);
  const asked = given('image') ? parseImage(String(given('image')!.value)) : undefined;
  const theirsRepository = asked && typeof asked !== 'string' ? asked.repository : IMAGES.standardRepository;
  if (image.variant === ImageVariant.IPTABLES && values.image.variant === ImageVariant.AUTO) {
    add(
      `image ${image.reference} instead of ${theirsRepository}`,
      `${image.needs.map((n) => `${n.path} (${n.why})`).join('; ')}: the standard image has no iptables binaries and the pod would crash-loop (${image.needs.map((n) => n.rule.split('-')[0]).join(', ')})`,
    );
  }
  if (!asked || (typeof asked !== 'string' && asked.tag === undefined)) {
    add(
      `image tag ${values.image.tag}`,
      "kube-vip's generator takes the tag from its own binary's version; ours is pinned, and both images exist for every tag",
    );
  }

  // Addresses.
  if (cp.enabled && given('vip') && !given('address') && !given('legacy-vip-address')) {
    add(
      'env address instead of vip_address',
      'vip_address is deprecated and since kube-vip v1.2.2 needs vip_subnet as well; address takes the same value',
    );
  }
  if (cp.enabled && !given('legacy-vip-address'))
    add(
      'no vip_subnet and no dns_mode env',
      'kube-vip derives the /32 or /128 from the address itself, and the address is an IP, so DNS mode does not apply',
    );

  // Leader election and modes.
  if (cp.enabled && values.announce.mode === 'arp' && !given('leaderElection')) {
    add(
      'vip_leaderelection: "true"',
      "kube-vip's generator leaves leader election off without --leaderElection; in ARP mode every control-plane node would then answer for the VIP and clients would flap between nodes",
    );
  }
  if (cp.enabled && cp.leaderElection.enabled && OWN_DEFAULT_FLAGS.every((f) => !given(f.name))) {
    const le = cp.leaderElection;
    add(
      `vip_leaseduration "${le.leaseDurationSeconds}", vip_renewdeadline "${le.renewDeadlineSeconds}", vip_retryperiod "${le.retryPeriodSeconds}"`,
      `kube-vip's generator writes ${KV.leaseDurationSeconds}, ${KV.renewDeadlineSeconds} and ${KV.retryPeriodSeconds}: a leader cut off from the API server then keeps the VIP up to ${KV.retryPeriodSeconds + 2 * KV.renewDeadlineSeconds} s after its last renewal, while another node takes it after ${KV.leaseDurationSeconds} s, so the VIP is on two nodes (lease-two-holders)`,
    );
  }
  for (const flag of KUBE_VIP_FLAGS.filter((f) => isPathFlag(f) && f.droppedByKubeVip)) {
    const value = given(flag.name);
    if (value)
      add(
        `${flag.name} ${JSON.stringify(value.value)} reaches kube-vip`,
        `kube-vip's generator drops --${flag.name} from the manifest, so kube-vip ran with its default instead`,
      );
  }
  const method = given('lbForwardingMethod');
  if (method && String(method.value) !== String(method.value).toLowerCase()) {
    add(
      `lb_fwdmethod ${cp.loadBalancer.forwardingMethod}`,
      'kube-vip matches the method case-insensitively; the manifest says it in the spelling kube-vip documents',
    );
  }
  if (method && cp.loadBalancer.forwardingMethod === ForwardingMethod.MASQUERADE && !cp.loadBalancer.enabled) {
    add(
      'the container is not privileged',
      "--lbForwardingMethod masquerade does nothing without --enableLoadBalancer; kube-vip's generator makes the container privileged anyway",
    );
  }
  if (given('peerPassSecret')) {
    add(
      'BGP passwords from a Secret',
      "kube-vip's generator writes bgp_peerpass in plain text; here the password reaches bgp_peers through a secretKeyRef env var",
    );
  }

  // The objects.
  if (kind === 'daemonset') {
    add(
      `DaemonSet ${workload.name} with app.kubernetes.io labels instead of kube-vip-ds`,
      "its selector never changes, so upgrades keep working; to switch over, delete kube-vip's DaemonSet kube-vip-ds first, then apply this (same lease names, so the VIP comes back within a second): with both running, the two pods on the leader's node share one election identity, and removing kube-vip-ds then can leave the VIP on two nodes until the renew deadline",
    );
    add(
      'a ServiceAccount and RBAC for exactly the features on',
      "kube-vip's generator prints neither (a broad ClusterRole comes from `kube-vip manifest rbac`); without `list pods` in kube-system, egress discovery fails (P3)",
    );
    if (!given('inCluster')) {
      add(
        'the DaemonSet authenticates with its ServiceAccount',
        "without --inCluster kube-vip's generator mounts the node's admin.conf instead, which only control-plane nodes have",
      );
    }
    if (cp.enabled && !given('taint')) {
      add(
        'runs only on control-plane nodes, tolerating their taints',
        "kube-vip's generator does that only with --taint, although the control-plane VIP belongs there",
      );
    }
    if (!cp.enabled && workload.metricsPort !== KV.metricsPort) {
      add(
        `metrics on :${workload.metricsPort}`,
        `a Services-only kube-vip leaves :${KV.metricsPort} to a control-plane kube-vip on the same node`,
      );
    }
    if (given('k8sConfigPath')) {
      add(
        `${given('k8sConfigPath')!.origin} is not mounted`,
        'the DaemonSet authenticates with its ServiceAccount, not with a kubeconfig from the node',
      );
    }
  } else {
    add(
      'the kubeconfig hostPath has type File',
      "kube-vip's generator leaves the type out: if the file is missing, the kubelet creates an empty directory in its place and kube-vip fails to authenticate",
    );
  }
  if (given('namespace')) {
    add(
      `the pod in namespace ${values.namespace}`,
      "kube-vip's generator uses --namespace for the lease only and puts the pod in kube-system",
    );
  }
  if (!workload.privileged) {
    add('allowPrivilegeEscalation: false', 'kube-vip needs NET_ADMIN and NET_RAW only; nothing in it should gain more');
    add(
      'seccompProfile RuntimeDefault',
      "the runtime's default syscall filter, under which kube-vip runs (shown on real kube-vip); kube-vip's generator leaves it unconfined",
    );
  }
  add(
    'readOnlyRootFilesystem: true',
    `kube-vip writes no file of its own${workload.writableRun ? '; the iptables binaries get a 1 MiB /run for their lock file' : ''}; kube-vip's generator leaves the root writable`,
  );
  if (values.metrics.bindAddress === '') {
    add(
      `prometheus_server ${workload.metricsAddress}`,
      `the node's own address (status.hostIP), where Prometheus scrapes; kube-vip's :${KV.metricsPort} listens on every address, so each VIP on the node serves the unauthenticated metrics too`,
    );
  }
  add(
    `resource requests and limits, priorityClassName ${values.scheduling.priorityClassName || '(none)'}`,
    "kube-vip's generator sets neither: under pressure the pod holding the VIP could be evicted first, taking the API server address with it",
  );

  for (const flag of KUBE_VIP_FLAGS.filter(isIgnoredFlag)) {
    const value = given(flag.name);
    if (value) add(`${value.origin} is ignored`, flag.ignored);
  }

  // Flags given twice over.
  for (const [name, value] of flags) {
    if (value.shadowedEnv && String(value.shadowedEnv.value) !== String(value.value)) {
      add(
        `--${name} wins over env ${value.shadowedEnv.name}=${value.shadowedEnv.value}`,
        'kube-vip v1.2 lets the env var win; newer kube-vip, and this command, let the flag win',
      );
    }
  }
  return decisions;
}
