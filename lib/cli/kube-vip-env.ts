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

/** The env var the env table fills from a model field, e.g. vip_leaseduration for controlPlane.leaderElection.leaseDurationSeconds. */
export function envForPath(path: string): string | undefined {
  return ENV_RULES.find((rule) => 'path' in rule.from && rule.from.path === `values.${path}`)?.name;
}
