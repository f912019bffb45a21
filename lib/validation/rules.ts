import { Cond, when } from '../expr/cond';
import { format, Rule } from '../expr/rule';
import { IMAGES } from '../kube-vip/defaults';
import { MANAGED_ENV_NAMES } from '../kube-vip/env';
import { CONTROL_PLANE_HOST_PORTS } from '../kube-vip/node';
import { HOST_KUBECONFIG_VOLUME, SYSTEM_PRIORITY_CLASSES } from '../kube-vip/pod';
import { FIRST_UNTESTED_RELEASE, whenReleaseAtLeast } from '../kube-vip/releases';

/**
 * The checks of a config that need no address arithmetic, as data: lib/validation evaluates
 * them and the chart's `kube-vip.configRules` is compiled from them, messages included. Checks
 * that need CIDR maths (lib/validation/addresses.ts) run in TypeScript only; what real kube-vip
 * does with an accepted config is in lib/kube-vip/node-rules.ts.
 */

const cp = 'values.controlPlane';
const controlPlane = when.set(`${cp}.enabled`);
const staticPod = when.all(controlPlane, when.is(`${cp}.deployment`, 'staticPod'));
const services = when.set('values.services.enabled');
const egress = when.set('values.egress.enabled');
const bgp = when.is('values.announce.mode', 'bgp');
const leaderElection = when.all(controlPlane, when.set(`${cp}.leaderElection.enabled`));
const LEASE_ORDER_FIX = 'make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 15 > 10 > 2';

const FEATURE_RULES: readonly Rule[] = [
  {
    rule: 'feature-none',
    severity: 'error',
    path: 'controlPlane.enabled',
    when: when.not(when.any(controlPlane, services)),
    message: 'and services.enabled are both off; kube-vip exits with "no features are enabled"',
    fix: 'set controlPlane.enabled or services.enabled to true',
  },
  {
    rule: 'static-pod-not-helm',
    severity: 'error',
    path: 'controlPlane.deployment',
    when: when.all(staticPod, when.not(services)),
    message: 'is a kubeadm static pod, which Helm cannot deploy, and nothing else is enabled',
    fix: 'write the static pod with `cdk8s-kube-vip synth -f values.yaml`, or use controlPlane.deployment: daemonset',
    chartOnly: true,
  },
  {
    rule: 'control-plane-address',
    severity: 'error',
    path: 'controlPlane.address',
    when: when.all(controlPlane, when.not(when.set(`${cp}.address`))),
    message: 'is empty but the control plane is on',
    fix: 'set the VIP, e.g. controlPlane.address: 192.168.1.10',
  },
  {
    rule: 'arp-needs-leader-election',
    severity: 'error',
    path: 'controlPlane.leaderElection.enabled',
    when: when.all(controlPlane, when.is('values.announce.mode', 'arp'), when.not(when.set(`${cp}.leaderElection.enabled`))),
    message:
      'does not stop the election in ARP mode: kube-vip v1.2.1 and v1.2.2 elect one leader anyway, then on their default lease plndr-cp-lock and timings, since ours are not written (shown on real kube-vip)',
    fix: 'set controlPlane.leaderElection.enabled: true (only BGP can announce from every node)',
  },
  {
    rule: 'load-balancer-without-control-plane',
    severity: 'warning',
    path: 'controlPlane.loadBalancer.enabled',
    when: when.all(when.not(controlPlane), when.set(`${cp}.loadBalancer.enabled`)),
    message: 'has no effect while the control plane is off',
    fix: 'turn on controlPlane.enabled or remove it',
  },
  {
    rule: 'P5-kubeconfig-static-pod-only',
    severity: 'error',
    path: 'controlPlane.kubeconfig',
    when: when.all(when.is(`${cp}.kubeconfig`, 'superAdmin'), when.not(staticPod)),
    message: 'only applies to a static pod; a DaemonSet authenticates with its ServiceAccount',
    fix: 'set controlPlane.deployment: staticPod, or remove controlPlane.kubeconfig',
  },
  {
    rule: 'P5-kubeconfig-kubeadm-only',
    severity: 'error',
    path: 'controlPlane.kubeconfig',
    when: when.all(when.is(`${cp}.kubeconfig`, 'superAdmin'), when.not(when.is('values.distribution', 'kubeadm'))),
    message: format(
      "is kubeadm's super-admin.conf, which %s does not write; its static pod reads the node kubeconfig of %s",
      'values.distribution',
      'values.distribution',
    ),
    fix: 'remove controlPlane.kubeconfig, or set distribution: kubeadm',
  },
];

