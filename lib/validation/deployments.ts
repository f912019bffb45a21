import { labelsDisjoint } from '../expr/cond';
import { Problem } from '../model/problem';
import { KubeVipValues } from '../model/values';
import { planWorkloads, Workload } from '../model/workloads';
import { Problems } from './problems';

/**
 * Two deployments of ours in one cluster, which each pass on their own but cannot run side by
 * side: kube-vip runs in the host network, so where both have a pod on one node they must differ
 * in metrics port, in nftables instance name and in the leases they elect on (on one lease, both
 * pods elect with the node's name as identity, so both believe they lead). Node groups of one
 * deployment are kept apart by their selectors, and so may two deployments be.
 */
export interface Deployment {
  /** How the user names it in a message, e.g. a construct path or a file. */
  readonly id: string;
  readonly values: KubeVipValues;
}

/** The leases a workload elects on, as namespace/name (ARP elects on v1.2.x even without leader election). */
function leasesOf(values: KubeVipValues, workload: Workload): { path: string; lease: string }[] {
  const elects = values.controlPlane.leaderElection.enabled || values.announce.mode === 'arp';
  const global = !values.services.election && values.announce.mode !== 'bgp';
  return [
    ...(workload.controlPlane && elects
      ? [{ path: 'controlPlane.leaderElection.leaseName', lease: `${workload.leaseNamespace}/${workload.controlPlaneLease}` }]
      : []),
    ...(workload.services && global ? [{ path: 'services.leaseName', lease: `${values.namespace}/${workload.servicesLease}` }] : []),
  ];
}

/** Problems of `later` against `earlier`, reported in `later`'s terms. */
export function collisionsBetween(earlier: Deployment, later: Deployment): Problem[] {
  const problems = new Problems();
  const before = planWorkloads(earlier.values);
  for (const workload of planWorkloads(later.values)) {
    for (const other of before.filter((w) => !labelsDisjoint(w.nodeSelector, workload.nodeSelector))) {
      const where = `${workload.name} and ${earlier.id}'s ${other.name} can run on one node (their node selectors allow it), both in the host network`;
      if (workload.metricsPort === other.metricsPort) {
        const path = workload.controlPlane ? 'metrics.port' : 'metrics.servicesPort';
        problems.error(
          'port-collision',
          path,
          workload.metricsPort,
          `is also ${earlier.id}'s metrics port: ${where}, so the scheduler never places the second beside the first`,
          `give ${later.id} another ${path}, or node selectors that keep the two apart`,
        );
      }
      if (workload.instanceName === other.instanceName) {
        problems.error(
          'instance-name-collision',
          'name',
          later.values.name,
          `gives the instance name ${workload.instanceName}, as ${earlier.id} does: ${where}, and kube-vip names its nftables tables after it`,
          `give ${later.id} another name`,
        );
      }
      const theirs = leasesOf(earlier.values, other).map((l) => l.lease);
      for (const { path, lease } of leasesOf(later.values, workload).filter((l) => theirs.includes(l.lease))) {
        problems.error(
          'lease-shared-node',
          path,
          lease,
          `is also a lease of ${earlier.id}: ${where}, and there both elect with the node's name as identity, so both believe they lead and both announce`,
          `give ${later.id} another name (its leases follow it) or ${path}`,
        );
      }
    }
  }
  // One problem per rule and field: a pair of DaemonSets would otherwise say it per workload.
  return problems.all.filter((p, i, all) => all.findIndex((q) => q.rule === p.rule && q.path === p.path) === i);
}

/** A deployment's rendered cluster objects, each as kind/namespace/name (manifestKey). */
export interface RenderedDeployment extends Deployment {
  readonly objects: readonly string[];
}

/**
 * Objects `later` writes with the kind, namespace and name of one `earlier` writes, wherever
 * their pods run: an apply keeps one object of a name, so one deployment runs with the other's
 * DaemonSet, ServiceAccount or RBAC, or not at all (node selectors do not keep names apart).
 */
export function objectCollisions(earlier: RenderedDeployment, later: RenderedDeployment): Problem[] {
  const theirs = new Set(earlier.objects);
  const shared = later.objects.filter((key) => theirs.has(key));
  if (shared.length === 0) return [];
  const named = shared.map((key) => {
    const [kind, namespace, name] = key.split('/');
    return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  });
  const problems = new Problems();
  problems.error(
    'object-name-collision',
    'name',
    later.values.name,
    `writes ${named.join(', ')}, as ${earlier.id} does: applied together, one object of each name is kept, so one deployment runs with the other's objects, or not at all`,
    `give ${later.id} another name (its objects follow it), or put the two in charts of their own if they are for different clusters`,
  );
  return problems.all;
}
