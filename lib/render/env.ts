import { BGP_PASSWORDS_WHEN, bgpPeerPasswordEnvName, EnvRule, EnvSource, ENV_RULES } from '../kube-vip/env';
import { holds, lookup, Scope } from '../expr/cond';
import { KubeVipValues } from '../model/values';
import { Workload } from '../model/workloads';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
}

function valueOf(source: EnvSource, scope: Scope): Pick<EnvVar, 'value' | 'valueFrom'> {
  if ('literal' in source) return { value: source.literal };
  if ('fieldRef' in source) return { valueFrom: { fieldRef: { fieldPath: source.fieldRef } } };
  if ('test' in source) return { value: String(holds(source.test, scope)) };
  return { value: String(lookup(scope, source.path)) };
}

/**
 * The container's env: the BGP password vars first (bgp_peers refers to them, and Kubernetes
 * only expands references to vars defined earlier), then the table, then extraEnv.
 */
export function renderEnv(values: KubeVipValues, workload: Workload): EnvVar[] {
  const scope: Scope = { values, workload };
  const passwords: EnvVar[] = holds(BGP_PASSWORDS_WHEN, scope)
    ? values.announce.bgp.peers.flatMap((peer, i) =>
        peer.password
          ? [{ name: bgpPeerPasswordEnvName(i), valueFrom: { secretKeyRef: { name: peer.password.name, key: peer.password.key } } }]
          : [],
      )
    : [];
  return [...passwords, ...envOf(ENV_RULES, scope), ...(values.extraEnv as EnvVar[])];
}

/** The variables of an env table that apply, in its order. */
export function envOf(rules: readonly EnvRule[], scope: Scope): EnvVar[] {
  return rules.filter((rule) => !rule.when || holds(rule.when, scope)).map((rule) => ({ name: rule.name, ...valueOf(rule.from, scope) }));
}
