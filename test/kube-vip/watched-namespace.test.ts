import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, releasesSince } from '../support/tools';
import { Image } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

type Json = Record<string, any>;

/**
 * Per-Service election puts each Service's lease in the Service's namespace. When kube-vip
 * watches one namespace (services.watchNamespace), our RBAC grants leases there only: a Role in
 * that namespace instead of a ClusterRole (lib/kube-vip/rbac.ts). Real kube-vip takes the
 * Service's lease and announces its address with that Role, and cannot without it.
 */
describeOnNodes(['kube-apiserver-test', ...KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const)], netnsUnavailable)(
  'per-Service leases in the one watched namespace, on real kube-vip',
  () => {
    const cluster = useTestCluster({ controlPlaneNodes: 1, workerNodes: 1 });

    const objectsFor = (name: string, tag: string) =>
      synthValues({
        name,
        image: { tag },
        interface: 'eth0',
        services: { enabled: true, election: true, watchNamespace: 'apps' },
        scheduling: { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] },
      }).cluster as KubeObject[];

    const serviceAt = (name: string, address: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'apps', annotations: { 'kube-vip.io/loadbalancerIPs': address } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: name } },
    });

    beforeAll(async () => {
      await cluster().apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }]);
    });

    it.each(releasesSince('v1.2.2'))(
      '%s: grants leases by a Role in the watched namespace, and no ClusterRole rule for them',
      (release) => {
        const objects = objectsFor('grants', release) as Json[];
        const leaseRules = (o: Json) => (o.rules ?? []).filter((r: Json) => r.resources.includes('leases'));
        expect(objects.filter((o) => o.kind === 'ClusterRole').flatMap(leaseRules)).toEqual([]);
        const role = objects.find((o) => o.kind === 'Role' && o.metadata.namespace === 'apps')!;
        expect(role.metadata.name).toBe('grants-service-leases');
        expect(leaseRules(role)).toEqual([
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
        ]);
      },
    );

    it.each(KUBE_VIP_RELEASES.map((release, i) => [release, i] as const))(
      '%s takes the Service lease in the watched namespace with the Role, and not without it',
      async (release, i) => {
        const c = cluster();
        const tag = release;
        const withRole = objectsFor(`with-${i}`, tag);
        const withoutRole = objectsFor(`without-${i}`, tag).filter((o) => !(o.metadata.namespace === 'apps'));
        // Without the Role first: the address must not come, and kube-vip says why.
        await c.apply(withoutRole);
        const denied = serviceAt(`denied-${i}`, `192.168.77.${220 + i}`);
        await c.apply([denied]);
        await c.addEndpoint(denied, c.nodes[1], `10.244.3.${10 + i}`);
        const [refused] = await c.runDaemonSets(withoutRole, kubeVipBinary(release), Image.STANDARD);
        await refused.process.waitForOutput(/leases\.coordination\.k8s\.io .* is forbidden/, 20_000);
        expect(c.holders(`192.168.77.${220 + i}`)).toEqual([]);
        await refused.process.kill();

        await c.apply(withRole);
        const served = serviceAt(`served-${i}`, `192.168.77.${230 + i}`);
        await c.apply([served]);
        await c.addEndpoint(served, c.nodes[1], `10.244.3.${20 + i}`);
        const pods = await c.runDaemonSets(withRole, kubeVipBinary(release), Image.STANDARD);
        const holder = await c.waitFor('the Service address on one node', () => {
          const holders = c.holders(`192.168.77.${230 + i}`);
          return holders.length === 1 ? holders[0] : undefined;
        });
        const leases = (await c.admin.list('coordination.k8s.io/v1', 'Lease')).body.items.map(
          (l: Json) => `${l.metadata.namespace}/${l.metadata.name}=${l.spec.holderIdentity}`,
        );
        expect(leases).toContain(`apps/kubevip-served-${i}=${holder}`);
        for (const pod of pods) await pod.process.kill();
      },
      90_000,
    );
  },
);