const EGRESS_RULES: readonly Rule[] = [
  {
    rule: 'P3-egress-needs-services',
    severity: 'error',
    path: 'egress.enabled',
    when: when.all(egress, when.not(services)),
    message: 'does nothing while services are off',
    fix: 'set services.enabled: true',
  },
  {
    rule: 'P3-egress-needs-election',
    severity: 'error',
    path: 'services.election',
    when: when.all(egress, services, when.not(when.set('values.services.election'))),
    message: "must be on for egress: egress rules follow the node that holds the Service's own lease",
    fix: 'set services.election: true',
  },
  ...(
    [
      ['podCIDR', 'podCIDRs'],
      ['serviceCIDR', 'serviceCIDRs'],
    ] as const
  ).map(([key, facts]): Rule => ({
    rule: 'P3-egress-cidrs',
    severity: 'error',
    path: `egress.${key}`,
    when: when.all(egress, when.not(when.set(`values.egress.${key}`)), when.not(when.set(`values.cluster.${facts}`))),
    message: `is empty: kube-vip would guess it from kube-controller-manager's flags or fall back to a default, and SNAT cluster traffic when the guess is wrong`,
    fix: `set egress.${key} or cluster.${facts}`,
  })),
];

const BGP_RULES: readonly Rule[] = [
  {
    rule: 'bgp-router-id',
    severity: 'error',
    path: 'announce.bgp.routerID',
    when: when.all(bgp, when.not(when.any(when.set('values.announce.bgp.routerID'), when.set('values.announce.bgp.routerInterface')))),
    message: 'and routerInterface are both empty; BGP needs a router ID',
    fix: "set announce.bgp.routerID to this node's IPv4 address, or routerInterface",
  },
  {
    rule: 'bgp-router-id',
    severity: 'error',
    path: 'announce.bgp.routerID',
    // The schema took only addresses: one with a colon is IPv6.
    when: when.all(bgp, when.matches('values.announce.bgp.routerID', ':')),
    message: 'is not an IPv4 address; a BGP router ID is a 32-bit number written as one',
    fix: 'write an IPv4 address',
  },
  {
    rule: 'bgp-peers',
    severity: 'error',
    path: 'announce.bgp.peers',
    when: when.all(bgp, when.not(when.set('values.announce.bgp.peers'))),
    message: 'is empty; kube-vip would announce to nobody',
    fix: 'add at least one peer: {address, as}',
  },
  {
    rule: 'bgp-password-static-pod',
    severity: 'error',
    each: 'values.announce.bgp.peers',
    path: 'password',
    when: when.all(bgp, staticPod, when.set('item.password')),
    message: 'cannot reach a static pod: the kubelet does not resolve Secret references for static pods',
    fix: 'run the control plane as a DaemonSet (controlPlane.deployment: daemonset) to use BGP passwords',
  },
];

