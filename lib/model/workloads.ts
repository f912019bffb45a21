import { Cond, holds, when } from '../expr/cond';
import { evaluate, Expr, expr } from '../expr/value';
import { bgpPeersValue } from '../kube-vip/bgp-peers';
import { ImageVariant, KUBECONFIG_HOST_PATHS, LEASE_TIMINGS, StaticPodKubeconfig } from '../kube-vip/defaults';
import { Distribution, NODE_KUBECONFIGS } from '../kube-vip/distributions';
import { NODE_ADDRESS_ENV } from '../kube-vip/env';
import { IptablesNeed, IPTABLES_NEEDS } from '../kube-vip/iptables';
import { SYSTEM_PRIORITY_CLASSES } from '../kube-vip/pod';
import { CLOUD_PROVIDER_NAMES } from './cloud-provider';
import { KubeVipValues } from './values';

export enum WorkloadKind {
  DAEMON_SET = 'DaemonSet',
  STATIC_POD = 'StaticPod',
}

/**
 * The node group a workload serves (values.nodeGroups): the one it was made for, or NO_GROUP.
 * `workload.group.` paths read it.
 */
export interface WorkloadGroup {
  readonly name: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly interface: string;
  readonly servicesInterface: string;
  /** Added to the workload's metrics port: 2 per position, so control-plane and Services ports never meet. */
  readonly metricsOffset: number;
}

export const NO_GROUP: WorkloadGroup = Object.freeze({
  name: '',
  nodeSelector: {},
  interface: '',
  servicesInterface: '',
  metricsOffset: 0,
});

/** The kinds of WorkloadGroup's scalar fields, for the chart compiler. */
export const GROUP_FIELD_KINDS = { name: 'string', interface: 'string', servicesInterface: 'string', metricsOffset: 'integer' } as const;

/** What a group adds per position: the metrics port steps by 2, past the other role's port. */
export const GROUP_METRICS_STEP = 2;

/**
 * A workload's health endpoint listens this far above its metrics port (3112 for the control
 * plane, 3113 for Services by default): the metrics ports of the workloads that may share a node
 * differ already, so the health ports do too, without a port setting of their own.
 */
export const HEALTH_PORT_ABOVE_METRICS = 1000;

export interface ImageChoice {
  readonly variant: ImageVariant.STANDARD | ImageVariant.IPTABLES;
  readonly reference: string;
  /** The features that need the iptables image, whether or not it was picked. */
  readonly needs: readonly IptablesNeed[];
}

/**
 * One kube-vip pod template and everything derived for it. A config gives one workload,
 * or two when the control plane runs as a static pod and Services are on as well.
 * The `workload.` paths of the env and RBAC tables read these fields.
 */
export interface Workload {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly controlPlane: boolean;
  readonly services: boolean;
  readonly group: WorkloadGroup;
  /** scheduling.nodeSelector with the group's labels. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** vip_interface and vip_servicesinterface: the group's, else the deployment's. */
  readonly interface: string;
  readonly servicesInterface: string;
  /** app.kubernetes.io/component of its objects. */
  readonly component: string;
  readonly instanceName: string;
  /** The ServiceAccount a DaemonSet runs as, and its RBAC is bound to. */
  readonly serviceAccountName: string;
  readonly metricsPort: number;
  /** health_check_port: HEALTH_PORT_ABOVE_METRICS above the metrics port, so it meets no other workload's port. */
  readonly healthPort: number;
  /** prometheus_server: host and port, an IPv6 host in brackets; no host = every address. */
  readonly metricsAddress: string;
  /** A static pod's numeric priority (the kubelet ignores its class); 0 for a DaemonSet, whose class gives it. */
  readonly priority: number;
  readonly leaseNamespace: string;
  /** The cloud provider's object name (<name>-cloud-provider), which no object of this workload may take. */
  readonly cloudProviderName: string;
  readonly controlPlaneLease: string;
  readonly servicesLease: string;
  /**
   * The timings of every election the workload runs (kube-vip reads one set, for the control
   * plane's lease and the Services' alike): the control plane's settings where it serves the
   * control plane, else ours (LEASE_TIMINGS), since a Services-only workload has no settings
   * of its own, in the values or in the constructs.
   */
  readonly leaseDurationSeconds: number;
  readonly renewDeadlineSeconds: number;
  readonly retryPeriodSeconds: number;
  readonly bgpPeers: string;
  /**
   * The node's kubeconfig the pod mounts (host path): the static pod's, and a control-plane
   * DaemonSet's on k3s or rke2; empty: the pod uses its ServiceAccount.
   */
  readonly hostKubeconfig: string;
  /** With a host kubeconfig, the way to the node's own API server (`kubernetes` is a host alias of 127.0.0.1). */
  readonly localApiServer: string;
  readonly egressPodCIDR: string;
  readonly egressServiceCIDR: string;
  readonly image: ImageChoice;
  /** IPVS masquerade needs a privileged container; nothing else does. */
  readonly privileged: boolean;
  /** The iptables image needs a writable /run under a read-only root (RUN_VOLUME). */
  readonly writableRun: boolean;
}

