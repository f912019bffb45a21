import { fieldAt } from '../../model/schema';
import { valuesSchema } from '../../model/values';
import { envForPath, knownEnv } from '../kube-vip-env';
import { kubeVipDefaultsInput, MANIFEST_OWN_DEFAULTS } from '../kube-vip-semantics';

/**
 * The flags of `kube-vip manifest daemonset|pod` (kube-vip's cmd/kube-vip.go and
 * cmd/kube-vip-manifests.go) and what `cdk8s-kube-vip manifest` does with each. Flags that set
 * one model field take their help text from the model and their env var from the env table.
 */

export type FlagKind = 'boolean' | 'string' | 'integer' | 'list';
export type ManifestKind = 'daemonset' | 'pod';

interface FlagBase {
  /** As kube-vip spells it (pflag names are case-sensitive). */
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
}

/** Sets one field of the model. */
export interface PathFlag extends FlagBase {
  readonly path: string;
  /** kube-vip's env var, where the env table does not fill it from this field. */
  readonly env?: string;
  /** kube-vip matches the value case-insensitively. */
  readonly lowerCase?: boolean;
  /** kube-vip's generator never writes this setting into its manifest, so kube-vip ran with its default. */
  readonly droppedByKubeVip?: boolean;
}

/** Mapped by hand in to-values.ts. */
export interface CustomFlag extends FlagBase {
  readonly help: string;
  readonly env?: string;
  readonly only?: ManifestKind;
  /** Ours, not kube-vip's. */
  readonly ours?: boolean;
}

/** A kube-vip flag we do not accept: the reason says what to do instead. */
export interface RefusedFlag extends FlagBase {
  readonly refused: string;
  readonly env?: string;
  /** kube-vip's default value, which asks for nothing and is accepted. */
  readonly harmless?: string;
}

/** Accepted, and without effect: the reason says why nothing is lost. */
export interface IgnoredFlag extends FlagBase {
  readonly ignored: string;
}

export type KubeVipFlag = PathFlag | CustomFlag | RefusedFlag | IgnoredFlag;

export const isPathFlag = (f: KubeVipFlag): f is PathFlag => 'path' in f;
export const isCustomFlag = (f: KubeVipFlag): f is CustomFlag => 'help' in f;
export const isRefusedFlag = (f: KubeVipFlag): f is RefusedFlag => 'refused' in f;
export const isIgnoredFlag = (f: KubeVipFlag): f is IgnoredFlag => 'ignored' in f;

const NOT_MODELLED =
  'is not in the cdk8s-kube-vip model; set its env var with extraEnv in a values file and render it with `cdk8s-kube-vip synth`';

const RBAC_WRITTEN = '; the manifest comes with the RBAC its enabled features call';