const SERVICES_RULES: readonly Rule[] = [
  {
    // kube-vip's docs (ARP mode for Services) and kubespray's (docs/kube-vip.md) require it.
    rule: 'kube-proxy-strict-arp',
    severity: 'error',
    path: 'cluster.kubeProxy.strictARP',
    when: when.all(
      services,
      when.is('values.announce.mode', 'arp'),
      when.is('values.cluster.kubeProxy.mode', 'ipvs'),
      when.not(when.set('values.cluster.kubeProxy.strictARP')),
    ),
    message:
      'is off while kube-proxy runs in IPVS mode: kube-proxy puts every LoadBalancer address on kube-ipvs0 on every node, and without strict ARP every node answers ARP for it, so the address kube-vip announces from one node flaps between all their MACs',
    fix: 'set ipvs.strictARP: true in the kube-proxy ConfigMap (kube-system) and restart kube-proxy, and record it as cluster.kubeProxy.strictARP: true; or announce with BGP',
  },
  {
    rule: 'lb-class-name',
    severity: 'error',
    path: 'services.loadBalancerClass.name',
    when: when.all(
      services,
      when.set('values.services.loadBalancerClass.only'),
      when.not(when.set('values.services.loadBalancerClass.name')),
    ),
    message: 'is empty while only that class is served; no Service would match',
    fix: 'set a class name',
  },
  {
    rule: 'ipam-without-services',
    severity: 'warning',
    path: 'ipam.enabled',
    when: when.all(when.set('values.ipam.enabled'), when.not(services)),
    message: 'hands out addresses nobody announces while services are off',
    fix: 'turn on services.enabled',
  },
];

const EXTRA_ENV_RULES: readonly Rule[] = [
  {
    rule: 'extra-env',
    severity: 'error',
    each: 'values.extraEnv',
    path: '',
    when: when.not(when.set('item.name')),
    message: 'has no name',
    fix: 'write {name: ..., value: ...}',
  },
  {
    rule: 'extra-env-managed',
    severity: 'error',
    each: 'values.extraEnv',
    path: 'name',
    when: when.oneOf('item.name', [...MANAGED_ENV_NAMES].sort()),
    message: 'is set from the model already; two values for one variable would disagree',
    fix: "use the model's field for it instead of extraEnv",
  },
];

/** The field that sets a workload's metrics port: metrics.port when it serves the control plane. */
const METRICS_PORT_FIELDS = [
  ['metrics.port', when.set('workload.controlPlane')],
  ['metrics.servicesPort', when.not(when.set('workload.controlPlane'))],
] as const;

/** kube-vip shares the host network: its metrics port must be free on every node it runs on. */
function metricsPortRules(): Rule[] {
  const apiServer = when.all(controlPlane, when.sameAs('workload.metricsPort', `${cp}.port`));
  const owners: [string, Cond][] = [
    ...Object.entries(CONTROL_PLANE_HOST_PORTS).map(([port, owner]): [string, Cond] => [
      owner,
      when.all(when.is('workload.metricsPort', Number(port)), when.not(apiServer)),
    ]),
    ['the API server (controlPlane.port)', apiServer],
  ];
  return owners.flatMap(([owner, taken]) =>
    METRICS_PORT_FIELDS.map(([path, role]): Rule => ({
      rule: 'port-collision',
      severity: 'error',
      path,
      perWorkload: true,
      when: when.all(role, taken),
      message: `is already used by ${owner} on control-plane nodes (kube-vip runs in the host network)`,
      fix: 'choose a free port, e.g. 2112',
    })),
  );
}

const PORT_AND_TIMING_RULES: readonly Rule[] = [
  ...metricsPortRules(),
  {
    rule: 'port-collision',
    severity: 'error',
    path: 'metrics.servicesPort',
    when: when.all(staticPod, services, when.sameAs('values.metrics.servicesPort', 'values.metrics.port')),
    message: 'equals metrics.port, but the control-plane static pod and the Services DaemonSet share control-plane nodes',
    fix: 'give them different ports, e.g. 2112 and 2113',
  },
  {
    rule: 'lease-timing',
    severity: 'error',
    path: 'controlPlane.leaderElection.renewDeadlineSeconds',
    when: when.all(leaderElection, when.notBelow(`${cp}.leaderElection.renewDeadlineSeconds`, `${cp}.leaderElection.leaseDurationSeconds`)),
    message: format(
      'is not below leaseDurationSeconds (%s); client-go refuses it and the leader could lose the lease while still holding the VIP',
      `${cp}.leaderElection.leaseDurationSeconds`,
    ),
    fix: LEASE_ORDER_FIX,
  },
  {
    rule: 'lease-timing',
    severity: 'error',
    path: 'controlPlane.leaderElection.retryPeriodSeconds',
    when: when.all(leaderElection, when.notBelow(`${cp}.leaderElection.retryPeriodSeconds`, `${cp}.leaderElection.renewDeadlineSeconds`)),
    message: format(
      'is not below renewDeadlineSeconds (%s); the leader gets no second try to renew',
      `${cp}.leaderElection.renewDeadlineSeconds`,
    ),
    fix: LEASE_ORDER_FIX,
  },
];

