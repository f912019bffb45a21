import { Construct } from 'constructs';
import { KubeVipValuesInput } from '../model/values';
import { KubeVipImage } from './image';
import { KubeVip } from './kube-vip';

export interface PoolOptions {
  readonly cidrs?: string[];
  /** "first-last" */
  readonly ranges?: string[];
}

export interface NamespacePoolOptions extends PoolOptions {
  readonly allowShare?: boolean;
  readonly interface?: string;
}

export interface LoadBalancerPoolsProps {
  readonly global?: PoolOptions;
  readonly namespaces?: Record<string, NamespacePoolOptions>;
  /** Never hand out a CIDR's first and last address. @default true */
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
