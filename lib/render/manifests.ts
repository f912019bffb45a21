import { KubeVipValues } from '../model/values';
import { cloudProviderManifests } from './cloud-provider';
import { ipamManifest } from './ipam';
import { podMonitorManifest } from './monitoring';
import { daemonSetManifest, staticPodManifest } from './pod';
import { rbacManifests } from './rbac';
import { planWorkloads, WorkloadKind } from '../model/workloads';

export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

export interface Rendered {
  /** Objects for the API server (kubectl apply, helm install). */
  readonly cluster: Manifest[];
  /** Pods for the kubelet's manifest folder on control-plane nodes; never applied to the API server. */
  readonly staticPods: Manifest[];
}

/** Everything a config deploys. The values must have passed validateValues. */
export function renderManifests(values: KubeVipValues): Rendered {
  const cluster: Manifest[] = [];
  const staticPods: Manifest[] = [];
  for (const workload of planWorkloads(values)) {
    if (workload.kind === WorkloadKind.STATIC_POD) {
      staticPods.push(staticPodManifest(values, workload) as Manifest);
    } else {
      cluster.push(...(rbacManifests(values, workload) as Manifest[]), daemonSetManifest(values, workload) as Manifest);
    }
    if (values.metrics.podMonitor.enabled) cluster.push(podMonitorManifest(values, workload) as Manifest);
  }
  if (values.ipam.enabled) cluster.push(ipamManifest(values) as Manifest);
  cluster.push(...(cloudProviderManifests(values) as Manifest[]));
  return { cluster, staticPods };
}

export function manifestKey(m: Manifest): string {
  return `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
}
