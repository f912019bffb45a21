import { Construct } from 'constructs';
import { KubeVipValuesInput } from '../model/values';
import { KubeVipImage } from './image';
import { KubeVip } from './kube-vip';

export interface PoolOptions {
  /** CIDRs Services may be given addresses from. @default [] */
  readonly cidrs?: string[];
  /** Address ranges ("first-last") Services may be given addresses from. @default [] */
  readonly ranges?: string[];
}

export interface NamespacePoolOptions extends PoolOptions {
  /** Services may share an address. @default false */
  readonly allowShare?: boolean;
  /** Interface for this namespace's addresses. @default "" */
  readonly interface?: string;
}

/**
 * Where kube-vip-cloud-provider reads its pools: its env KUBEVIP_CONFIG_MAP and KUBEVIP_NAMESPACE.
 * Installed with its Helm chart, that is kube-vip-cloud-provider-cm in the chart's release namespace.
 */
export interface CloudProviderConfigMapOptions {
  /** The ConfigMap's name. @default "kubevip" (the cloud provider's own default) */
  readonly name?: string;
  /** Its namespace. @default "kube-system" (the cloud provider's own default) */
  readonly namespace?: string;
}

export interface LoadBalancerPoolsProps {
  /** Where the cloud provider reads the pools. @default kubevip in kube-system */
  readonly configMap?: CloudProviderConfigMapOptions;
  /** Pools for every namespace. @default each field's default */
  readonly global?: PoolOptions;
  /** Pools per namespace. @default each field's default */
  readonly namespaces?: Record<string, NamespacePoolOptions>;
  /** Never hand out the first and last address of a CIDR pool (subnet zero, broadcast). @default true */
  readonly skipEndIPsInCIDR?: boolean;
}

/**
 * Address pools for kube-vip-cloud-provider: the ConfigMap it reads (`configMap`). Validation
 * keeps every pool clear of node, API server, pod and Service addresses and of each other (P4).
 */
export class LoadBalancerPools extends Construct {
  /** The deployment the pools belong to. */
  public readonly kubeVip: KubeVip<KubeVipImage>;

  public constructor(scope: KubeVip<KubeVipImage>, id: string, props: LoadBalancerPoolsProps) {
    super(scope, id);
    this.kubeVip = scope;
    const ipam: KubeVipValuesInput['ipam'] = {
      enabled: true,
      configMap: props.configMap,
      global: props.global,
      namespaces: props.namespaces,
      skipEndIPsInCIDR: props.skipEndIPsInCIDR,
    };
    scope.addValues({ ipam }, this);
  }
}
