import { KUBE_VIP_DEFAULTS as KV } from '../kube-vip/defaults';

/**
 * Where kube-vip's own defaults differ from our model's. `manifest` starts from them, since a
 * drop-in must do what the command it replaces does when a flag is left out; `check` reads a
 * manifest with them, since an env var that is not set means kube-vip's default, not ours.
 * kube-vip's boolean flags default to false (Go's zero value); our model turns some of these on
 * (Services, leader election, per-Service election, egress clean-up).
 */
export function kubeVipDefaultsInput(): Record<string, unknown> {
  return {
    controlPlane: { leaderElection: { enabled: false, leaseName: KV.controlPlaneLeaseName } },
    services: { enabled: false, election: false, leaseName: KV.servicesLeaseName },
    egress: { cleanOnStart: false },
  };
}
