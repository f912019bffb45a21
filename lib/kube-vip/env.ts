import { Cond, when } from '../expr/cond';
import { ENV_SINCE, whenReleaseAtLeast } from './releases';

/**
 * Every env var we set on kube-vip, in the order the container lists them, with the condition
 * under which it is set and where its value comes from. kube-vip reads env over flags and
 * ignores an empty value (pkg/kubevip/config_envvar.go, config_environment.go).
 *
 * The TypeScript renderer evaluates this table; the Helm chart's env template is generated
 * from it. Nothing else may name a kube-vip env var.
 */

export type EnvSource =
  /** The value at a path, as a string; integers are printed as integers. */
  | { readonly path: string }
  | { readonly literal: string }
  /** "true" or "false". */
  | { readonly test: Cond }
  /** A field of the pod, e.g. spec.nodeName. */
  | { readonly fieldRef: string };

export interface EnvRule {
  readonly name: string;
  readonly when?: Cond;
  readonly from: EnvSource;
  /**
   * The model field a user sets for this variable (extra-env-managed names it), where `from`
   * does not read it from `values.`; empty for a variable no field sets.
   */
  readonly field?: string;
}

/**
 * A variable of ours that kube-vip does not read: the kubelet puts the node's address in it and
 * expands `$(KUBE_VIP_NODE_ADDRESS)` in the variables after it (Kubernetes' dependent env vars).
 */
export const NODE_ADDRESS_ENV = 'KUBE_VIP_NODE_ADDRESS';

/** The variables we write for the kubelet to expand, which kube-vip itself must not read. */
export const KUBELET_ONLY_ENV: ReadonlySet<string> = new Set([NODE_ADDRESS_ENV]);

const cp = when.set('workload.controlPlane');
const svc = when.set('workload.services');
const bgp = when.is('values.announce.mode', 'bgp');
const routingTable = when.is('values.announce.mode', 'routingTable');
const leaderElection = when.all(cp, when.set('values.controlPlane.leaderElection.enabled'));
const loadBalancer = when.all(cp, when.set('values.controlPlane.loadBalancer.enabled'));
const egress = when.all(svc, when.set('values.egress.enabled'));
const portSecurity = when.all(svc, when.set('values.services.onlyAllowTrafficServicePorts'));
/**
 * kube-vip runs an election for the control plane's lease with leader election, and for the
 * Services' in ARP mode (one lease, or one per Service) and with per-Service election in any
 * mode (v1.2.3 pkg/manager/worker, StartServices of arp.go, bgp.go, table.go). Every election
 * reads the one set of timings (pkg/election/election.go RunOrDie), so they are written wherever
 * one runs: without them a Services-only workload elected on kube-vip's 15/10/2.
 */
const elects = when.any(
  leaderElection,
  when.all(svc, when.any(when.is('values.announce.mode', 'arp'), when.set('values.services.election'))),
);
const path = (p: string): EnvSource => ({ path: p });
const TRUE: EnvSource = { literal: 'true' };

