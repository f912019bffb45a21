import { Construct } from 'constructs';
import { IptablesImage, KubeVipImage, NeedsIptablesImage } from './image';
import { KubeVip } from './kube-vip';

export interface LoadBalancerClassOptions {
  /** Class this kube-vip serves. @default kube-vip.io/kube-vip-class */
  readonly name?: string;
  /** Serve only Services of that class. @default false */
  readonly only?: boolean;
  /** Also serve Services without a class. @default true */
  readonly legacyHandling?: boolean;
}

interface CommonServicesProps<E extends boolean> {
  /** Per-Service leader election, spreading Services over nodes; egress needs it. @default true */
  readonly election?: E;
  /** Lease for all Services when election is off; empty = <name>-svcs-lock. @default "" */
  readonly leaseName?: string;
  /** Interface for Service addresses (vip_servicesinterface); empty = interface. @default "" */
  readonly interface?: string;
  /** Only watch Services in this namespace; empty = all namespaces. @default "" */
  readonly watchNamespace?: string;
  /** LoadBalancerClass filtering. @default each field's default */
  readonly loadBalancerClass?: LoadBalancerClassOptions;
  /** Label the node holding a Service address with kube-vip.io/has-ip. @default false */
  readonly nodeLabeling?: boolean;
}

/** Port security filters traffic with iptables: it needs the iptables image (P2). */
export type KubeVipServicesLBProps<I extends KubeVipImage, E extends boolean> = CommonServicesProps<E> &
  (I extends IptablesImage
    ? { readonly onlyAllowTrafficServicePorts?: boolean }
    : {
        readonly onlyAllowTrafficServicePorts?:
          | false
          | NeedsIptablesImage<'port security (onlyAllowTrafficServicePorts) runs the iptables binaries: use KubeVipImage.iptables()'>;
      });

/** Addresses for Services of type LoadBalancer. */
export class KubeVipServicesLB<I extends KubeVipImage, E extends boolean = true> extends Construct {
  public readonly kubeVip: KubeVip<I>;
  public readonly election: E;

  public constructor(scope: KubeVip<I>, id: string, props: KubeVipServicesLBProps<I, E> = {} as KubeVipServicesLBProps<I, E>) {
    super(scope, id);
    this.kubeVip = scope;
    this.election = (props.election ?? true) as E;
    scope.addValues(
      {
        services: {
          enabled: true,
          election: props.election,
          leaseName: props.leaseName,
          interface: props.interface,
          watchNamespace: props.watchNamespace,
          loadBalancerClass: props.loadBalancerClass,
          // No value has a Refused type: what is left is a boolean.
          onlyAllowTrafficServicePorts: props.onlyAllowTrafficServicePorts as boolean | undefined,
          nodeLabeling: props.nodeLabeling,
        },
      },
      this,
    );
  }
}
