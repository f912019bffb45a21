import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { mapConcurrently } from '../support/concurrently';
import { KubeApiError, KubeObject } from './support/kube';
import { validMatrixCases } from './support/matrix-output';
import { enforcing, expectedViolations, namespaceObject, PodSecurityLevel } from './support/pod-security';
import { PodToCheck, podsOf } from './support/pods';
import { unexpectedWarnings } from './support/warnings';

/**
 * kube-vip needs the privileged Pod Security level: hostNetwork, NET_ADMIN and NET_RAW, and
 * for masquerade a privileged container; a static pod also mounts a hostPath. These tests
 * run real Pod Security admission on every distinct pod our output would run.
 *
 * To cover a new way of labelling the namespace (a chart value, a construct option), add a
 * row to NAMESPACES with the labels it sets.
 */
const NAMESPACES: { name: string; labels: Record<string, string>; refusesAt?: Exclude<PodSecurityLevel, 'privileged'> }[] = [
  // No label: the cluster's default applies, which is privileged unless an admin configured one.
  { name: 'psa-unlabelled', labels: {} },
  { name: 'psa-privileged', labels: enforcing('privileged') },
  { name: 'psa-baseline', labels: enforcing('baseline'), refusesAt: 'baseline' },
  { name: 'psa-restricted', labels: enforcing('restricted'), refusesAt: 'restricted' },
];

/** Distinct pod specs over the whole matrix (many cases share one). */
function distinctPods(): PodToCheck[] {
  const bySpec = new Map<string, PodToCheck>();
  for (const c of validMatrixCases()) {
    for (const pod of podsOf(c.output)) bySpec.set(JSON.stringify(pod.spec), pod);
  }
  return [...bySpec.values()];
}

/** The default deployment: one DaemonSet for the control plane and Services (as main.ts). */
function defaultDaemonSet(namespace: string): KubeObject {
  const values = { namespace, controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: true } };
  return synthValues(values).cluster.find((o) => o.kind === 'DaemonSet') as KubeObject;
}

const describeE2e = describeWithTools(['kube-apiserver-test']);

describeE2e('Pod Security admission of kube-vip pods', () => {
  const server = useApiServer();
  const pods = distinctPods();

  beforeAll(async () => {
    const kube = server().admin;
    // No controller creates ServiceAccounts here, and admission checks the pod's one exists.
    const serviceAccounts = [...new Set(pods.map((p) => p.spec.serviceAccountName).filter(Boolean))];
    for (const ns of NAMESPACES) {
      await kube.apply(namespaceObject(ns.name, ns.labels));
      for (const name of serviceAccounts) {
        await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns.name } });
      }
    }
  });

  it('checks every distinct pod of the matrix (DaemonSet templates and static pods)', () => {
    expect(pods.filter((p) => p.source.startsWith('DaemonSet')).length).toBeGreaterThan(0);
    expect(pods.filter((p) => p.source.startsWith('static pod')).length).toBeGreaterThan(0);
  });

  describe.each(NAMESPACES.filter((ns) => !ns.refusesAt).map((ns) => [ns.name, ns] as const))('in %s', (_, ns) => {
    it(`admits all pods without a Pod Security warning`, async () => {
      const kube = server().admin;
      const problems = await mapConcurrently(pods, 8, async (p) => {
        try {
          const res = await kube.create(p.pod(ns.name), { dryRun: true });
          const warnings = unexpectedWarnings(res.warnings);
          return warnings.length > 0 ? `${p.source}: warned ${warnings.join('; ')}` : undefined;
        } catch (error) {
          return `${p.source}: ${(error as Error).message}`;
        }
      });
      expect(problems.filter(Boolean)).toEqual([]);
    });
  });

  describe.each(NAMESPACES.filter((ns) => ns.refusesAt).map((ns) => [ns.name, ns] as const))('in %s', (_, ns) => {
    const level = ns.refusesAt!;

    it(`refuses every pod, naming each violation of ${level}`, async () => {
      const kube = server().admin;
      const problems = await mapConcurrently(pods, 8, async (p) => {
        const pod = p.pod(ns.name);
        try {
          await kube.create(pod, { dryRun: true });
          return `${p.source}: admitted`;
        } catch (error) {
          const message = error instanceof KubeApiError && error.status === 403 ? String(error.body.message) : String(error);
          const prefix = `pods "${pod.metadata.name}" is forbidden: violates PodSecurity "${level}:latest": `;
          if (!message.startsWith(prefix)) return `${p.source}: ${message}`;
          const missing = expectedViolations(p.spec, level).filter((fragment) => !message.includes(fragment));
          return missing.length > 0 ? `${p.source}: "${message}" does not name ${missing.join(' | ')}` : undefined;
        }
      });
      expect(problems.filter(Boolean)).toEqual([]);
    });
  });

  describe('the DaemonSet itself: accepted with only a Warning, its pods then all refused', () => {
    // The risk to design against: `kubectl apply` and `helm install` succeed, and the DaemonSet
    // controller's pod creations fail (events only), so no VIP and no Service address appear.
    const warningsOfApply = async (namespace: string) => {
      const res = await server().admin.apply(defaultDaemonSet(namespace));
      expect(res.status).toBe(201);
      return unexpectedWarnings(res.warnings);
    };

    it('under baseline', async () => {
      expect(await warningsOfApply('psa-baseline')).toEqual([
        'would violate PodSecurity "baseline:latest": non-default capabilities (container "kube-vip" must not include "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add), host namespaces (hostNetwork=true)',
      ]);
    });

    it('under restricted', async () => {
      expect(await warningsOfApply('psa-restricted')).toEqual([
        'would violate PodSecurity "restricted:latest": host namespaces (hostNetwork=true), unrestricted capabilities (container "kube-vip" must not include "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add), runAsNonRoot != true (pod or container "kube-vip" must set securityContext.runAsNonRoot=true)',
      ]);
    });

    it('under privileged and unlabelled: no warning', async () => {
      expect(await warningsOfApply('psa-privileged')).toEqual([]);
      expect(await warningsOfApply('psa-unlabelled')).toEqual([]);
    });
  });
});
