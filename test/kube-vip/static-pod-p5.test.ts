import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { dialsKubeconfigServer, KUBECONFIG_SERVER_FIRST } from '../../lib/kube-vip/releases';
import { KUBE_VIP_KUBECONFIG_PATH } from '../../lib/kube-vip/defaults';
import { KubeObject } from '../e2e/support/kube';
import { cli, ensureCompiled, yamlDocs } from '../cli/support/cli';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease } from '../support/tools';
import { Image, RunningPod, TestCluster, TestNode } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';

/** The static pod `cdk8s-kube-vip synth` writes for a values file, as a user would make it. */
function synthStaticPod(kubeconfig: 'admin' | 'superAdmin'): KubeObject {
  const dir = mkdtempSync(join(tmpdir(), 'kube-vip-p5-'));
  try {
    const values = {
      image: { tag: 'v1.2.2' },
      interface: 'eth0',
      services: { enabled: false },
      controlPlane: { enabled: true, address: VIP, deployment: 'staticPod', kubeconfig },
    };
    writeFileSync(join(dir, 'values.yaml'), stringify(values));
    const result = cli(['synth', '-f', join(dir, 'values.yaml'), '--only', 'static-pods']);
    if (result.code !== 0) throw new Error(`synth failed: ${result.stderr}`);
    const pods = yamlDocs(result.stdout).filter((o) => o.kind === 'Pod');
    expect(pods).toHaveLength(1);
    return pods[0] as KubeObject;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same pod without one env var: the fix taken away. */
function withoutEnv(pod: KubeObject, name: string): KubeObject {
  const copy = structuredClone(pod) as any;
  const container = copy.spec.containers[0];
  expect(container.env.some((e: any) => e.name === name)).toBe(true);
  container.env = container.env.filter((e: any) => e.name !== name);
  return copy;
}

/** The same pod with its kubeconfig mounted and named (k8s_config_file) at `path` instead of kube-vip's default. */
function withKubeconfigAt(pod: KubeObject, path: string): KubeObject {
  const copy = structuredClone(pod) as any;
  const container = copy.spec.containers[0];
  const mount = container.volumeMounts.find((m: any) => m.mountPath === KUBE_VIP_KUBECONFIG_PATH);
  expect(mount).toBeDefined();
  mount.mountPath = path;
  container.env.push({ name: 'k8s_config_file', value: path });
  return copy;
}

/**
 * Scenario 2 (P5), through `synth`: on the first control-plane node of kubeadm >= 1.29 during
 * `kubeadm init`, /etc/kubernetes/admin.conf exists but its user has no rights yet (kubeadm
 * binds its group only later); super-admin.conf's user is in system:masters. The node's files
 * are modelled that way: admin.conf carries the token of a ServiceAccount with no RBAC at all,
 * super-admin.conf the API server's system:masters token. Both name the VIP as their server,
 * as kubeadm writes them for a VIP control-plane endpoint; the node's own API server listens
 * on 127.0.0.1:6443, which the pod reaches as `kubernetes` (its host alias).
 */
describeOnNodes(['kube-apiserver-test', ...KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const)], netnsUnavailable)(
  'kubeadm >= 1.29 static pod (P5) on real kube-vip (synth)',
  () => {
    const cluster = useTestCluster({ controlPlaneNodes: 2 });
    let first: TestNode;
    let second: TestNode;

    beforeAll(async () => {
      ensureCompiled();
      const c = cluster();
      [first, second] = c.nodes;
      await c.apply([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubeadm-init' } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'no-rights-yet', namespace: 'kubeadm-init' } },
      ]);
      const noRights = await c.admin.requestToken('kubeadm-init', 'no-rights-yet', 3600);
      for (const node of [first, second]) {
        c.writeNodeFile(node, '/etc/kubernetes/admin.conf', c.kubeconfig(noRights, `https://${VIP}:6443`));
        c.writeNodeFile(node, '/etc/kubernetes/super-admin.conf', c.kubeconfig(c.adminToken(), `https://${VIP}:6443`));
        await c.localApiServer(node);
      }
    }, 150_000); // ensureCompiled may wait for another worker's compile
    afterEach(async () => {
      const c = cluster();
      await c.stopAllPods();
      await c.waitFor('the VIP gone after the test', () => (c.holders(VIP).length === 0 ? true : undefined), 15_000);
    }, 40_000);

    /** kube-vip keeps retrying: after its error, wait well past a retry period to show nothing comes up. */
    async function expectNoVip(c: TestCluster, pod: RunningPod, why: RegExp) {
      await pod.process.waitForOutput(why, 30_000);
      await new Promise((r) => setTimeout(r, 5_000));
      expect(c.holders(VIP)).toEqual([]);
    }

    async function expectVipOn(c: TestCluster, node: TestNode) {
      await c.waitFor(`the VIP on ${node.name}`, () => (c.holders(VIP).join() === node.name ? true : undefined), 30_000);
    }

    describe.each(KUBE_VIP_RELEASES.map((r) => [r]))('kube-vip %s', (release: KubeVipRelease) => {
      const run = (pod: KubeObject) => cluster().runStaticPod(pod, first, kubeVipBinary(release), Image.STANDARD);

      it('with the plain admin.conf (the default), the lease is forbidden and the VIP never comes up', async () => {
        const pod = await run(synthStaticPod('admin'));
        await expectNoVip(cluster(), pod, /leases.*forbidden/i);
      }, 60_000);

      it('with superAdmin (super-admin.conf mounted at admin.conf), the first node gets the VIP', async () => {
        await run(synthStaticPod('superAdmin'));
        await expectVipOn(cluster(), first);
      }, 60_000);
    });

    // Our static pod mounts the kubeconfig at kube-vip's default path, which v1.2.3 reads as v1.2.1 did.
    const dialsVip = (release: KubeVipRelease) => dialsKubeconfigServer(release, KUBE_VIP_KUBECONFIG_PATH);

    it.each(KUBE_VIP_RELEASES.filter(dialsVip).map((r) => [r]))(
      'without kubernetes_addr, %s dials the VIP named in the kubeconfig, which is not up yet: no VIP ever',
      async (release) => {
        const pod = await cluster().runStaticPod(
          withoutEnv(synthStaticPod('superAdmin'), 'kubernetes_addr'),
          first,
          kubeVipBinary(release),
          Image.STANDARD,
        );
        await expectNoVip(cluster(), pod, new RegExp(`dial tcp ${VIP.replace(/\./g, '\\.')}:6443`));
      },
      60_000,
    );

    it.each(KUBE_VIP_RELEASES.filter((r) => dialsKubeconfigServer(r, '/etc/kubernetes/super-admin.conf')).map((r) => [r]))(
      'without kubernetes_addr, %s dials the VIP named in a kubeconfig mounted elsewhere than the default path: no VIP ever',
      async (release) => {
        const elsewhere = withKubeconfigAt(withoutEnv(synthStaticPod('superAdmin'), 'kubernetes_addr'), '/etc/kubernetes/super-admin.conf');
        const pod = await cluster().runStaticPod(elsewhere, first, kubeVipBinary(release), Image.STANDARD);
        await expectNoVip(cluster(), pod, new RegExp(`dial tcp ${VIP.replace(/\./g, '\\.')}:6443`));
      },
      60_000,
    );

    it.each(KUBE_VIP_RELEASES.filter((r) => !dialsVip(r)).map((r) => [r]))(
      `without kubernetes_addr, %s reaches its local API server (only ${KUBECONFIG_SERVER_FIRST.since} dials the VIP for a kubeconfig at ${KUBE_VIP_KUBECONFIG_PATH})`,
      async (release) => {
        await cluster().runStaticPod(
          withoutEnv(synthStaticPod('superAdmin'), 'kubernetes_addr'),
          first,
          kubeVipBinary(release),
          Image.STANDARD,
        );
        await expectVipOn(cluster(), first);
      },
      60_000,
    );

    it('the superAdmin pod does not start where super-admin.conf is missing (a joining node): hostPath type File', async () => {
      rmSync(join(second.root, 'etc/kubernetes/super-admin.conf'));
      await expect(cluster().runStaticPod(synthStaticPod('superAdmin'), second, kubeVipBinary('v1.2.2'), Image.STANDARD)).rejects.toThrow(
        /super-admin.conf \(type File\) does not exist/,
      );
    });
  },
);