export const KUBE_VIP_FLAGS: readonly KubeVipFlag[] = [
  // features and modes
  { name: 'controlplane', kind: 'boolean', path: 'controlPlane.enabled', env: knownEnv('cp_enable') },
  { name: 'services', kind: 'boolean', path: 'services.enabled', env: knownEnv('svc_enable') },
  { name: 'arp', kind: 'boolean', env: knownEnv('vip_arp'), help: 'Announce with ARP (announce.mode: arp).' },
  { name: 'bgp', kind: 'boolean', env: knownEnv('bgp_enable'), help: 'Announce with BGP (announce.mode: bgp).' },
  {
    name: 'table',
    kind: 'boolean',
    env: knownEnv('vip_routingtable'),
    help: 'Announce as routes in a routing table (announce.mode: routingTable).',
  },

  // addresses
  { name: 'address', kind: 'string', path: 'controlPlane.address' },
  {
    name: 'vip',
    kind: 'string',
    env: knownEnv('vip_address'),
    help: 'Deprecated spelling of --address; the VIP is still written as env address (see --legacy-vip-address).',
  },
  {
    name: 'vipSubnet',
    kind: 'string',
    env: knownEnv('vip_subnet'),
    help: 'Accepted as 32 and/or 128 only: the VIP is one host address, which kube-vip derives itself.',
  },
  { name: 'port', kind: 'integer', path: 'controlPlane.port' },
  { name: 'interface', kind: 'string', path: 'interface', env: knownEnv('vip_interface') },
  { name: 'serviceInterface', kind: 'string', path: 'services.interface', env: knownEnv('vip_servicesinterface') },
  { name: 'namespace', short: 'n', kind: 'string', path: 'namespace', env: knownEnv('cp_namespace') },

  // control-plane leader election and load balancer
  { name: 'leaderElection', kind: 'boolean', path: 'controlPlane.leaderElection.enabled', env: knownEnv('vip_leaderelection') },
  { name: 'leaseName', kind: 'string', path: 'controlPlane.leaderElection.leaseName', env: knownEnv('vip_leasename') },
  { name: 'leaseDuration', kind: 'integer', path: 'controlPlane.leaderElection.leaseDurationSeconds' },
  { name: 'leaseRenewDuration', kind: 'integer', path: 'controlPlane.leaderElection.renewDeadlineSeconds' },
  { name: 'leaseRetry', kind: 'integer', path: 'controlPlane.leaderElection.retryPeriodSeconds' },
  { name: 'enableLoadBalancer', kind: 'boolean', path: 'controlPlane.loadBalancer.enabled', env: knownEnv('lb_enable') },
  { name: 'lbPort', kind: 'integer', path: 'controlPlane.loadBalancer.port' },
  { name: 'lbForwardingMethod', kind: 'string', path: 'controlPlane.loadBalancer.forwardingMethod', lowerCase: true },

  // services
  { name: 'servicesElection', kind: 'boolean', path: 'services.election' },
  { name: 'servicesLeaseName', kind: 'string', path: 'services.leaseName', env: knownEnv('svc_leasename') },
  {
    name: 'onlyAllowTrafficServicePorts',
    kind: 'boolean',
    path: 'services.onlyAllowTrafficServicePorts',
    env: knownEnv('enable_service_security'),
  },
  { name: 'enableNodeLabeling', kind: 'boolean', path: 'services.nodeLabeling', env: knownEnv('enable_node_labeling') },
  { name: 'lbClassOnly', kind: 'boolean', path: 'services.loadBalancerClass.only' },
  { name: 'lbClassName', kind: 'string', path: 'services.loadBalancerClass.name', droppedByKubeVip: true },
  { name: 'lbClassNameLegacyHandling', kind: 'boolean', path: 'services.loadBalancerClass.legacyHandling', droppedByKubeVip: true },

  // BGP
  { name: 'bgpRouterID', kind: 'string', path: 'announce.bgp.routerID' },
  { name: 'localAS', kind: 'integer', path: 'announce.bgp.as' },
  { name: 'sourceIF', kind: 'string', path: 'announce.bgp.sourceInterface' },
  { name: 'sourceIP', kind: 'string', path: 'announce.bgp.sourceIP' },
  { name: 'bgpHoldTimer', kind: 'integer', path: 'announce.bgp.holdTimeSeconds', droppedByKubeVip: true },
  { name: 'bgpKeepAliveInterval', kind: 'integer', path: 'announce.bgp.keepaliveIntervalSeconds', droppedByKubeVip: true },
  {
    name: 'bgppeers',
    kind: 'list',
    env: knownEnv('bgp_peers'),
    help: 'BGP peers, address:AS[::multihop[:port]] comma separated (IPv6 in brackets); passwords only through --peerPassSecret.',
  },
  { name: 'peerAddress', kind: 'string', env: knownEnv('bgp_peeraddress'), help: 'One more BGP peer, added after --bgppeers.' },
  {
    name: 'peerAS',
    kind: 'integer',
    env: knownEnv('bgp_peeras'),
    help: "The --peerAddress peer's AS (kube-vip's default: the same as --localAS's, 65000).",
  },
  { name: 'multihop', kind: 'boolean', env: knownEnv('bgp_multihop'), help: 'eBGP multihop to the --peerAddress peer.' },
  {
    name: 'peerPass',
    kind: 'string',
    env: knownEnv('bgp_peerpass'),
    refused: 'would write the BGP password in plain text into the manifest; put it in a Secret and name it with --peerPassSecret NAME/KEY',
  },

  // routing table
  { name: 'tableID', kind: 'integer', path: 'announce.routingTable.tableID', droppedByKubeVip: true },
  { name: 'routingProtocol', kind: 'integer', path: 'announce.routingTable.protocol', droppedByKubeVip: true },
  { name: 'cleanRoutingTable', kind: 'boolean', path: 'announce.routingTable.cleanOnStart', env: knownEnv('vip_cleanroutingtable') },
  {
    name: 'tableType',
    kind: 'integer',
    ignored: "kube-vip's generator does not write it into the manifest either, so kube-vip always ran with its default",
  },

  // how the pod runs
  {
    name: 'image',
    kind: 'string',
    help: 'Image repository, with or without a tag; the iptables image of the same registry is picked where a feature needs it. With a digest (repository:tag@sha256:...), that one image runs: a feature that needs the other is refused.',
  },
  {
    name: 'inCluster',
    kind: 'boolean',
    only: 'daemonset',
    help: 'Accepted for the DaemonSet, which always uses its ServiceAccount; refused for a static pod, which cannot have one.',
  },
  {
    name: 'taint',
    kind: 'boolean',
    only: 'daemonset',
    help: 'Run only on control-plane nodes, tolerating their taints (always so when the DaemonSet serves the control plane).',
  },
  {
    name: 'k8sConfigPath',
    kind: 'string',
    env: knownEnv('k8s_config_file'),
    help: 'pod: /etc/kubernetes/admin.conf, or /etc/kubernetes/super-admin.conf for the first node of kubeadm >= 1.29 (P5); mounted where kube-vip reads it.',
  },
  {
    name: 'prometheusHTTPServer',
    kind: 'string',
    env: knownEnv('prometheus_server'),
    help: 'Metrics listen address: :PORT for every address of the node, or ADDRESS:PORT ([ADDRESS]:PORT for IPv6), e.g. 127.0.0.1:2112 to keep metrics off the network.',
  },
  { name: 'nodeName', kind: 'string', ignored: "the pod takes vip_nodename from spec.nodeName, as kube-vip's generator writes it too" },
  { name: 'log', kind: 'integer', ignored: "kube-vip's generator does not write the log level into the manifest either" },
  { name: 'dnsMode', kind: 'string', ignored: 'the VIP is an IP address (DNS names are refused), so there is nothing to resolve' },

  // refused: a setting the model does not have, or one that cannot be checked
  { name: 'wireguard', kind: 'boolean', refused: 'WireGuard mode is not in the cdk8s-kube-vip model; use --arp, --bgp or --table' },
  {
    name: 'ddns',
    kind: 'boolean',
    env: knownEnv('vip_ddns'),
    refused: "a VIP from DHCP cannot be checked against the cluster's addresses (P4); give a fixed --address",
  },
  {
    name: 'dhcpMode',
    kind: 'string',
    refused: "a VIP from DHCP cannot be checked against the cluster's addresses (P4); give a fixed --address",
  },
  {
    name: 'autodetectcp',
    kind: 'boolean',
    refused: 'the control-plane address must be given with --address so that it can be checked (P4)',
  },
  {
    name: 'leaderElectionType',
    kind: 'string',
    harmless: 'kubernetes',
    refused: 'etcd leader election is not in the cdk8s-kube-vip model; leave it at kubernetes',
  },
  { name: 'annotations', kind: 'string', refused: NOT_MODELLED },
  { name: 'disableServiceUpdates', kind: 'boolean', refused: NOT_MODELLED },
  { name: 'mirrorDestInterface', kind: 'string', refused: NOT_MODELLED },
  { name: 'healthCheckPort', kind: 'integer', refused: NOT_MODELLED },
  { name: 'preserveVipOnLeadershipLoss', kind: 'boolean', refused: NOT_MODELLED },
  { name: 'loInterfaceGlobalScope', kind: 'boolean', refused: NOT_MODELLED },
  { name: 'etcdCACert', kind: 'string', refused: 'etcd leader election is not in the cdk8s-kube-vip model' },
  { name: 'etcdCert', kind: 'string', refused: 'etcd leader election is not in the cdk8s-kube-vip model' },
  { name: 'etcdKey', kind: 'string', refused: 'etcd leader election is not in the cdk8s-kube-vip model' },
  { name: 'etcdEndpoints', kind: 'list', refused: 'etcd leader election is not in the cdk8s-kube-vip model' },
  // kube-vip v1.2.x run-time flags the model does not have (cmd/kube-vip.go)
  ...(
    [
      ['allowInterfaceNotUp', 'boolean'],
      ['bgpAttachIPToInterface', 'boolean'],
      ['controlPlaneHealthCheckAddress', 'string'],
      ['controlPlaneHealthCheckCAPath', 'string'],
      ['controlPlaneHealthCheckFailureThreshold', 'integer'],
      ['controlPlaneHealthCheckPeriodSeconds', 'integer'],
      ['controlPlaneHealthCheckTimeoutSeconds', 'integer'],
      ['debounceTime', 'string'],
      ['enableEndpoints', 'boolean'],
      ['loseLeadership', 'boolean'],
      ['loseLeadershiptTimeoutSeconds', 'integer'],
      ['perServiceElectionOnDemand', 'boolean'],
      ['zebra', 'boolean'],
      ['zebraSoftwareName', 'string'],
      ['zebraUrl', 'string'],
      ['zebraVersion', 'integer'],
    ] as const
  ).map(([name, kind]): RefusedFlag => ({ name, kind, refused: NOT_MODELLED })),
  {
    name: 'config-file',
    kind: 'string',
    refused:
      'names a file kube-vip reads when it runs, which its generator does not copy into the manifest; give its settings as flags here, or as a values file to `cdk8s-kube-vip synth`',
  },
  {
    name: 'egressWithNftables',
    kind: 'boolean',
    refused:
      'is set from egress.backend (and turned off where port security needs the iptables path); egress is not made by `manifest`: set egress in a values file and render it with `cdk8s-kube-vip synth`',
  },
  {
    name: 'instanceName',
    kind: 'string',
    refused:
      "is set from the deployment's name, one per workload, so two kube-vips on one node never share nftables tables; set name in a values file and render it with `cdk8s-kube-vip synth`",
  },
  { name: 'dhcpBackoffAttempts', kind: 'integer', ignored: 'it tunes DHCP, and a VIP from DHCP is refused (--ddns, --dhcpMode)' },
  // flags of other kube-vip commands, given to `manifest` by mistake
  ...(
    [
      ['config', 'string', 'kube-vip kubeadm join', ''],
      ['configMap', 'string', 'kube-vip service', ''],
      ['role', 'boolean', 'kube-vip manifest rbac', RBAC_WRITTEN],
      ['rolebinding', 'boolean', 'kube-vip manifest rbac', RBAC_WRITTEN],
    ] as const
  ).map(([name, kind, command, more]): RefusedFlag => ({
    name,
    kind,
    refused: `is a flag of \`${command}\`, not of \`kube-vip manifest\`${more}`,
  })),
];

