import { Construct } from 'constructs';
import { EgressBackend, SERVICE_ANNOTATIONS } from '../kube-vip/defaults';
import { IptablesImage, KubeVipImage, NeedsIptablesImage, Refused } from './image';
import { KubeVipServicesLB } from './services-lb';

export interface EgressGatewayProps {
  /** Pod CIDR excluded from SNAT; required, so kube-vip never guesses it (P3). Dual stack: "v4,v6". */
  readonly podCIDR: string;
  /** Service CIDR excluded from SNAT; required for the same reason. */
  readonly serviceCIDR: string;
  /** nftables or iptables rules. @default EgressBackend.NFTABLES */
  readonly backend?: EgressBackend;
  /** Remove stale egress rules when kube-vip starts (P3). @default true */
  readonly cleanOnStart?: boolean;
}

/**
 * Traffic from the pods of a Service annotated `kube-vip.io/egress: "true"` (with
 * externalTrafficPolicy: Local) leaves with the Service's address. Egress rules follow the
 * Service's own lease, so it needs per-Service election, and the iptables image (P3).
 */
/**
 * A KubeVipServicesLB that can carry egress: the iptables image and per-Service election. The
 * conditional part names the fix in the compiler's message when one is missing.
 */
export type EgressScope<I extends KubeVipImage, E extends boolean> = KubeVipServicesLB<I, E> &
  (I extends IptablesImage
    ? E extends true
      ? unknown
      : Refused<'egress rules follow the per-Service lease: create the KubeVipServicesLB with election: true'>
    : NeedsIptablesImage<'egress runs the iptables binaries: use KubeVipImage.iptables()'>);

export class EgressGateway<I extends KubeVipImage = IptablesImage, E extends boolean = true> extends Construct {
  /** Annotations that turn egress on for a Service. */
  public static readonly SERVICE_ANNOTATIONS: Readonly<Record<string, string>> = { [SERVICE_ANNOTATIONS.egress]: 'true' };

  public constructor(scope: EgressScope<I, E>, id: string, props: EgressGatewayProps) {
    super(scope, id);
    scope.kubeVip.addValues(
      {
        egress: {
          enabled: true,
          podCIDR: props.podCIDR,
          serviceCIDR: props.serviceCIDR,
          backend: props.backend,
          cleanOnStart: props.cleanOnStart,
        },
      },
      this,
    );
  }
}