const RELEASE_RULES: readonly Rule[] = [
  {
    rule: 'release-untested',
    severity: 'warning',
    path: 'image.tag',
    when: whenReleaseAtLeast(FIRST_UNTESTED_RELEASE),
    message: `is newer than ${IMAGES.tag}, the newest release the toolkit's tests run on real kube-vip: the checks that depend on the release judge it by what ${IMAGES.tag} does, and what changed since is not known here`,
    fix: `run ${IMAGES.tag}, or read kube-vip's changes since ${IMAGES.tag} before relying on those checks`,
  },
];

const priorityClass = 'values.scheduling.priorityClassName';
const priority = 'values.scheduling.priority';

/** The pod settings an upstream chart's user brings along: what they can break. */
const POD_RULES: readonly Rule[] = [
  ...(['image.repository', 'image.iptablesRepository', 'image.tag'] as const).map((path): Rule => ({
    rule: 'image-reference',
    severity: 'error',
    path,
    when: when.not(when.set(`values.${path}`)),
    message: 'is empty, which leaves the image reference without it: the kubelet cannot pull that image',
    fix: `leave ${path} out for its default, or set it`,
  })),
  ...['pod.labels', 'metrics.podMonitor.labels'].map((labels): Rule => ({
    rule: 'label-reserved',
    severity: 'error',
    path: '',
    each: `values.${labels}`,
    when: when.matches('item.key', '^(?:app\\.kubernetes\\.io|helm\\.sh)/'),
    message:
      'is a label this toolkit sets itself (the app.kubernetes.io/ and helm.sh/ keys; each DaemonSet selects its pods by two of them)',
    fix: `remove it from ${labels}, or use a key of your own such as example.com/team`,
  })),
  {
    rule: 'image-digest-variant',
    severity: 'error',
    path: 'image.digest',
    when: when.all(when.set('values.image.digest'), when.is('values.image.variant', 'auto')),
    message:
      'names one image, but image.variant auto picks the standard or the iptables image from the enabled features, and their digests differ',
    fix: 'set image.variant to the image the digest is of: standard or iptables',
  },
  {
    rule: 'pull-secrets-static-pod',
    severity: 'warning',
    path: 'image.pullSecrets',
    when: when.all(staticPod, when.any(when.set('values.image.pullSecrets'), when.set('values.global.imagePullSecrets'))),
    message:
      "(and global.imagePullSecrets) are not given to the control-plane static pod: the kubelet runs static pods without the API server, so they cannot use Secrets and pull with the node's own registry credentials",
    fix: "make the image pullable with the nodes' container runtime configuration, or use controlPlane.deployment: daemonset",
  },
  {
    rule: 'static-pod-priority',
    severity: 'warning',
    path: 'scheduling.priorityClassName',
    when: when.all(
      staticPod,
      when.set(priorityClass),
      when.not(when.oneOf(priorityClass, Object.keys(SYSTEM_PRIORITY_CLASSES))),
      when.not(when.set(priority)),
    ),
    message:
      "is not a built-in class, and the kubelet ignores a static pod's class: it runs kube-vip at priority 0, so under node pressure or at shutdown kube-vip goes before ordinary pods, and the VIP with it",
    fix: format('set scheduling.priority to the value of PriorityClass %s, or use system-node-critical', priorityClass),
  },
  ...Object.entries(SYSTEM_PRIORITY_CLASSES).map(([className, value]): Rule => ({
    rule: 'static-pod-priority',
    severity: 'error',
    path: 'scheduling.priority',
    when: when.all(staticPod, when.is(priorityClass, className), when.set(priority), when.not(when.is(priority, value))),
    message: `differs from ${value}, the value of ${className}: the API server refuses a pod whose priority is not its class's, so the static pod's mirror pod is refused`,
    fix: `remove scheduling.priority (0 takes ${value} from the class), or set ${value}`,
  })),
  {
    rule: 'priority-daemonset',
    severity: 'warning',
    path: 'scheduling.priority',
    when: when.all(when.set(priority), when.not(staticPod)),
    message:
      "does nothing: only a static pod takes a numeric priority, and this config has none; a DaemonSet's pods get theirs from priorityClassName",
    fix: 'remove scheduling.priority',
  },
  {
    rule: 'pod-monitor-loopback',
    severity: 'warning',
    path: 'metrics.bindAddress',
    when: when.all(
      when.set('values.metrics.podMonitor.enabled'),
      when.matches('values.metrics.bindAddress', '^(?:127\\.|::1$|::ffff:127\\.)'),
    ),
    message:
      "is a loopback address, which Prometheus cannot reach: it scrapes each pod at the node's address, so the PodMonitors find targets that are all down",
    fix: 'bind the metrics server to a node address, or to all of them (empty), or set metrics.podMonitor.enabled: false',
  },
  {
    rule: 'static-pod-volume',
    severity: 'error',
    path: 'name',
    each: 'values.pod.volumes',
    when: when.all(
      when.any(staticPod, when.all(controlPlane, when.not(when.is('values.distribution', 'kubeadm')))),
      when.is('item.name', HOST_KUBECONFIG_VOLUME),
    ),
    message: "is the name of the volume that mounts the node's kubeconfig; the kubelet refuses a pod with two volumes of one name",
    fix: 'give this volume another name',
  },
];

