import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Service, ServiceType } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KUBE_VIP_DEFAULTS, SERVICE_ANNOTATIONS } from '../kube-vip/defaults';
import { EgressGateway } from './egress-gateway';
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

export interface ServeOptions {
  /**
   * The address the Service asks for (annotation kube-vip.io/loadbalancerIPs): one address, or an
   * IPv4 and an IPv6 address comma separated. Checked with the VIP and the pools: a node or
   * API-server address, one in the cluster networks or another announced one is refused (P4).
   * @default "" (kube-vip-cloud-provider assigns one from the pools)
   */
  readonly address?: string;
  /**
   * Traffic from the Service's pods leaves with its address: annotation kube-vip.io/egress and
   * externalTrafficPolicy: Local. Needs an EgressGateway on this deployment.
   * @default false
   */
  readonly egress?: boolean;
}

/** Addresses for Services of type LoadBalancer. */
export class KubeVipServicesLB<I extends KubeVipImage, E extends boolean = true> extends Construct {
  public readonly kubeVip: KubeVip<I>;
  public readonly election: E;
  private readonly classOnly: string | undefined;
  private readonly served = new Set<string>();

  public constructor(scope: KubeVip<I>, id: string, props: KubeVipServicesLBProps<I, E> = {} as KubeVipServicesLBProps<I, E>) {
    super(scope, id);
    this.kubeVip = scope;
    this.election = (props.election ?? true) as E;
    this.classOnly = props.loadBalancerClass?.only ? (props.loadBalancerClass.name ?? KUBE_VIP_DEFAULTS.loadBalancerClassName) : undefined;
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

  /**
   * Makes a cdk8s-plus LoadBalancer Service one this deployment serves: its address annotation,
   * its class when this deployment serves only its class, and egress. The Service is recorded in
   * the config model (cluster.loadBalancerServices), so its address is validated with everything
   * else kube-vip announces.
   */
  public serve(service: Service, options: ServeOptions = {}): void {
    const namespace = service.metadata.namespace ?? Chart.of(service).namespace ?? 'default';
    const id = `${namespace}/${service.name}`;
    if (service.type !== ServiceType.LOAD_BALANCER) {
      throw new Error(
        `${service.node.path}: Service ${id} is of type ${service.type}; kube-vip serves only type LoadBalancer: create it with type: ServiceType.LOAD_BALANCER`,
      );
    }
    if (this.served.has(id)) throw new Error(`${service.node.path}: Service ${id} is served twice by ${this.node.path}: call serve once`);
    this.served.add(id);

    const object = ApiObject.of(service);
    if (options.address) object.metadata.addAnnotation(SERVICE_ANNOTATIONS.address, options.address);
    if (this.classOnly) object.addJsonPatch(JsonPatch.add('/spec/loadBalancerClass', this.classOnly));
    if (options.egress) {
      for (const [key, value] of Object.entries(EgressGateway.SERVICE_ANNOTATIONS)) object.metadata.addAnnotation(key, value);
      // kube-vip's egress rules are for the node that holds the address and runs the pods.
      object.addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', 'Local'));
    }
    const recorded = this.kubeVip.values.cluster.loadBalancerServices;
    this.kubeVip.addValues({
      cluster: { loadBalancerServices: [...recorded, { service: id, address: options.address ?? '', egress: options.egress ?? false }] },
    });
  }
}
