import { ENV_RULES, MANAGED_ENV_NAMES } from '../kube-vip/env';

/**
 * The CLI names kube-vip env vars only through these two functions, so that lib/kube-vip stays
 * the one place that spells them: a name it does not know fails on first use (and in the tests).
 */

/** An env var lib/kube-vip knows (a rule's, or one whose meaning belongs to a model field). */
export function knownEnv(name: string): string {
  if (!MANAGED_ENV_NAMES.has(name)) throw new Error(`internal: ${name} is not an env var lib/kube-vip/env.ts knows`);
  return name;
}

/** Workload facts (lib/model/workloads.ts) that are one model field each, read back as that field. */
export const WORKLOAD_FIELDS: Readonly<Record<string, string>> = {
  // One workload read alone: its interfaces are the deployment's (a node group's become them).
  interface: 'interface',
  servicesInterface: 'services.interface',
  controlPlaneLease: 'controlPlane.leaderElection.leaseName',
  servicesLease: 'services.leaseName',
  // The one set of timings kube-vip reads; the model keeps it with the control plane.
  leaseDurationSeconds: 'controlPlane.leaderElection.leaseDurationSeconds',
  renewDeadlineSeconds: 'controlPlane.leaderElection.renewDeadlineSeconds',
  retryPeriodSeconds: 'controlPlane.leaderElection.retryPeriodSeconds',
  egressPodCIDR: 'egress.podCIDR',
  egressServiceCIDR: 'egress.serviceCIDR',
};

/** The env var the env table fills from a model field, e.g. vip_leaseduration for controlPlane.leaderElection.leaseDurationSeconds. */
export function envForPath(path: string): string | undefined {
  const sources = [
    `values.${path}`,
    ...Object.entries(WORKLOAD_FIELDS).flatMap(([fact, field]) => (field === path ? [`workload.${fact}`] : [])),
  ];
  return ENV_RULES.find((rule) => 'path' in rule.from && sources.includes(rule.from.path))?.name;
}