const SERVICE_ACCOUNT_RULES: readonly Rule[] = [
  {
    rule: 'service-account-missing',
    severity: 'error',
    path: 'serviceAccount.name',
    when: when.all(when.not(when.set('values.serviceAccount.create')), when.not(when.set('values.serviceAccount.name'))),
    message:
      'is empty while serviceAccount.create is false: the DaemonSet would run as a ServiceAccount nobody creates, and its pods would not start',
    fix: 'name the existing ServiceAccount, or set serviceAccount.create: true',
  },
  {
    rule: 'service-account-annotations-unused',
    severity: 'warning',
    path: 'serviceAccount.annotations',
    when: when.all(when.not(when.set('values.serviceAccount.create')), when.set('values.serviceAccount.annotations')),
    message: 'are not written: the ServiceAccount exists already and is not ours to change',
    fix: 'annotate the existing ServiceAccount, or remove serviceAccount.annotations',
  },
];

/** The LoadBalancer Services recorded for validation (KubeVipServicesLB.serve). */
const SERVED_RULES: readonly Rule[] = [
  {
    rule: 'service-egress-off',
    severity: 'error',
    path: 'egress',
    each: 'values.cluster.loadBalancerServices',
    when: when.all(when.set('item.egress'), when.not(egress)),
    message: format("of Service %s is asked for, but egress is off: its pods' traffic would leave with the node's address", 'item.service'),
    fix: 'add an EgressGateway (egress.enabled: true), or leave egress off for this Service',
  },
  {
    rule: 'service-not-served',
    severity: 'error',
    path: 'service',
    each: 'values.cluster.loadBalancerServices',
    when: when.not(services),
    message: 'is a LoadBalancer Service for kube-vip, but Services are off: nothing announces its address',
    fix: 'set services.enabled: true (add a KubeVipServicesLB)',
  },
];

/**
 * Node groups (values.nodeGroups): each group is a DaemonSet of its own on the same leases, so
 * two groups on one node would elect with one identity (the node's name) and both announce.
 */
