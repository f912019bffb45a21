import { KubeVipValues } from '../model/values';
import { Workload } from '../model/workloads';
import { selectorLabels, workloadLabels } from './labels';

type Json = Record<string, unknown>;

/**
 * A Prometheus Operator PodMonitor for one workload: its pods by their selector labels, on the
 * container's `metrics` port. A static pod is found too: its mirror pod carries its labels.
 */
export function podMonitorManifest(values: KubeVipValues, workload: Workload): Json {
  const { labels, interval } = values.metrics.podMonitor;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: workload.name, namespace: values.namespace, labels: { ...labels, ...workloadLabels(values, workload) } },
    spec: {
      selector: { matchLabels: selectorLabels(workload.name) },
      podMetricsEndpoints: [{ port: 'metrics', ...(interval ? { interval } : {}) }],
    },
  };
}
