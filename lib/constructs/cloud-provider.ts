import { Construct } from 'constructs';
import { KubeVipValuesInput } from '../model/values';
import { LoadBalancerPools } from './load-balancer-pools';

export interface CloudProviderImageOptions {
  /** Image repository. @default "ghcr.io/kube-vip/kube-vip-cloud-provider" */
  readonly repository?: string;
  /** Release tag; the toolkit knows v0.0.12. @default "v0.0.12" */
  readonly tag?: string;
  /** Pin the image by digest: pods pull repository:tag@digest. @default "" */
  readonly digest?: string;
  /** Image pull policy. @default "IfNotPresent" */
  readonly pullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
}

export interface KubeVipCloudProviderProps {
  /** Replicas; they elect one leader (on the Lease <name>-cloud-provider), so a second only shortens a failover. @default 1 */
  readonly replicas?: number;
  /** Its container image. @default ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.12 */
  readonly image?: CloudProviderImageOptions;
  /** Container resources. @default requests cpu 10m and memory 32Mi, limit memory 128Mi */
  readonly resources?: Record<string, unknown>;
  /** Node labels its pods need. @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** Tolerations; by default the control-plane taint, so it runs on clusters with control-plane nodes only. @default the control-plane taint (NoSchedule) */
  readonly tolerations?: Record<string, unknown>[];
  /** Priority class; empty = none. @default "" */
  readonly priorityClassName?: string;
}

/**
 * kube-vip-cloud-provider (v0.0.12 unless image.tag says otherwise), deployed beside the pools it reads: a
 * Deployment with a ServiceAccount and the least RBAC it needs, pointed at the pools' ConfigMap,
 * serving the Services the kube-vip deployment serves (its loadBalancerClass settings). It can
 * only be made on a LoadBalancerPools, so there are always pools for it to read.
 */
export class KubeVipCloudProvider extends Construct {
  public constructor(scope: LoadBalancerPools, id: string, props: KubeVipCloudProviderProps = {}) {
    super(scope, id);
    const cloudProvider: NonNullable<KubeVipValuesInput['ipam']>['cloudProvider'] = {
      enabled: true,
      replicas: props.replicas,
      image: props.image,
      resources: props.resources,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
      priorityClassName: props.priorityClassName,
    };
    scope.kubeVip.addValues({ ipam: { cloudProvider } }, this, ['ipam.cloudProvider']);
  }
}
