import { KUBE_VIP_DEFAULTS as KV, LEASE_TIMINGS } from '../kube-vip/defaults';

/**
 * Where kube-vip's own defaults differ from our model's. `manifest` starts from them, since a
 * drop-in must do what the command it replaces does when a flag is left out; `check` reads a
 * manifest with them, since an env var that is not set means kube-vip's default, not ours.
 * kube-vip's boolean flags default to false (Go's zero value); our model turns some of these on
 * (Services, leader election, per-Service election, egress clean-up), and its lease timings are
 * shorter.
 */
export function kubeVipDefaultsInput(): Record<string, unknown> {
  return {
    controlPlane: {
      leaderElection: {
        enabled: false,
        leaseName: KV.controlPlaneLeaseName,
        // Ours are shorter (LEASE_TIMINGS): kube-vip's put the VIP on two nodes when a leader loses the API server.
        leaseDurationSeconds: KV.leaseDurationSeconds,
        renewDeadlineSeconds: KV.renewDeadlineSeconds,
        retryPeriodSeconds: KV.retryPeriodSeconds,
      },
    },
    services: { enabled: false, election: false, leaseName: KV.servicesLeaseName },
    egress: { cleanOnStart: false },
  };
}

/**
 * Settings `manifest` writes as ours when none of their flags is given, although kube-vip's
 * generator would write its own defaults: kube-vip's lease timings put the VIP on two nodes when
 * a leader loses the API server (rule lease-two-holders; README, What survives what). --explain
 * says so.
 */
export const MANIFEST_OWN_DEFAULTS: Readonly<Record<string, number>> = {
  'controlPlane.leaderElection.leaseDurationSeconds': LEASE_TIMINGS.leaseDurationSeconds,
  'controlPlane.leaderElection.renewDeadlineSeconds': LEASE_TIMINGS.renewDeadlineSeconds,
  'controlPlane.leaderElection.retryPeriodSeconds': LEASE_TIMINGS.retryPeriodSeconds,
};
