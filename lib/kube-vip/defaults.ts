/**
 * kube-vip's own defaults, as its source sets them (pkg/kubevip/config_environment.go and the
 * flag defaults in cmd/). The config model starts from these so that "not set" means what
 * kube-vip would do.
 */
export const KUBE_VIP_DEFAULTS = {
  apiServerPort: 6443,
  arpRateMs: 3000,
  leaseDurationSeconds: 15,
  renewDeadlineSeconds: 10,
  retryPeriodSeconds: 2,
  leaseNamespace: 'kube-system',
  loadBalancerPort: 6443,
  loadBalancerClassName: 'kube-vip.io/kube-vip-class',
  loadBalancerClassLegacyHandling: true,
  bgpAs: 65000,
  bgpPeerPort: 179,
  bgpHoldTimeSeconds: 30,
  bgpKeepaliveIntervalSeconds: 10,
  routingTableId: 198,
  routingProtocol: 248,
  metricsPort: 2112,
  /** kube-vip's lease names (--leaseName, --servicesLeaseName); our model names leases after the deployment instead. */
  controlPlaneLeaseName: 'plndr-cp-lock',
  servicesLeaseName: 'plndr-svcs-lock',
} as const;

/**
 * Our lease timings, not kube-vip's 15/10/2: chosen from the fault table that real kube-vip ran
 * (test/kube-vip/faults.test.ts; README, "What survives what"). A leader cut off from the API
 * server keeps the VIP until client-go has tried to renew for the renew deadline (after a retry
 * period) and then to release the lease for as long again: retry + 2 x renew after its last
 * renewal. Another node takes the VIP once the lease has run out since it last saw a renewal. So
 * the lease must outlast retry + 2 x renew, or the VIP is on two nodes (rule lease-two-holders):
 * 15/10/2 had it on two nodes for about 5 s. The retry period must stay below the renew deadline
 * (a second try to renew), so 1 and 2 are the shortest, and 6 the shortest lease with a second
 * to spare. Costs: every kube-vip of a lease asks the API server once a second; an API server
 * that does not answer a renewal within 2 s moves the VIP.
 */
export const LEASE_TIMINGS = {
  leaseDurationSeconds: 6,
  renewDeadlineSeconds: 2,
  retryPeriodSeconds: 1,
} as const;

/**
 * kube-vip's health endpoint (pkg/manager/manager.go, Start; v1.2.1 and v1.2.2 alike): with env
 * health_check_port set, GET /healthz answers "OK" on that port of every address, on a leader and
 * a follower alike (it starts before the election); a port below 1024 makes the manager exit.
 * Shown on real kube-vip in test/kube-vip/health.test.ts.
 */
export const HEALTH_ENDPOINT = { path: '/healthz', minPort: 1024 } as const;

/** The IPVS forwarding methods kube-vip knows (pkg/loadbalancer/ipvs.go); any other word silently becomes local. */
export enum ForwardingMethod {
  LOCAL = 'local',
  MASQUERADE = 'masquerade',
  TUNNEL = 'tunnel',
  DIRECT_ROUTE = 'directroute',
  BYPASS = 'bypass',
}

export enum AnnounceMode {
  ARP = 'arp',
  BGP = 'bgp',
  ROUTING_TABLE = 'routingTable',
}

export enum ImageVariant {
  /** The iptables image when an enabled feature needs it, else the standard one. */
  AUTO = 'auto',
  STANDARD = 'standard',
  IPTABLES = 'iptables',
}

export enum EgressBackend {
  NFTABLES = 'nftables',
  IPTABLES = 'iptables',
}

export enum ControlPlaneDeployment {
  DAEMON_SET = 'daemonset',
  STATIC_POD = 'staticPod',
}

/** Which kubeconfig a static pod mounts at kube-vip's default path. */
export enum StaticPodKubeconfig {
  ADMIN = 'admin',
  /** kubeadm >= 1.29, first control-plane node during `kubeadm init` only (P5). */
  SUPER_ADMIN = 'superAdmin',
}

/**
 * Where kube-vip reads its kubeconfig unless k8s_config_file says otherwise (its --k8sConfigPath
 * default), and so where a static pod mounts whichever kubeconfig of the node it uses.
 */
export const KUBE_VIP_KUBECONFIG_PATH = '/etc/kubernetes/admin.conf';

export const KUBECONFIG_HOST_PATHS: Record<StaticPodKubeconfig, string> = {
  [StaticPodKubeconfig.ADMIN]: '/etc/kubernetes/admin.conf',
  [StaticPodKubeconfig.SUPER_ADMIN]: '/etc/kubernetes/super-admin.conf',
};

export const IMAGES = {
  standardRepository: 'ghcr.io/kube-vip/kube-vip',
  iptablesRepository: 'ghcr.io/kube-vip/kube-vip-iptables',
  /**
   * Both repositories are pushed for every release tag. The default is the newest release the test
   * suite runs for real (test/tools/kube-vip/<tag>, test/kube-vip), and v1.2.3 holds the VIP
   * there as v1.2.2 does, under every fault of the fault table (test/kube-vip/faults.test.ts) and
   * at a switch-over (test/kube-vip/drop-in.test.ts), with our lease timings (LEASE_TIMINGS).
   */
  tag: 'v1.2.3',
} as const;

/**
 * What kube-vip reads from a LoadBalancer Service (pkg/kubevip: the loadbalancerIPs annotation,
 * which kube-vip-cloud-provider writes too; egress with per-Service election).
 */
export const SERVICE_ANNOTATIONS = {
  /** The address or addresses (one per family, comma separated) the Service asks for. */
  address: 'kube-vip.io/loadbalancerIPs',
  /** "true": the Service's pods send their traffic out from its address. */
  egress: 'kube-vip.io/egress',
} as const;
