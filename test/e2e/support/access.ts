import { mapConcurrently } from '../../support/concurrently';
import { KubeClient, ResourceAttributes, UserInfo } from './kube';

/** One API call kube-vip makes (or must never make), and why. */
export interface ApiCall extends ResourceAttributes {
  readonly why: string;
}

interface Where {
  readonly namespace?: string;
  readonly name?: string;
}

/** In one namespace (optionally one object). */
export const at = (namespace: string, name?: string): Where => ({ namespace, name });
/** A cluster-scoped object, or a namespaced resource across all namespaces (a cluster-wide list/watch). */
export const cluster = (name?: string): Where => ({ name });

/**
 * `resource` in kubectl's notation: `leases.coordination.k8s.io`, `services/status`,
 * `serviceaccounts/token`; no group means the core group.
 */
export function call(verb: string, resource: string, where: Where, why: string): ApiCall {
  const [resourceAndGroup, subresource] = resource.split('/');
  const dot = resourceAndGroup.indexOf('.');
  return {
    verb,
    resource: dot < 0 ? resourceAndGroup : resourceAndGroup.slice(0, dot),
    group: dot < 0 ? '' : resourceAndGroup.slice(dot + 1),
    ...(subresource ? { subresource } : {}),
    ...(where.namespace ? { namespace: where.namespace } : {}),
    ...(where.name ? { name: where.name } : {}),
    why,
  };
}

export function describeCall(c: ApiCall): string {
  const resource = `${c.resource}${c.group ? `.${c.group}` : ''}${c.subresource ? `/${c.subresource}` : ''}`;
  const where = c.namespace ? `in ${c.namespace}` : 'cluster-wide';
  return `${c.verb} ${resource}${c.name ? ` ${c.name}` : ''} ${where} (${c.why})`;
}

/** SubjectAccessReviews of each call for `who`; the calls RBAC answers with `allowed`, described. */
async function callsDecided(kube: KubeClient, who: UserInfo, calls: readonly ApiCall[], allowed: boolean): Promise<string[]> {
  const decisions = await mapConcurrently(calls, 8, ({ why: _why, ...attributes }) => kube.subjectAccessReview(who, attributes));
  return calls.filter((_, i) => decisions[i].allowed === allowed).map(describeCall);
}

export const deniedCalls = (kube: KubeClient, who: UserInfo, calls: readonly ApiCall[]) => callsDecided(kube, who, calls, false);
export const allowedCalls = (kube: KubeClient, who: UserInfo, calls: readonly ApiCall[]) => callsDecided(kube, who, calls, true);