const controlPlane = when.set('values.controlPlane.enabled');
const staticPod = when.all(controlPlane, when.is('values.controlPlane.deployment', 'staticPod'));
const services = when.set('values.services.enabled');
const name = expr.read('values.name');

/**
 * One image for the whole config, also where a static pod and a DaemonSet split it: the
 * iptables image has everything the standard one has, and one choice is easier to reason about.
 * With variant auto, the iptables image exactly when an enabled feature needs it.
 */
export const IPTABLES_IMAGE: Cond = when.any(
  when.is('values.image.variant', ImageVariant.IPTABLES),
  when.all(when.is('values.image.variant', ImageVariant.AUTO), when.any(...IPTABLES_NEEDS.map((need) => need.when))),
);

/** A workload a config can give: it exists when `when` holds. */
export interface WorkloadSlot {
  readonly kind: WorkloadKind;
  readonly when: Cond;
  readonly name: Expr;
  readonly controlPlane: Expr;
  readonly services: Expr;
  /** One workload per node group when values.nodeGroups has any (DaemonSets; a static pod is per node anyway). */
  readonly perNodeGroup: boolean;
}

const daemonSetName = expr.ifElse(staticPod, expr.format('%s-services', name), name);

/**
 * The workload plan, in order: a kubeadm static pod for the control plane when asked for, and
 * a DaemonSet for whatever else is on (one per node group). Next to a static pod on the same
 * nodes, the DaemonSet needs a name of its own.
 */
export const WORKLOAD_SLOTS: readonly WorkloadSlot[] = [
  {
    kind: WorkloadKind.STATIC_POD,
    when: staticPod,
    name,
    controlPlane: expr.literal(true),
    services: expr.literal(false),
    perNodeGroup: false,
  },
  {
    kind: WorkloadKind.DAEMON_SET,
    when: when.any(when.all(controlPlane, when.not(staticPod)), services),
    name: expr.ifElse(
      when.set('workload.group.name'),
      expr.format('%s-%s', daemonSetName, expr.read('workload.group.name')),
      daemonSetName,
    ),
    controlPlane: expr.test(when.all(controlPlane, when.not(staticPod))),
    services: expr.test(services),
    perNodeGroup: true,
  },
];

/** A fact derived for each workload; facts are derived in order and may read earlier ones. */
export interface WorkloadFact {
  readonly fact: Exclude<keyof Workload, 'kind' | 'name' | 'controlPlane' | 'services' | 'group' | 'nodeSelector' | 'image' | 'bgpPeers'>;
  readonly kind: 'string' | 'integer' | 'boolean';
  readonly value: Expr;
}

const role = (cond: Cond, then: string, otherwise: Expr) => expr.ifElse(cond, expr.literal(then), otherwise);
const cpRole = when.set('workload.controlPlane');

