import { Construct } from 'constructs';
import { ControlPlaneDeployment, ForwardingMethod, StaticPodKubeconfig } from '../kube-vip/defaults';
import { IptablesImage, KubeVipImage, NeedsIptablesImage } from './image';
import { KubeVip } from './kube-vip';

/** Masquerade rewrites packets with iptables NAT rules: only the iptables image can run it (P1). */
export type ForwardingMethodFor<I extends KubeVipImage> = I extends IptablesImage
  ? ForwardingMethod
  : | Exclude<ForwardingMethod, ForwardingMethod.MASQUERADE>
    | NeedsIptablesImage<'masquerade forwarding runs the iptables binaries: use KubeVipImage.iptables()'>;

export interface ControlPlaneLoadBalancer<I extends KubeVipImage> {
  /** Port IPVS listens on at the VIP (lb_port). @default 6443 */
  readonly port?: number;
  /** IPVS forwarding method; masquerade needs a privileged container, and the iptables image before v1.2.2. @default ForwardingMethod.LOCAL */
  readonly forwardingMethod?: ForwardingMethodFor<I>;
}

export interface LeaderElection {
  /** Leader election; ARP and routing-table modes need it, BGP may announce from every node. @default true */
  readonly enabled?: boolean;
  /** Lease name; empty = <name>-cp-lock. @default "" */
  readonly leaseName?: string;
  /** Lease duration; above retryPeriodSeconds + 2 x renewDeadlineSeconds, or a leader cut off from the API server still holds the VIP when another node takes it. 6 (not kube-vip's 15): a lost leader's VIP back in about 8 s, never on two nodes (README, What survives what). @default 6 */
  readonly leaseDurationSeconds?: number;
  /** Renew deadline; below the lease duration. 2 (not kube-vip's 10): the leader steps down 2 s into an API server that does not answer. @default 2 */
  readonly renewDeadlineSeconds?: number;
  /** Retry period; below the renew deadline. 1 (not kube-vip's 2): each kube-vip asks the API server once a second per lease. @default 1 */
  readonly retryPeriodSeconds?: number;
}

/** Where the control-plane VIP runs. */
export class ControlPlaneWorkload {
  /** A DaemonSet on control-plane nodes, authenticating with its ServiceAccount. */
  public static daemonSet(): ControlPlaneWorkload {
    return new ControlPlaneWorkload(ControlPlaneDeployment.DAEMON_SET, StaticPodKubeconfig.ADMIN);
  }

  /**
   * A kubeadm static pod with the host's kubeconfig. On kubeadm >= 1.29, use
   * StaticPodKubeconfig.SUPER_ADMIN for the first control-plane node during `kubeadm init` (P5).
   */
  public static staticPod(kubeconfig: StaticPodKubeconfig = StaticPodKubeconfig.ADMIN): ControlPlaneWorkload {
    return new ControlPlaneWorkload(ControlPlaneDeployment.STATIC_POD, kubeconfig);
  }

  private constructor(
    public readonly deployment: ControlPlaneDeployment,
    public readonly kubeconfig: StaticPodKubeconfig,
  ) {}
}

export interface KubeVipControlPlaneProps<I extends KubeVipImage> {
  /** The VIP: one address, or an IPv4 and an IPv6 address comma separated. */
  readonly address: string;
  /** API server port behind the VIP. @default 6443 */
  readonly port?: number;
  /** Where the VIP runs: a DaemonSet, or a kubeadm static pod (controlPlane.deployment, controlPlane.kubeconfig). @default ControlPlaneWorkload.daemonSet() */
  readonly workload?: ControlPlaneWorkload;
  /** One node holds the VIP at a time. @default each field's default */
  readonly leaderElection?: LeaderElection;
  /** IPVS load balancing of API server traffic arriving on the VIP. @default off */
  readonly loadBalancer?: ControlPlaneLoadBalancer<I>;
}

/** A highly available address for the Kubernetes API server. */
export class KubeVipControlPlane<I extends KubeVipImage> extends Construct {
  public constructor(scope: KubeVip<I>, id: string, props: KubeVipControlPlaneProps<I>) {
    super(scope, id);
    const workload = props.workload ?? ControlPlaneWorkload.daemonSet();
    scope.addValues(
      {
        controlPlane: {
          enabled: true,
          address: props.address,
          port: props.port,
          deployment: workload.deployment,
          kubeconfig: workload.kubeconfig,
          leaderElection: props.leaderElection,
          // No value has a Refused type: what is left is a ForwardingMethod.
          loadBalancer: props.loadBalancer
            ? {
                enabled: true,
                port: props.loadBalancer.port,
                forwardingMethod: props.loadBalancer.forwardingMethod as ForwardingMethod | undefined,
              }
            : undefined,
        },
      },
      this,
    );
  }
}
