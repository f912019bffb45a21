import { ControlPlaneDeployment, ForwardingMethod, ImageVariant } from '../kube-vip/defaults';
import { IptablesNeed, IPTABLES_NEEDS } from '../kube-vip/iptables';
import { holds } from '../expr/cond';
import { bgpPeersValue } from '../kube-vip/bgp-peers';
import { KubeVipValues } from './values';

export enum WorkloadKind {
  DAEMON_SET = 'DaemonSet',
  STATIC_POD = 'StaticPod',
}

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
  readonly instanceName: string;
  readonly metricsPort: number;
  readonly metricsAddress: string;
  readonly leaseNamespace: string;
  readonly controlPlaneLease: string;
  readonly servicesLease: string;
  readonly bgpPeers: string;
  /** A static pod's way to its node's API server (`kubernetes` is a host alias of 127.0.0.1); empty for a DaemonSet. */
  readonly localApiServer: string;
  readonly egressPodCIDR: string;
  readonly egressServiceCIDR: string;
  readonly image: ImageChoice;
  /** IPVS masquerade needs a privileged container; nothing else does. */
  readonly privileged: boolean;
}

export function planWorkloads(values: KubeVipValues): Workload[] {
  const cp = values.controlPlane.enabled;
  const staticPod = cp && values.controlPlane.deployment === ControlPlaneDeployment.STATIC_POD;
  const workloads: Workload[] = [];
  if (staticPod) workloads.push(workload(values, WorkloadKind.STATIC_POD, values.name, true, false));
  if ((cp && !staticPod) || values.services.enabled) {
    // Next to a static pod on the same nodes, the DaemonSet needs a name of its own.
    const name = staticPod ? `${values.name}-services` : values.name;
    workloads.push(workload(values, WorkloadKind.DAEMON_SET, name, cp && !staticPod, values.services.enabled));
  }
  return workloads;
}

function workload(values: KubeVipValues, kind: WorkloadKind, name: string, controlPlane: boolean, services: boolean): Workload {
  const metricsPort = controlPlane ? values.metrics.port : values.metrics.servicesPort;
  return {
    kind,
    name,
    controlPlane,
    services,
    instanceName: name,
    metricsPort,
    metricsAddress: `:${metricsPort}`,
    leaseNamespace: values.namespace,
    controlPlaneLease: values.controlPlane.leaderElection.leaseName || `${values.name}-cp-lock`,
    servicesLease: values.services.leaseName || `${values.name}-svcs-lock`,
    bgpPeers: bgpPeersValue(values.announce.bgp.peers),
    localApiServer: kind === WorkloadKind.STATIC_POD ? `kubernetes:${values.controlPlane.port}` : '',
    egressPodCIDR: values.egress.podCIDR || values.cluster.podCIDRs.join(','),
    egressServiceCIDR: values.egress.serviceCIDR || values.cluster.serviceCIDRs.join(','),
    image: chooseImage(values),
    privileged:
      controlPlane &&
      values.controlPlane.loadBalancer.enabled &&
      values.controlPlane.loadBalancer.forwardingMethod === ForwardingMethod.MASQUERADE,
  };
}

/** The enabled features of this config that need the iptables image. */
export function iptablesNeeds(values: KubeVipValues): IptablesNeed[] {
  return IPTABLES_NEEDS.filter((need) => holds(need.when, { values, workload: {} }));
}

/**
 * One image for the whole config, also where a static pod and a DaemonSet split it: the
 * iptables image has everything the standard one has, and one choice is easier to reason about.
 */
export function chooseImage(values: KubeVipValues): ImageChoice {
  const needs = iptablesNeeds(values);
  const variant =
    values.image.variant === ImageVariant.AUTO
      ? needs.length > 0
        ? ImageVariant.IPTABLES
        : ImageVariant.STANDARD
      : (values.image.variant as ImageVariant.STANDARD | ImageVariant.IPTABLES);
  const repository = variant === ImageVariant.IPTABLES ? values.image.iptablesRepository : values.image.repository;
  return { variant, reference: `${repository}:${values.image.tag}`, needs };
}