/** The flags of the settings `manifest` defaults to ours (MANIFEST_OWN_DEFAULTS) while none of them is given: the lease timings. */
export const OWN_DEFAULT_FLAGS: readonly PathFlag[] = KUBE_VIP_FLAGS.filter(isPathFlag).filter((f) => f.path in MANIFEST_OWN_DEFAULTS);

/** Flags of cdk8s-kube-vip's own, next to kube-vip's. */
export const OWN_FLAGS: readonly CustomFlag[] = [
  {
    name: 'explain',
    kind: 'boolean',
    ours: true,
    help: "Print on stderr each decision that differs from what kube-vip's own generator would have done, and why.",
  },
  {
    name: 'legacy-vip-address',
    kind: 'boolean',
    ours: true,
    help: 'Write the VIP as the deprecated vip_address with its vip_subnet, for kube-vip releases that do not read address.',
  },
  {
    name: 'peerPassSecret',
    kind: 'string',
    ours: true,
    help: 'NAME/KEY of the Secret key with the BGP password of every peer; it reaches kube-vip through a secretKeyRef, never in plain text.',
  },
  { name: 'help', short: 'h', kind: 'boolean', ours: true, help: 'This help.' },
];

/** kube-vip's env var for a flag: given in the table, or the one the env table fills from the flag's field. */
export function envOfFlag(flag: KubeVipFlag): string | undefined {
  if ('env' in flag && flag.env) return flag.env;
  return isPathFlag(flag) ? envForPath(flag.path) : undefined;
}

/** The help text: a model field's description, or the table's own words. */
export function helpOfFlag(flag: KubeVipFlag): string {
  if (isPathFlag(flag)) {
    const field = fieldAt(valuesSchema, flag.path);
    // Where kube-vip's default differs from the model's, the model's words would mislead here.
    const kubeVipDefault = flag.path
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], kubeVipDefaultsInput());
    const own = MANIFEST_OWN_DEFAULTS[flag.path];
    const leftOut =
      own !== undefined
        ? ` Left out (with the other lease timings): ${own}, not kube-vip's ${kubeVipDefault}.`
        : kubeVipDefault === undefined
          ? ''
          : ` Left out: ${kubeVipDefault === false ? 'off' : kubeVipDefault}, as in kube-vip.`;
    return `${field?.description ?? ''} (${flag.path})${leftOut}`;
  }
  if (isCustomFlag(flag)) return flag.help;
  if (isRefusedFlag(flag)) return `Refused: ${flag.refused}.`;
  return `Ignored: ${flag.ignored}.`;
}
