import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { mapConcurrently } from '../support/concurrently';
import { KubeApiError, KubeObject, serviceAccountUser } from './support/kube';
import { validMatrixCases, VALID_MATRIX_CASES } from './support/matrix-output';
import { namespaceObject } from './support/pod-security';
import { podOfStaticPod } from './support/pods';
import { unexpectedWarnings } from './support/warnings';

type Json = Record<string, any>;

interface Outcome {
  readonly what: string;
  readonly status?: number;
  readonly warnings: string[];
  readonly error?: string;
}

/** Runs one API call and records its outcome instead of throwing, so a case reports every failure. */
async function outcome(what: string, call: () => Promise<{ status: number; warnings: string[] }>): Promise<Outcome> {
  try {
    const res = await call();
    return { what, status: res.status, warnings: res.warnings };
  } catch (error) {
    return { what, warnings: error instanceof KubeApiError ? error.warnings : [], error: String((error as Error).message) };
  }
}

const describeE2e = describeWithTools(['kube-apiserver-test']);

describeE2e('the synthesised output on a real API server', () => {
  const server = useApiServer();

  describe('every valid case of the snapshot matrix is accepted', () => {
    // Each case gets its own `name` (what two deployments in one cluster do), so that all cases
    // live side by side in one server: every object is really created, none overwritten.
    const cases = validMatrixCases((index) => ({ name: `m${index}` }));
    const outcomes = new Map<string, Outcome[]>();

    beforeAll(async () => {
      const kube = server().admin;
      await kube.apply(namespaceObject('kube-vip')); // the matrix's "otherNamespace" egress cases
      const started = Date.now();
      await mapConcurrently(cases, 8, async (c) => {
        const results: Outcome[] = [];
        for (const object of c.output.cluster) {
          const what = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
          results.push(await outcome(what, () => kube.apply(object as KubeObject)));
        }
        // Static pods are files for the kubelet; the API server sees them as mirror pods.
        for (const staticPod of c.output.staticPods) {
          const pod = podOfStaticPod(staticPod);
          results.push(await outcome(pod.source, () => kube.create(pod.pod(), { dryRun: true })));
        }
        outcomes.set(c.name, results);
      });
      const objects = [...outcomes.values()].reduce((n, r) => n + r.length, 0);
      process.stdout.write(`applied ${objects} objects of ${cases.length} cases in ${Date.now() - started} ms\n`);
    }, 180_000);

    it(`covers the ${VALID_MATRIX_CASES} valid cases`, () => {
      expect(cases).toHaveLength(VALID_MATRIX_CASES);
    });

    it.each(cases.map((c) => [c.name]))('%s', (name) => {
      const results = outcomes.get(name)!;
      expect(results.filter((r) => r.error)).toEqual([]);
      // Server-side apply of a new name answers 201 Created; a dry run of a pod 201 too.
      expect(results.filter((r) => r.status !== 201).map((r) => `${r.what}: ${r.status}`)).toEqual([]);
      expect(results.flatMap((r) => unexpectedWarnings(r.warnings).map((w) => `${r.what}: ${w}`))).toEqual([]);
    });

    it('stored every object (a real create, not a dry run)', async () => {
      const kube = server().admin;
      const expected = new Map<string, number>();
      for (const c of cases) {
        for (const o of c.output.cluster) expected.set(`${o.apiVersion} ${o.kind}`, (expected.get(`${o.apiVersion} ${o.kind}`) ?? 0) + 1);
      }
      for (const [key, count] of expected) {
        const [apiVersion, kind] = key.split(' ');
        const items = (await kube.list(apiVersion, kind)).body.items;
        expect([key, items.filter((i) => /^m\d+(-|$)/.test(i.metadata.name)).length]).toEqual([key, count]);
      }
    });
  });

  describe('the API server validates, so acceptance means something', () => {
    const values = {
      namespace: 'kube-system',
      controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
      services: { enabled: false },
    };
    const daemonSet = () => {
      const ds = synthValues({ ...values, name: 'invalid' }).cluster.find((o) => o.kind === 'DaemonSet')!;
      return { ds: ds as KubeObject & Json, container: ds.spec.template.spec.containers[0] };
    };

    it('accepts the unmodified masquerade DaemonSet (privileged and a read-only root, nothing else)', async () => {
      const { ds, container } = daemonSet();
      expect(container.securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: true });
      await expect(server().admin.apply(ds, { dryRun: true })).resolves.toMatchObject({ status: 201 });
    });

    it('rejects privileged together with allowPrivilegeEscalation: false', async () => {
      const { ds, container } = daemonSet();
      container.securityContext.allowPrivilegeEscalation = false;
      await expect(server().admin.apply(ds, { dryRun: true })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('cannot set `allowPrivilegeEscalation` to false and `privileged` to true'),
      });
    });

    it('rejects a field of the wrong type', async () => {
      const { ds, container } = daemonSet();
      container.ports[0].containerPort = String(container.ports[0].containerPort);
      await expect(server().admin.apply(ds, { dryRun: true })).rejects.toMatchObject({
        message: expect.stringMatching(/\.containerPort: expected numeric \(int or float\), got string/),
      });
      await expect(server().admin.create(ds, { dryRun: true })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('cannot unmarshal string into Go struct field ContainerPort'),
      });
    });

    it('rejects a misspelt field (nothing is silently dropped)', async () => {
      const { ds, container } = daemonSet();
      container.securityContxt = container.securityContext;
      await expect(server().admin.apply(ds, { dryRun: true })).rejects.toMatchObject({
        message: expect.stringContaining('.securityContxt: field not declared in schema'),
      });
    });

    it('refuses a static pod that reads a Secret: why BGP passwords need the DaemonSet', async () => {
      // Our model refuses this config (rule bgp-password-static-pod); build the pod it would
      // give by hand: the static pod plus the password variable the DaemonSet renders.
      const bgp = {
        mode: 'bgp',
        bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 64513, password: { name: 'bgp-auth', key: 'password' } }] },
      };
      const base = { controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: false }, announce: bgp };
      const withPassword = synthValues(base).cluster.find((o) => o.kind === 'DaemonSet')!.spec.template.spec.containers[0].env;
      const staticPod = synthValues(base, {
        controlPlane: { deployment: 'staticPod' },
        announce: { bgp: { peers: [{ address: '192.168.0.1', as: 64513 }] } },
      }).staticPods[0];
      const mirror = podOfStaticPod(staticPod);
      await expect(server().admin.create(mirror.pod(), { dryRun: true })).resolves.toMatchObject({ status: 201 });

      staticPod.spec.containers[0].env = withPassword;
      await expect(server().admin.create(podOfStaticPod(staticPod).pod(), { dryRun: true })).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining('a mirror pod may not reference secrets'),
      });
    });
  });

  describe('pod settings (test/render/pod-settings.test.ts): accepted, and why some are refused', () => {
    const staticPodValues = {
      name: 'pod-settings',
      namespace: 'kube-system',
      controlPlane: { enabled: true, address: '192.168.0.100', deployment: 'staticPod' },
      services: { enabled: true },
      image: { variant: 'standard', digest: `sha256:${'ab'.repeat(32)}`, pullSecrets: ['registry'] },
      pod: {
        labels: { 'example.com/team': 'edge' },
        annotations: { 'prometheus.io/scrape': 'true' },
        hostAliases: [{ ip: '192.168.0.11', hostnames: ['cp-1.example.com'] }],
        volumes: [{ name: 'localtime', hostPath: { path: '/etc/localtime', type: 'File' } }],
        volumeMounts: [{ name: 'localtime', mountPath: '/etc/localtime', readOnly: true }],
      },
      serviceAccount: { annotations: { 'example.com/owner': 'platform' } },
      updateStrategy: { type: 'OnDelete' },
      metrics: { bindAddress: '127.0.0.1' },
    };

    it('accepts every object, and the static pod as a mirror pod at its class priority', async () => {
      const output = synthValues(staticPodValues);
      const kube = server().admin;
      for (const object of output.cluster)
        await expect(kube.apply(object as KubeObject, { dryRun: true })).resolves.toMatchObject({ status: 201 });
      const mirror = podOfStaticPod(output.staticPods[0]);
      expect(mirror.spec.priority).toBe(2000001000);
      const created = await kube.create(mirror.pod(), { dryRun: true });
      expect((created.body as Json).spec.priority).toBe(2000001000);
    });

    it('binds an existing ServiceAccount: it may take the control-plane lease, the name we would create may not', async () => {
      const kube = server().admin;
      const values = {
        name: 'existing-sa',
        namespace: 'kube-system',
        controlPlane: { enabled: true, address: '192.168.0.100' },
        services: { enabled: false },
        serviceAccount: { create: false, name: 'platform-kube-vip' },
      };
      const output = synthValues(values);
      expect(output.cluster.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
      await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'platform-kube-vip', namespace: 'kube-system' } });
      for (const object of output.cluster) await kube.apply(object as KubeObject);
      const lease = {
        verb: 'update',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: 'kube-system',
        name: 'existing-sa-cp-lock',
      };
      await expect(kube.subjectAccessReview(serviceAccountUser('kube-system', 'platform-kube-vip'), lease)).resolves.toMatchObject({
        allowed: true,
      });
      await expect(kube.subjectAccessReview(serviceAccountUser('kube-system', 'existing-sa'), lease)).resolves.toMatchObject({
        allowed: false,
      });
    });

    it("node groups: every group's objects are accepted, and each group's ServiceAccount may take the shared leases", async () => {
      const kube = server().admin;
      const values = {
        name: 'grouped',
        namespace: 'kube-system',
        controlPlane: { enabled: true, address: '192.168.0.100' },
        services: { enabled: true, election: false },
        nodeGroups: [
          { name: 'dell', nodeSelector: { 'example.com/nic': 'eno1' }, interface: 'eno1' },
          { name: 'hp', nodeSelector: { 'example.com/nic': 'ens192' }, interface: 'ens192' },
        ],
      };
      const output = synthValues(values);
      for (const object of output.cluster)
        await expect(kube.apply(object as KubeObject)).resolves.toMatchObject({ status: expect.any(Number) });
      const lease = (name: string) => ({
        verb: 'update',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: 'kube-system',
        name,
      });
      for (const sa of ['grouped-dell', 'grouped-hp']) {
        for (const name of ['grouped-cp-lock', 'grouped-svcs-lock']) {
          await expect(kube.subjectAccessReview(serviceAccountUser('kube-system', sa), lease(name))).resolves.toMatchObject({
            allowed: true,
          });
        }
      }
    });

    it("refuses a mirror pod whose priority is not its class's (rule static-pod-priority)", async () => {
      const mirror = podOfStaticPod(synthValues(staticPodValues).staticPods[0]);
      mirror.spec.priority = 5;
      await expect(server().admin.create(mirror.pod(), { dryRun: true })).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining('priority admission controller computed 2000001000 from the given PriorityClass name'),
      });
    });

    it('refuses a mirror pod with pull Secrets (rule pull-secrets-static-pod: the static pod gets none)', async () => {
      const mirror = podOfStaticPod(synthValues(staticPodValues).staticPods[0]);
      expect(mirror.spec.imagePullSecrets).toBeUndefined();
      mirror.spec.imagePullSecrets = [{ name: 'registry' }];
      await expect(server().admin.create(mirror.pod(), { dryRun: true })).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining('a mirror pod may not reference secrets'),
      });
    });
  });
});
