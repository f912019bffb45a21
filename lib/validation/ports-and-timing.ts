import { KubeVipValues } from '../model/values';
import { planWorkloads } from '../model/workloads';
import { Problems } from './problems';
import { CONTROL_PLANE_HOST_PORTS } from '../kube-vip/node';

export function checkPorts(values: KubeVipValues, problems: Problems): void {
  const workloads = planWorkloads(values);
  const taken: Record<number, string> = { ...CONTROL_PLANE_HOST_PORTS };
  if (values.controlPlane.enabled) taken[values.controlPlane.port] = 'the API server (controlPlane.port)';

  for (const w of workloads) {
    const path = w.controlPlane ? 'metrics.port' : 'metrics.servicesPort';
    const owner = taken[w.metricsPort];
    if (owner) {
      problems.error('port-collision', path, w.metricsPort, `is already used by ${owner} on control-plane nodes (kube-vip runs in the host network)`, 'choose a free port, e.g. 2112');
    }
  }
  if (workloads.length === 2 && workloads[0].metricsPort === workloads[1].metricsPort) {
    problems.error(
      'port-collision',
      'metrics.servicesPort',
      values.metrics.servicesPort,
      'equals metrics.port, but the control-plane static pod and the Services DaemonSet share control-plane nodes',
      'give them different ports, e.g. 2112 and 2113',
    );
  }
}

export function checkLeaseTiming(values: KubeVipValues, problems: Problems): void {
  if (!values.controlPlane.enabled || !values.controlPlane.leaderElection.enabled) return;
  const le = values.controlPlane.leaderElection;
  const base = 'controlPlane.leaderElection';
  if (le.renewDeadlineSeconds >= le.leaseDurationSeconds) {
    problems.error(
      'lease-timing',
      `${base}.renewDeadlineSeconds`,
      le.renewDeadlineSeconds,
      `is not below leaseDurationSeconds (${le.leaseDurationSeconds}); client-go refuses it and the leader could lose the lease while still holding the VIP`,
      `make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 15 > 10 > 2`,
    );
  }
  if (le.retryPeriodSeconds >= le.renewDeadlineSeconds) {
    problems.error(
      'lease-timing',
      `${base}.retryPeriodSeconds`,
      le.retryPeriodSeconds,
      `is not below renewDeadlineSeconds (${le.renewDeadlineSeconds}); the leader gets no second try to renew`,
      `make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 15 > 10 > 2`,
    );
  }
}