export const WORKLOAD_FACTS: readonly WorkloadFact[] = [
  {
    fact: 'component',
    kind: 'string',
    value: role(
      when.all(cpRole, when.set('workload.services')),
      'control-plane-and-services',
      role(cpRole, 'control-plane', expr.literal('services')),
    ),
  },
  // Distinct per group: a node moving between groups briefly runs both, and kube-vip names its rules after it.
  { fact: 'instanceName', kind: 'string', value: expr.read('workload.name') },
  { fact: 'interface', kind: 'string', value: expr.orElse(expr.read('workload.group.interface'), expr.read('values.interface')) },
  {
    fact: 'servicesInterface',
    kind: 'string',
    value: expr.orElse(expr.read('workload.group.servicesInterface'), expr.read('values.services.interface')),
  },
  { fact: 'serviceAccountName', kind: 'string', value: expr.orElse(expr.read('values.serviceAccount.name'), expr.read('workload.name')) },
  { fact: 'cloudProviderName', kind: 'string', value: CLOUD_PROVIDER_NAMES.name },
  {
    fact: 'metricsPort',
    kind: 'integer',
    value: expr.sum(
      expr.ifElse(cpRole, expr.read('values.metrics.port'), expr.read('values.metrics.servicesPort')),
      expr.read('workload.group.metricsOffset'),
    ),
  },
  { fact: 'healthPort', kind: 'integer', value: expr.sum(expr.read('workload.metricsPort'), expr.literal(HEALTH_PORT_ABOVE_METRICS)) },
  {
    fact: 'metricsAddress',
    kind: 'string',
    value: expr.format(
      '%s:%d',
      expr.ifElse(
        when.set('values.metrics.bindAddress'),
        expr.ifElse(
          when.matches('values.metrics.bindAddress', ':'),
          expr.format('[%s]', expr.read('values.metrics.bindAddress')),
          expr.read('values.metrics.bindAddress'),
        ),
        // Go takes either family in brackets; the kubelet fills the variable in (NODE_ADDRESS_ENV).
        expr.literal(`[$(${NODE_ADDRESS_ENV})]`),
      ),
      expr.read('workload.metricsPort'),
    ),
  },
  {
    fact: 'priority',
    kind: 'integer',
    value: expr.ifElse(
      when.is('workload.kind', WorkloadKind.STATIC_POD),
      expr.orElse(
        expr.read('values.scheduling.priority'),
        Object.entries(SYSTEM_PRIORITY_CLASSES).reduceRight(
          (otherwise, [className, value]) =>
            expr.ifElse(when.is('values.scheduling.priorityClassName', className), expr.literal(value), otherwise),
          expr.literal(0),
        ),
      ),
      expr.literal(0),
    ),
  },
  { fact: 'leaseNamespace', kind: 'string', value: expr.read('values.namespace') },
  {
    fact: 'controlPlaneLease',
    kind: 'string',
    value: expr.orElse(expr.read('values.controlPlane.leaderElection.leaseName'), expr.format('%s-cp-lock', name)),
  },
  { fact: 'servicesLease', kind: 'string', value: expr.orElse(expr.read('values.services.leaseName'), expr.format('%s-svcs-lock', name)) },
  ...(['leaseDurationSeconds', 'renewDeadlineSeconds', 'retryPeriodSeconds'] as const).map((timing): WorkloadFact => ({
    fact: timing,
    kind: 'integer',
    value: expr.ifElse(cpRole, expr.read(`values.controlPlane.leaderElection.${timing}`), expr.literal(LEASE_TIMINGS[timing])),
  })),
  {
    fact: 'hostKubeconfig',
    kind: 'string',
    value: expr.ifElse(
      when.all(when.is('values.distribution', Distribution.KUBEADM), when.is('workload.kind', WorkloadKind.STATIC_POD)),
      expr.ifElse(
        when.is('values.controlPlane.kubeconfig', StaticPodKubeconfig.SUPER_ADMIN),
        expr.literal(KUBECONFIG_HOST_PATHS[StaticPodKubeconfig.SUPER_ADMIN]),
        expr.literal(KUBECONFIG_HOST_PATHS[StaticPodKubeconfig.ADMIN]),
      ),
      // k3s and rke2: their node kubeconfig, for every workload that serves the control plane.
      expr.ifElse(
        cpRole,
        Object.entries(NODE_KUBECONFIGS).reduceRight(
          (otherwise, [distribution, path]) => expr.ifElse(when.is('values.distribution', distribution), expr.literal(path), otherwise),
          expr.literal(''),
        ),
        expr.literal(''),
      ),
    ),
  },
  {
    fact: 'localApiServer',
    kind: 'string',
    value: expr.ifElse(
      when.set('workload.hostKubeconfig'),
      expr.format('kubernetes:%d', expr.read('values.controlPlane.port')),
      expr.literal(''),
    ),
  },
  {
    fact: 'egressPodCIDR',
    kind: 'string',
    value: expr.orElse(expr.read('values.egress.podCIDR'), expr.join('values.cluster.podCIDRs', ',')),
  },
  {
    fact: 'egressServiceCIDR',
    kind: 'string',
    value: expr.orElse(expr.read('values.egress.serviceCIDR'), expr.join('values.cluster.serviceCIDRs', ',')),
  },
  {
    fact: 'privileged',
    kind: 'boolean',
    value: expr.test(
      when.all(
        cpRole,
        when.set('values.controlPlane.loadBalancer.enabled'),
        when.is('values.controlPlane.loadBalancer.forwardingMethod', 'masquerade'),
      ),
    ),
  },
  { fact: 'writableRun', kind: 'boolean', value: expr.test(IPTABLES_IMAGE) },
];

