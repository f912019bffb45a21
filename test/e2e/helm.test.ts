import { KubeVipConfigError } from '../../lib';
import { IMAGES } from '../../lib/kube-vip/defaults';
import { FIRST_UNTESTED_RELEASE, NEWEST_TESTED_RELEASE } from '../../lib/kube-vip/releases';
import { Helm, HELMS, parseStream, runHelmAsync, useTestChart, writeValues } from '../support/helm';
import { matrixCases } from '../support/matrix';
import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { mapConcurrently } from '../support/concurrently';
import { KubeApiError, KubeObject, refOf } from './support/kube';
import { enforcing, namespaceObject } from './support/pod-security';

type Json = Record<string, any>;

/** The objects a release's manifest (`helm get manifest`) lists. */
function manifestObjects(stdout: string): KubeObject[] {
  return parseStream(stdout) as KubeObject[];
}

describeWithTools(['kube-apiserver-test', 'helm3', 'helm4'])('helm install, upgrade and uninstall on a real API server', () => {
  const server = useApiServer();
  const chart = useTestChart();

  beforeAll(async () => {
    await server().admin.apply(namespaceObject('kube-vip')); // the matrix's "otherNamespace" cases
  });

  const helm = (which: Helm, args: string[]) => runHelmAsync(which, [...args, '--kubeconfig', server().kubeconfig]);

  /** Whether each object exists on the server (404 = false). */
  async function existing(objects: KubeObject[]): Promise<boolean[]> {
    return Promise.all(
      objects.map(async (o) => {
        try {
          await server().admin.get(refOf(o));
          return true;
        } catch (error) {
          if (error instanceof KubeApiError && error.status === 404) return false;
          throw error;
        }
      }),
    );
  }

  describe('every valid matrix case installs', () => {
    // Each case is its own release (release-aware names keep them apart in one cluster),
    // installed by helm 3 and helm 4 in turn: both versions install across the whole matrix
    // (test/chart/parity renders every case with both), at half the time of installing twice.
    const cases = matrixCases().filter((c) => {
      try {
        synthValues(c.values);
        return true;
      } catch (error) {
        if (error instanceof KubeVipConfigError) return false;
        throw error;
      }
    });
    const jobs = cases.map((c, i) => ({ which: HELMS[i % HELMS.length], c, release: `m${i}` }));
    const results = new Map<string, { status: number; stderr: string; objects: number; missing: string[] }>();

    beforeAll(async () => {
      const started = Date.now();
      await mapConcurrently(jobs, 4, async ({ which, c, release }) => {
        const file = writeValues(chart().scratch, `${release}`, c.values);
        const installed = await helm(which, ['install', release, chart().dir, '-n', 'kube-system', '-f', file]);
        let objects: KubeObject[] = [];
        let missing: string[] = [];
        if (installed.status === 0) {
          const manifest = await helm(which, ['get', 'manifest', release, '-n', 'kube-system']);
          objects = manifestObjects(manifest.stdout);
          const exists = await existing(objects);
          missing = objects.filter((_, i) => !exists[i]).map((o) => `${o.kind}/${o.metadata.name}`);
        }
        results.set(`${which} ${c.name}`, { status: installed.status, stderr: installed.stderr, objects: objects.length, missing });
      });
      process.stdout.write(`helm installed ${jobs.length} releases in ${Date.now() - started} ms\n`);
    }, 600_000);

    test.each(jobs.map((j) => [`${j.which} ${j.c.name}`] as const))('%s', (key) => {
      const result = results.get(key)!;
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.objects).toBeGreaterThanOrEqual(4); // ServiceAccount, a role, its binding, the DaemonSet
      expect(result.missing).toEqual([]);
    });
  });

  describe.each(HELMS)('%s: upgrades across variants, then uninstall', (which) => {
    const release = `upgrade-${which}`;
    const steps: { what: string; values: Json; check: (objects: Json[]) => void }[] = [
      {
        what: 'control plane with local forwarding and Services',
        values: { controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: 'local' } } },
        check: (objects) => {
          const ds = objects.find((o) => o.kind === 'DaemonSet')!;
          expect(ds.spec.template.spec.containers[0].image).toBe(`${IMAGES.standardRepository}:${IMAGES.tag}`);
          expect(ds.spec.template.spec.containers[0].securityContext.privileged).toBeUndefined();
        },
      },
      {
        what: 'forwarding method local -> masquerade on v1.2.1: the iptables image, privileged',
        values: {
          image: { tag: 'v1.2.1' },
          controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
        },
        check: (objects) => {
          const ds = objects.find((o) => o.kind === 'DaemonSet')!;
          expect(ds.spec.template.spec.containers[0].image).toBe(`${IMAGES.iptablesRepository}:v1.2.1`);
          expect(ds.spec.template.spec.containers[0].securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: true });
        },
      },
      {
        what: 'egress on: a Role in kube-system to list pods',
        values: {
          namespace: 'kube-vip',
          controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
          egress: { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' },
        },
        check: (objects) => {
          const role = objects.find((o) => o.kind === 'Role' && o.metadata.namespace === 'kube-system')!;
          expect(role.metadata.name).toBe(`${release}-kube-vip-egress`);
          expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
        },
      },
      {
        what: 'egress off again: the kube-system Role is gone',
        values: { namespace: 'kube-vip', controlPlane: { enabled: true, address: '192.168.0.100' } },
        check: (objects) => {
          expect(objects.some((o) => o.kind === 'Role' && o.metadata.namespace === 'kube-system')).toBe(false);
        },
      },
    ];

    it('keeps the live objects equal to each revision and removes what a revision drops', async () => {
      let previous: KubeObject[] = [];
      for (const [i, step] of steps.entries()) {
        const file = writeValues(chart().scratch, `${release}-${i}`, step.values);
        const verb = i === 0 ? ['install'] : ['upgrade'];
        const result = await helm(which, [...verb, release, chart().dir, '-n', 'kube-system', '-f', file]);
        expect({ step: step.what, stderr: result.stderr, status: result.status }).toEqual({ step: step.what, stderr: '', status: 0 });
        const objects = manifestObjects((await helm(which, ['get', 'manifest', release, '-n', 'kube-system'])).stdout);
        // What the server holds is what the revision rendered (plus the server's defaults,
        // such as fieldRef.apiVersion, hence toMatchObject).
        for (const o of objects) {
          const live = (await server().admin.get(refOf(o))).body as Json;
          if (o.kind === 'DaemonSet')
            expect(live.spec.template.spec.containers[0]).toMatchObject((o as Json).spec.template.spec.containers[0]);
          expect(live.metadata.labels).toEqual(o.metadata.labels);
        }
        step.check(objects as Json[]);
        const dropped = previous.filter(
          (p) =>
            !objects.some((o) => o.kind === p.kind && o.metadata.name === p.metadata.name && o.metadata.namespace === p.metadata.namespace),
        );
        expect(await existing(dropped)).toEqual(dropped.map(() => false));
        previous = objects;
      }
      expect(previous.length).toBeGreaterThan(0);

      const uninstalled = await helm(which, ['uninstall', release, '-n', 'kube-system']);
      expect(uninstalled.status).toBe(0);
      expect(await existing(previous)).toEqual(previous.map(() => false));
      // Nor any release record: helm keeps those as Secrets in the release namespace.
      const secrets = (await server().admin.list('v1', 'Secret', 'kube-system')).body.items;
      expect(secrets.filter((s) => s.metadata.name.startsWith(`sh.helm.release.v1.${release}.`))).toEqual([]);
    }, 120_000);

    it('prints NOTES naming the image and why', async () => {
      const file = writeValues(chart().scratch, `notes-${which}`, {
        image: { tag: 'v1.2.1' },
        egress: { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' },
        controlPlane: { loadBalancer: { enabled: true } },
      });
      const result = await helm(which, ['install', `notes-${which}`, chart().dir, '-n', 'kube-system', '-f', file]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Image: ${IMAGES.iptablesRepository}:v1.2.1`);
      expect(result.stdout).toContain('- egress.enabled: egress SNAT rules run the iptables binaries before v1.2.2');
      // The warnings synth prints, generated from the same tables: a setting that does nothing
      // (lib/validation/rules.ts), then what kube-vip would do (lib/kube-vip/node-rules.ts).
      expect(result.stdout).toContain(
        'Warnings (settings that do nothing, and what kube-vip would do on a node with these values):\n' +
          '- [load-balancer-without-control-plane] controlPlane.loadBalancer.enabled: true has no effect while the control plane is off; turn on controlPlane.enabled or remove it\n' +
          "- [P3-egress-rules-left-behind] egress.enabled: true runs on kube-vip's iptables path here",
      );
      expect(result.stdout).toContain(`DaemonSet notes-${which}-kube-vip: services, metrics on port 2113`);
      expect((await helm(which, ['uninstall', `notes-${which}`, '-n', 'kube-system'])).status).toBe(0);
    });

    it('warns in NOTES about a release newer than the suite runs (a rule that is only a table row)', async () => {
      const file = writeValues(chart().scratch, `untested-${which}`, { image: { tag: FIRST_UNTESTED_RELEASE } });
      const result = await helm(which, ['install', `untested-${which}`, chart().dir, '-n', 'kube-system', '-f', file]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(
        `- [release-untested] image.tag: "${FIRST_UNTESTED_RELEASE}" is newer than ${NEWEST_TESTED_RELEASE}, the newest release`,
      );
      expect((await helm(which, ['uninstall', `untested-${which}`, '-n', 'kube-system'])).status).toBe(0);
    });

    it("warns in NOTES about lease timings that put the VIP on two nodes (kube-vip's own), with both numbers", async () => {
      const file = writeValues(chart().scratch, `lease-${which}`, {
        controlPlane: {
          enabled: true,
          address: '192.168.0.100',
          leaderElection: { leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 },
        },
      });
      const result = await helm(which, ['install', `lease-${which}`, chart().dir, '-n', 'kube-system', '-f', file]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(
        '- [lease-two-holders] controlPlane.leaderElection.leaseDurationSeconds: 15 is not above retryPeriodSeconds (2) + 2 x renewDeadlineSeconds (10)',
      );
      expect((await helm(which, ['uninstall', `lease-${which}`, '-n', 'kube-system'])).status).toBe(0);
    });

    it('refuses a namespace whose Pod Security level would keep kube-vip without pods', async () => {
      const ns = `baseline-${which}`;
      await server().admin.apply(namespaceObject(ns, enforcing('baseline')));
      const refused = await helm(which, ['install', `psa-${which}`, chart().dir, '-n', ns]);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(`[pod-security-level] namespace: "${ns}" enforces Pod Security level "baseline"`);
      expect(refused.stderr).toContain(`kubectl label namespace ${ns} pod-security.kubernetes.io/enforce=privileged --overwrite`);
      // Nothing was created: no DaemonSet without pods.
      const daemonSets = (await server().admin.list('apps/v1', 'DaemonSet', ns)).body.items;
      expect(daemonSets).toEqual([]);

      // Following the message fixes it.
      await server().admin.apply(namespaceObject(ns, enforcing('privileged')));
      const accepted = await helm(which, ['install', `psa-${which}`, chart().dir, '-n', ns]);
      expect(accepted.stderr).toBe('');
      expect(accepted.status).toBe(0);
    }, 60_000);
  });
});