const RULES: readonly EnvRule[] = [
  { name: 'vip_nodename', from: { fieldRef: 'spec.nodeName' }, field: '' },
  { name: 'vip_interface', when: when.set('workload.interface'), from: path('workload.interface'), field: 'interface' },

  // announcement: exactly one of these blocks applies
  { name: 'vip_arp', when: when.is('values.announce.mode', 'arp'), from: TRUE, field: 'announce.mode' },
  { name: 'vip_arpRate', when: when.is('values.announce.mode', 'arp'), from: path('values.announce.arp.rateMs') },
  { name: 'bgp_enable', when: bgp, from: TRUE, field: 'announce.mode' },
  { name: 'bgp_routerid', when: when.all(bgp, when.set('values.announce.bgp.routerID')), from: path('values.announce.bgp.routerID') },
  {
    name: 'bgp_routerinterface',
    when: when.all(bgp, when.set('values.announce.bgp.routerInterface')),
    from: path('values.announce.bgp.routerInterface'),
  },
  { name: 'bgp_as', when: bgp, from: path('values.announce.bgp.as') },
  { name: 'bgp_sourceip', when: when.all(bgp, when.set('values.announce.bgp.sourceIP')), from: path('values.announce.bgp.sourceIP') },
  {
    name: 'bgp_sourceif',
    when: when.all(bgp, when.set('values.announce.bgp.sourceInterface')),
    from: path('values.announce.bgp.sourceInterface'),
  },
  { name: 'bgp_hold_time', when: bgp, from: path('values.announce.bgp.holdTimeSeconds') },
  { name: 'bgp_keepalive_interval', when: bgp, from: path('values.announce.bgp.keepaliveIntervalSeconds') },
  // Passwords reach bgp_peers through $(VAR) expansion of the secret-backed vars before it.
  { name: 'bgp_peers', when: when.all(bgp, when.set('workload.bgpPeers')), from: path('workload.bgpPeers'), field: 'announce.bgp.peers' },
  { name: 'vip_routingtable', when: routingTable, from: TRUE, field: 'announce.mode' },
  { name: 'vip_routingtableid', when: routingTable, from: path('values.announce.routingTable.tableID') },
  { name: 'vip_routingprotocol', when: routingTable, from: path('values.announce.routingTable.protocol') },
  {
    name: 'vip_cleanroutingtable',
    field: 'announce.routingTable.cleanOnStart',
    when: when.all(routingTable, when.set('values.announce.routingTable.cleanOnStart')),
    from: TRUE,
  },

  // control plane
  { name: 'cp_enable', when: cp, from: TRUE, field: 'controlPlane.enabled' },
  { name: 'cp_namespace', when: cp, from: path('workload.leaseNamespace'), field: 'namespace' },
  { name: 'address', when: cp, from: path('values.controlPlane.address') },
  { name: 'port', when: cp, from: path('values.controlPlane.port') },
  // A static pod must reach the API server on its own node: kubeadm's admin.conf names the VIP,
  // which is not up yet (KUBECONFIG_SERVER_FIRST). Written for every release: all read it.
  { name: 'kubernetes_addr', when: when.set('workload.localApiServer'), from: path('workload.localApiServer'), field: 'controlPlane.port' },
  { name: 'vip_leaderelection', when: leaderElection, from: TRUE, field: 'controlPlane.leaderElection.enabled' },
  { name: 'vip_leasename', when: leaderElection, from: path('workload.controlPlaneLease'), field: 'controlPlane.leaderElection.leaseName' },
  {
    name: 'vip_leaseduration',
    when: elects,
    from: path('workload.leaseDurationSeconds'),
    field: 'controlPlane.leaderElection.leaseDurationSeconds',
  },
  {
    name: 'vip_renewdeadline',
    when: elects,
    from: path('workload.renewDeadlineSeconds'),
    field: 'controlPlane.leaderElection.renewDeadlineSeconds',
  },
  {
    name: 'vip_retryperiod',
    when: elects,
    from: path('workload.retryPeriodSeconds'),
    field: 'controlPlane.leaderElection.retryPeriodSeconds',
  },
  { name: 'lb_enable', when: loadBalancer, from: TRUE, field: 'controlPlane.loadBalancer.enabled' },
  { name: 'lb_port', when: loadBalancer, from: path('values.controlPlane.loadBalancer.port') },
  { name: 'lb_fwdmethod', when: loadBalancer, from: path('values.controlPlane.loadBalancer.forwardingMethod') },

  // services
  { name: 'svc_enable', when: svc, from: TRUE, field: 'services.enabled' },
  { name: 'svc_election', when: svc, from: path('values.services.election') },
  { name: 'svc_leasename', when: svc, from: path('workload.servicesLease'), field: 'services.leaseName' },
  { name: 'svc_namespace', when: when.all(svc, when.set('values.services.watchNamespace')), from: path('values.services.watchNamespace') },
  {
    name: 'vip_servicesinterface',
    field: 'services.interface',
    when: when.all(svc, when.set('workload.servicesInterface')),
    from: path('workload.servicesInterface'),
  },
  { name: 'lb_class_name', when: svc, from: path('values.services.loadBalancerClass.name') },
  { name: 'lb_class_only', when: svc, from: path('values.services.loadBalancerClass.only') },
  { name: 'lb_class_legacy_handling', when: svc, from: path('values.services.loadBalancerClass.legacyHandling') },
  {
    name: 'enable_service_security',
    field: 'services.onlyAllowTrafficServicePorts',
    when: when.all(svc, when.set('values.services.onlyAllowTrafficServicePorts')),
    from: TRUE,
  },
  {
    name: 'enable_node_labeling',
    when: when.all(svc, when.set('values.services.nodeLabeling')),
    from: TRUE,
    field: 'services.nodeLabeling',
  },

  // egress: CIDRs always explicit, so a failed auto-discovery cannot leave wrong rules behind (P3)
  { name: 'egress_podcidr', when: egress, from: path('workload.egressPodCIDR'), field: 'egress.podCIDR' },
  { name: 'egress_servicecidr', when: egress, from: path('workload.egressServiceCIDR'), field: 'egress.serviceCIDR' },
  // One variable picks nftables or the iptables binaries for egress and port security alike
  // (pkg/vip/address.go), and v1.2.2 turns it on by default. Its nftables port filter is broken:
  // the accept rule matches layer-4 protocol 0, so where filter/INPUT exists every port of the
  // Service is dropped, and where it does not, nothing is filtered (a WARN). Port security
  // therefore always takes the iptables path, egress with it (test/kube-vip/port-security.test.ts).
  {
    name: 'egress_withnftables',
    field: 'egress.backend',
    when: when.any(egress, portSecurity),
    from: { test: when.all(when.is('values.egress.backend', 'nftables'), when.not(portSecurity)) },
  },
  { name: 'egress_clean', when: egress, from: path('values.egress.cleanOnStart') },

  // the health endpoint, for the liveness probe (HEALTH_ENDPOINT)
  { name: 'health_check_port', when: when.set('values.health.enabled'), from: path('workload.healthPort'), field: 'health.enabled' },
  // The node's own address, for the kubelet to expand in prometheus_server (not read by kube-vip
  // itself): the metrics server then listens where Prometheus scrapes, never on a VIP.
  {
    name: NODE_ADDRESS_ENV,
    when: when.not(when.set('values.metrics.bindAddress')),
    from: { fieldRef: 'status.hostIP' },
    field: 'metrics.bindAddress',
  },
  // per-instance: two kube-vip on one node must differ in both
  { name: 'prometheus_server', from: path('workload.metricsAddress'), field: 'metrics.port or metrics.servicesPort' },
  { name: 'instance_name', from: path('workload.instanceName'), field: 'name' },
];