const repository = expr.ifElse(IPTABLES_IMAGE, expr.read('values.image.iptablesRepository'), expr.read('values.image.repository'));

/** A repository's registry: its first part when that names a host (a dot, a port, or localhost), as container runtimes read it. */
const REGISTRY_PREFIX = '[^/]*[.:][^/]*/|localhost/';

/** Helm's global.imageRegistry takes the place of a repository's registry. */
export function fromRegistry(repository: Expr): Expr {
  return expr.ifElse(
    when.set('values.global.imageRegistry'),
    expr.format('%s/%s', expr.read('values.global.imageRegistry'), expr.withoutPrefix(repository, REGISTRY_PREFIX)),
    repository,
  );
}

/**
 * An image reference from the repository and the tag and digest at `image` (an image's values):
 * repository:tag, or with a digest repository:tag@digest, which the kubelet pulls by the digest
 * while the tag stays for people.
 */
export function imageReference(repository: Expr, image: string): Expr {
  const digest = `${image}.digest`;
  return expr.format(
    '%s:%s%s',
    fromRegistry(repository),
    expr.read(`${image}.tag`),
    expr.ifElse(when.set(digest), expr.format('@%s', expr.read(digest)), expr.literal('')),
  );
}

export const IMAGE_CHOICE = {
  variant: expr.ifElse(IPTABLES_IMAGE, expr.literal(ImageVariant.IPTABLES), expr.literal(ImageVariant.STANDARD)),
  reference: imageReference(repository, 'values.image'),
} as const;

/** The groups a slot's workloads are made for: NO_GROUP alone unless the slot splits and groups are set. */
export function groupsOf(slot: WorkloadSlot, values: KubeVipValues): WorkloadGroup[] {
  if (!slot.perNodeGroup || values.nodeGroups.length === 0) return [NO_GROUP];
  return values.nodeGroups.map((group, i) => ({ ...NO_GROUP, ...group, metricsOffset: i * GROUP_METRICS_STEP }));
}

export function planWorkloads(values: KubeVipValues): Workload[] {
  const image = chooseImage(values);
  const bgpPeers = bgpPeersValue(values.announce.bgp.peers);
  return WORKLOAD_SLOTS.filter((slot) => holds(slot.when, { values, workload: {} })).flatMap((slot) =>
    groupsOf(slot, values).map((group) => {
      const base = { values, workload: { group } };
      const workload: Record<string, unknown> = {
        kind: slot.kind,
        name: evaluate(slot.name, base),
        controlPlane: evaluate(slot.controlPlane, base),
        services: evaluate(slot.services, base),
        group,
        // The group's labels win; a key both set differently is refused (node-group-selector-conflict).
        nodeSelector: { ...values.scheduling.nodeSelector, ...group.nodeSelector },
      };
      for (const { fact, value } of WORKLOAD_FACTS) workload[fact] = evaluate(value, { values, workload });
      return { ...workload, bgpPeers, image } as unknown as Workload;
    }),
  );
}

/** The enabled features of this config that need the iptables image. */
export function iptablesNeeds(values: KubeVipValues): IptablesNeed[] {
  return IPTABLES_NEEDS.filter((need) => holds(need.when, { values, workload: {} }));
}

export function chooseImage(values: KubeVipValues): ImageChoice {
  const scope = { values, workload: {} };
  return {
    variant: evaluate(IMAGE_CHOICE.variant, scope) as ImageChoice['variant'],
    reference: String(evaluate(IMAGE_CHOICE.reference, scope)),
    needs: iptablesNeeds(values),
  };
}
