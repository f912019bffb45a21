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

export interface LoadBalancerPoolsProps {
  /** Pools for every namespace. @default each field's default */
  readonly global?: PoolOptions;
  /** Pools per namespace. @default each field's default */
  readonly namespaces?: Record<string, NamespacePoolOptions>;
  /** Never hand out the first and last address of a CIDR pool (subnet zero, broadcast). @default true */
  readonly skipEndIPsInCIDR?: boolean;
}

/**
 * Address pools for kube-vip-cloud-provider: the `kubevip` ConfigMap in kube-system. Validation
 * keeps every pool clear of node, API server, pod and Service addresses and of each other (P4).
 */
export class LoadBalancerPools extends Construct {
  public constructor(scope: KubeVip<KubeVipImage>, id: string, props: LoadBalancerPoolsProps) {
    super(scope, id);
    const ipam: KubeVipValuesInput['ipam'] = {
      enabled: true,
      global: props.global,
      namespaces: props.namespaces,
      skipEndIPsInCIDR: props.skipEndIPsInCIDR,
    };
    scope.addValues({ ipam }, this);
  }
}