/**
 * The table as rendered: a variable that a release does not read (ENV_SINCE) is not written for
 * it, so nothing in the output pretends to configure what that release ignores.
 */
export const ENV_RULES: readonly EnvRule[] = RULES.map((rule) => {
  const since = ENV_SINCE[rule.name]?.since;
  if (!since) return rule;
  return { ...rule, when: rule.when ? when.all(rule.when, whenReleaseAtLeast(since)) : whenReleaseAtLeast(since) };
});

/** The model field that sets a rule's variable: its own `field`, or the `values.` path it reads. */
function fieldOf(rule: EnvRule): string {
  if (rule.field !== undefined) return rule.field;
  if ('path' in rule.from && rule.from.path.startsWith('values.')) return rule.from.path.slice('values.'.length);
  throw new Error(`env ${rule.name}: name the model field that sets it (field)`);
}

/**
 * Env var names the model owns, each with the model field a user sets instead (empty where no
 * field does): extraEnv may not set them, or the two would disagree.
 */
export const MANAGED_ENV_FIELDS: ReadonlyMap<string, string> = new Map([
  ...RULES.map((rule): [string, string] => [rule.name, fieldOf(rule)]),
  // set by no rule, but their meaning belongs to model fields
  ['vip_address', 'controlPlane.address'],
  ['vip_cidr', 'controlPlane.address'],
  ['vip_subnet', 'controlPlane.address'],
  ['bgp_peeraddress', 'announce.bgp.peers'],
  ['bgp_peeras', 'announce.bgp.peers'],
  ['bgp_peerpass', 'announce.bgp.peers'],
  ['bgp_multihop', 'announce.bgp.peers'],
  ['vip_ddns', 'controlPlane.address'],
  ['k8s_config_file', 'controlPlane.kubeconfig'],
]);

/** Env var names the model owns: extraEnv may not set them, or the two would disagree. */
export const MANAGED_ENV_NAMES: ReadonlySet<string> = new Set(MANAGED_ENV_FIELDS.keys());

/**
 * kube-vip env vars for features the model does not have. Never rendered (extraEnv may set
 * them); named here so that reading a foreign manifest (the CLI's check) spells them in this
 * module only.
 */
export const UNMODELLED_ENV = {
  /** A fourth announcement mode besides ARP, BGP and routing table. */
  wireguard: 'vip_wireguard',
} as const;

/**
 * What client-go's in-cluster config (rest.InClusterConfig, which kube-vip's DaemonSet uses) reads
 * to find the API server: the kubelet sets both for the cluster's own. Set by hand, they send
 * kube-vip's requests, with its ServiceAccount token, to another host.
 */
export const API_CLIENT_ENV = ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;

/** When the secret-backed BGP password vars are set (before the table, for each peer with a password). */
export const BGP_PASSWORDS_WHEN: Cond = bgp;

/**
 * Env var holding the i-th BGP peer's password, referenced as $(NAME) inside bgp_peers.
 * (The chart build passes a printf verb as the index.)
 */
export function bgpPeerPasswordEnvName(index: number | string): string {
  return `BGP_PEER_${index}_PASSWORD`;
}
