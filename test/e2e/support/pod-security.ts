import { KubeObject } from './kube';

type Json = Record<string, any>;

/** Pod Security admission levels, loosest first, and the namespace label that enforces one. */
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export function namespaceObject(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function enforcing(level: PodSecurityLevel): Record<string, string> {
  return { [ENFORCE_LABEL]: level };
}

/** Capabilities the baseline level allows to add (Pod Security Standards). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/**
 * What Pod Security admission must name when it refuses this pod spec at `level`: fragments
 * of its message, derived from the spec (not from the server), so a template that gains or
 * loses a privilege changes the expectation with it.
 */
export function expectedViolations(spec: Json, level: Exclude<PodSecurityLevel, 'privileged'>): string[] {
  const fragments: string[] = [];
  if (spec.hostNetwork) {
    fragments.push('host namespaces (hostNetwork=true)');
    // With hostNetwork the API server defaults each container port's hostPort to it.
    for (const c of spec.containers) {
      for (const p of c.ports ?? []) fragments.push(`container "${c.name}" uses hostPort ${p.containerPort}`);
    }
  }
  for (const c of spec.containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) fragments.push(`container "${c.name}" must not set securityContext.privileged=true`);
    const added: string[] = (sc.capabilities?.add ?? []).filter((cap: string) => level === 'restricted' || !BASELINE_CAPABILITIES.has(cap));
    if (added.length > 0) fragments.push(`${added.map((cap) => `"${cap}"`).join(', ')} in securityContext.capabilities.add`);
    if (level === 'restricted') {
      if (sc.allowPrivilegeEscalation !== false)
        fragments.push(`container "${c.name}" must set securityContext.allowPrivilegeEscalation=false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL'))
        fragments.push(`container "${c.name}" must set securityContext.capabilities.drop=["ALL"]`);
      fragments.push(`container "${c.name}" must set securityContext.runAsNonRoot=true`);
      const seccomp = sc.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
        fragments.push(`container "${c.name}" must set securityContext.seccompProfile.type`);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.hostPath) fragments.push(`volume "${v.name}"`);
  }
  return fragments;
}
