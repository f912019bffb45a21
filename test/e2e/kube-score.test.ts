import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { matrixCases } from '../support/matrix';
import { synthValues } from '../support/synth';
import { describeWithTools, toolPath } from '../support/tools';

/**
 * What kube-score finds in our output, and why each finding stays. kube-score's advice is for
 * ordinary workloads; kube-vip is a host-network daemon that moves addresses, and some of it
 * would break that. Every entry is listed in the README with the same reason. A finding not
 * here fails the suite: fix it, or add it here and to the README with why it is inherent.
 */
export const KUBE_SCORE_ACCEPTED: Readonly<Record<string, string>> = {
  'container-resources: CPU limit is not set':
    'a CPU limit throttles kube-vip under load, and a throttled leader misses its lease renewals and ARP refreshes: the VIP moves or is held twice',
  'container-resource-requests-equal-limits: CPU requests does not match limits':
    'Guaranteed QoS would need the CPU limit of the line above',
  'container-cpu-requests-equal-limits: CPU requests does not match limits': 'the same check under its newer name',
  'container-resource-requests-equal-limits: Memory requests does not match limits':
    'the memory limit bounds kube-vip; a request as high as the limit would reserve that memory on every node for a daemon that rarely needs it',
  'container-memory-requests-equal-limits: Memory requests does not match limits': 'the same check under its newer name',
  'container-security-context-privileged: The container is privileged':
    'only with IPVS masquerade forwarding (controlPlane.loadBalancer.forwardingMethod: masquerade), which kube-vip cannot set up without it',
  'container-seccomp-profile: The container has not configured Seccomp':
    'only the privileged masquerade container: a privileged container runs without seccomp whatever its profile says, so writing one would claim a confinement that is not there',
  'container-ephemeral-storage-request-and-limit: Ephemeral Storage limit is not set':
    "kube-vip writes nothing to disk (its root file system is read-only); its log counts as ephemeral storage, and the kubelet would evict the VIP's holder when the log grows past a limit",
  'container-ephemeral-storage-request-and-limit: Ephemeral Storage request is not set': 'as for the limit: nothing to reserve',
  'container-image-pull-policy: ImagePullPolicy is not set to Always':
    "IfNotPresent, as kube-vip's own generator writes: a restarted kube-vip must start while the registry is unreachable, which may be exactly when the VIP is needed",
  'container-security-context-user-group-id: The container is running with a low user ID':
    'kube-vip adds addresses and sends ARP with NET_ADMIN and NET_RAW, and Kubernetes grants added capabilities only to a container that runs as root',
  'container-security-context-user-group-id: The container running with a low group ID': 'as for the user ID',
  'pod-networkpolicy: The pod does not have a matching NetworkPolicy':
    'kube-vip runs in the host network, where NetworkPolicies do not apply; what it listens on is chosen instead (metrics on the node address only)',
};

/** Every finding kube-score reports for a YAML stream, as "check-id: summary" (the container's name left out). */
function findings(kubeScore: string, yaml: string): string[] {
  let out: string;
  try {
    out = execFileSync(kubeScore, ['score', '--all-default-optional', '-o', 'json', '-'], { input: yaml, encoding: 'utf8' });
  } catch (error: any) {
    out = error.stdout; // exit 1 when it finds something critical
  }
  const objects = JSON.parse(out) as {
    object_name: string;
    checks: { check: { id: string }; grade: number; skipped: boolean; comments: { summary: string }[] | null }[];
  }[];
  return objects.flatMap((o) =>
    o.checks
      .filter((c) => !c.skipped && c.grade < 10)
      .flatMap((c) => (c.comments ?? []).map((comment) => `${c.check.id}: ${comment.summary.replace(/^\([^)]*\) /, '')}`)),
  );
}

describeWithTools(['kube-score'])('kube-score on every output of the matrix', () => {
  const found = new Map<string, Set<string>>();

  beforeAll(() => {
    const kubeScore = toolPath('kube-score')!;
    for (const c of matrixCases()) {
      let output: ReturnType<typeof synthValues>;
      try {
        output = synthValues(c.values);
      } catch {
        continue; // the snapshot matrix shows which cases are refused, and why
      }
      const yaml = [...output.cluster, ...output.staticPods].map((o) => stringify(o)).join('---\n');
      for (const finding of findings(kubeScore, yaml)) {
        if (!found.has(finding)) found.set(finding, new Set());
        found.get(finding)!.add(c.name);
      }
    }
  }, 300_000);

  it('finds nothing but what is inherent to kube-vip', () => {
    const unexplained = [...found]
      .filter(([finding]) => !(finding in KUBE_SCORE_ACCEPTED))
      .map(([f, cases]) => `${f} (${[...cases][0]}, ...)`);
    expect(unexplained).toEqual([]);
  });

  it('finds no writable root file system, and a missing seccomp profile only where privileged makes it moot', () => {
    const ids = [...found.keys()].map((f) => f.split(':')[0]);
    expect(ids).not.toContain('container-security-context-readonlyrootfilesystem');
    const seccomp = [...found].filter(([f]) => f.startsWith('container-seccomp-profile:')).flatMap(([, cases]) => [...cases]);
    expect(seccomp.filter((name) => !name.includes('/lb-masquerade/'))).toEqual([]);
  });

  it('the README lists every accepted finding', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const finding of Object.keys(KUBE_SCORE_ACCEPTED)) expect(readme).toContain(finding);
  });
});