const groups = 'values.nodeGroups';
const NODE_GROUP_RULES: readonly Rule[] = [
  {
    rule: 'node-group-name-empty',
    severity: 'error',
    path: 'name',
    each: groups,
    when: when.not(when.set('item.name')),
    message: "is empty; the group's DaemonSet needs a name of its own, <name>-<group>",
    fix: 'name the group after its nodes, e.g. name: dell',
  },
  {
    rule: 'node-group-selector-empty',
    severity: 'error',
    path: 'nodeSelector',
    each: groups,
    when: when.not(when.set('item.nodeSelector')),
    message: 'is empty, so the group takes every node and no node is left for another group',
    fix: 'select the nodes by a label, e.g. nodeSelector: {example.com/nic: eno1}',
  },
  {
    rule: 'node-group-interface-empty',
    severity: 'error',
    path: 'interface',
    each: groups,
    when: when.not(when.any(when.set('item.interface'), when.set('item.servicesInterface'))),
    message: 'and servicesInterface are both empty, so the group changes no interface',
    fix: 'set the interface its nodes have, e.g. interface: eno1 (see `ip -br link` on one of them)',
  },
  {
    rule: 'node-group-selector-conflict',
    severity: 'error',
    path: 'nodeSelector',
    each: groups,
    when: when.disjoint('item.nodeSelector', 'values.scheduling.nodeSelector'),
    message: 'gives a label another value than scheduling.nodeSelector does, so the group selects no node',
    fix: 'use the same value in both, or keep the label in one of them',
  },
  {
    rule: 'node-group-name-duplicate',
    severity: 'error',
    path: 'name',
    each: groups,
    pairs: true,
    when: when.sameText('item.name', 'other.name'),
    message: 'names an earlier group too, and both would write one DaemonSet',
    fix: 'give each group a name of its own',
  },
  {
    rule: 'node-group-overlap',
    severity: 'error',
    path: 'nodeSelector',
    each: groups,
    pairs: true,
    when: when.not(when.disjoint('item.nodeSelector', 'other.nodeSelector')),
    message: format(
      "can select a node group %s selects too (no label they both set has different values): there two kube-vips elect on one lease with one identity, the node's name, and both announce",
      'other.name',
    ),
    fix: 'give both groups one label with different values, e.g. example.com/nic: eno1 and example.com/nic: ens192',
  },
  {
    rule: 'node-groups-static-pod',
    severity: 'error',
    path: 'nodeGroups',
    when: when.all(when.set(groups), staticPod, when.not(services)),
    message: 'split DaemonSets, and this config has none: the control plane runs as a static pod, which takes interface',
    fix: "remove nodeGroups, and write each node's static pod with its interface (e.g. synth --set interface=eno1)",
  },
  {
    rule: 'node-groups-static-pod',
    severity: 'warning',
    path: 'nodeGroups',
    when: when.all(when.set(groups), staticPod, services),
    message: 'split the Services DaemonSet only: the control-plane static pod takes interface on every node',
    fix: "write each node's static pod with its interface (e.g. synth --set interface=eno1)",
  },
  ...METRICS_PORT_FIELDS.map(([path, role]): Rule => ({
    rule: 'port-range',
    severity: 'error',
    path,
    perWorkload: true,
    when: when.all(role, when.above('workload.metricsPort', 65535)),
    message: format(
      'gives the node group DaemonSet %s the metrics port %s, above 65535 (each group adds 2)',
      'workload.name',
      'workload.metricsPort',
    ),
    fix: 'lower the port, or use fewer node groups',
  })),
  {
    rule: 'port-collision',
    severity: 'error',
    path: 'metrics.servicesPort',
    perWorkload: true,
    when: when.all(staticPod, when.set('workload.group.metricsOffset'), when.sameAs('workload.metricsPort', 'values.metrics.port')),
    message: format(
      'gives the node group DaemonSet %s the metrics port %s (each group adds 2), which the control-plane static pod uses (metrics.port) on the nodes they share',
      'workload.name',
      'workload.metricsPort',
    ),
    fix: 'choose metrics.servicesPort so that no group reaches metrics.port (each group adds 2), e.g. metrics.port 2112 and metrics.servicesPort 2113',
  },
];

export const CONFIG_RULES: readonly Rule[] = [
  ...FEATURE_RULES,
  ...EGRESS_RULES,
  ...BGP_RULES,
  ...SERVICES_RULES,
  ...EXTRA_ENV_RULES,
  ...PORT_AND_TIMING_RULES,
  ...RELEASE_RULES,
  ...POD_RULES,
  ...SERVED_RULES,
  ...SERVICE_ACCOUNT_RULES,
  ...NODE_GROUP_RULES,
];
