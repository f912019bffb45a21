import { KubeVipValues } from '../model/values';
import { Workload } from '../model/workloads';

export const MANAGED_BY = 'cdk8s-kube-vip';

/** Never changes for the life of a workload: DaemonSet selectors are immutable. */
export function selectorLabels(instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'kube-vip', 'app.kubernetes.io/instance': instance };
}

export function labels(values: KubeVipValues, instance: string, component: string): Record<string, string> {
  return {
    ...selectorLabels(instance),
    'app.kubernetes.io/version': values.image.tag,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'kube-vip',
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

export function workloadLabels(values: KubeVipValues, workload: Workload): Record<string, string> {
  return labels(values, workload.name, workload.component);
}
