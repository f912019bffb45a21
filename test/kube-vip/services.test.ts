import { LEASE_TIMINGS } from '../../lib/kube-vip/defaults';
import { KubeApiError, KubeObject } from '../e2e/support/kube';
import { parseStream, runHelm, useTestChart, writeValues } from '../support/helm';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image, RunningPod } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const VIP = '192.168.77.200';
const SERVICE_ADDRESS = '192.168.77.210';
const RELEASES = releasesSince('v1.2.2');

/**
 * Scenario 3, through the chart (`helm template`): two releases of ours in one cluster, a
 * control-plane one and a services one, run by real kube-vip on the same nodes; a LoadBalancer
 * Service with its address in kube-vip's annotation. On each kube-vip release from v1.2.2 on;
 * `release` below names a Helm release.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES), 'helm3'], netnsUnavailable).each(RELEASES)(
  'Services and a control plane side by side on real kube-vip %s (chart)',
  (kubeVipRelease) => {
    const cluster = useTestCluster({ controlPlaneNodes: 2, workerNodes: 1 });
    const chart = useTestChart();
    let objects: KubeObject[];
    let pods: RunningPod[];

    const template = (release: string, values: unknown) => {
      const file = writeValues(chart().scratch, release, values);
      const result = runHelm('helm3', ['template', release, chart().dir, '-n', 'kube-system', '-f', file, '--kube-version', '1.35.4']);
      if (result.status !== 0) throw new Error(`helm template ${release}: ${result.stderr}`);
      return parseStream(result.stdout) as KubeObject[];
    };

    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'apps', annotations: { 'kube-vip.io/loadbalancerIPs': SERVICE_ADDRESS } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: 'web' } },
    };

    beforeAll(async () => {
      const image = { tag: kubeVipRelease };
      objects = [
        ...template('cp', { image, interface: 'eth0', controlPlane: { enabled: true, address: VIP }, services: { enabled: false } }),
        // The chart's defaults (Services with per-Service election), on every node as in a small
        // cluster whose nodes are all control-plane nodes: both releases then share nodes.
        ...template('lb', { image, interface: 'eth0', scheduling: { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] } }),
      ];
      await cluster().apply(objects);
      pods = await cluster().runDaemonSets(objects, kubeVipBinary(kubeVipRelease), Image.STANDARD);
    }, 60_000);

    it('schedules both releases without a host-port clash (metrics 2112 and 2113), one pod per node each', () => {
      expect(cluster().unschedulable).toEqual([]);
      const placed = pods.map((p) => `${p.env.svc_enable === 'true' ? 'lb' : 'cp'}@${p.node.name}`).sort();
      expect(placed).toEqual(['cp@cp-1', 'cp@cp-2', 'lb@cp-1', 'lb@cp-2', 'lb@worker-3']);
      // Each on its node's own address (metrics.bindAddress empty).
      for (const p of pods) expect(p.env.prometheus_server).toBe(`[${p.node.host.address}]:${p.env.svc_enable === 'true' ? 2113 : 2112}`);
    });

    it('every process serves its own metrics port (2112 control plane, 2113 Services) and the control-plane VIP comes up', async () => {
      const c = cluster();
      await c.waitFor('the control-plane VIP', () => (c.holders(VIP).length === 1 ? true : undefined));
      for (const pod of pods) {
        const port = pod.env.prometheus_server.replace(/^.*:/, '');
        const metrics = await c.waitFor(
          `metrics of ${pod.node.name}:${port}`,
          () => {
            const got = c.lab.tryExec(pod.node.host.netns, 'bash', [
              '-c',
              `exec 3<>/dev/tcp/${pod.node.host.address}/${port}; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; timeout 2 cat <&3`,
            ]);
            return got.output.includes('kube_vip') ? got.output : undefined;
          },
          20_000,
        );
        expect(metrics).toContain(`node="${pod.node.name}"`);
        expect(pod.process.output()).not.toMatch(/address already in use/);
      }
    }, 60_000);

    it('gives the Service its address on exactly one node, writes its status, and holds a per-Service lease', async () => {
      const c = cluster();
      await c.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, service]);
      await c.addEndpoint(service, c.nodes[2], '10.244.3.5');
      const holder = await c.waitFor('the Service address on one node', () => {
        const holders = c.holders(SERVICE_ADDRESS);
        return holders.length === 1 ? holders[0] : undefined;
      });
      const status = await c.waitFor('the Service status', async () => {
        const ingress = ((await c.admin.get({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' })).body as any).status
          ?.loadBalancer?.ingress;
        return ingress?.length ? ingress : undefined;
      });
      expect(status).toEqual([expect.objectContaining({ ip: SERVICE_ADDRESS })]);
      const leases = (await c.admin.list('coordination.k8s.io/v1', 'Lease')).body.items.map(
        (l: any) => `${l.metadata.namespace}/${l.metadata.name}=${l.spec.holderIdentity}`,
      );
      expect(leases).toContain(`apps/kubevip-web=${holder}`);
      // client-go writes the lease duration it elects with into the Lease: the Services release
      // (no control plane) elects with our timings, not kube-vip's 15/10/2.
      const serviceLease = (
        await c.admin.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'apps', name: 'kubevip-web' })
      ).body as any;
      expect(serviceLease.spec.leaseDurationSeconds).toBe(LEASE_TIMINGS.leaseDurationSeconds);
      // Each release has leases of its own, named after the release: they never share one.
      const cpLease = pods.find((p) => p.env.cp_enable === 'true')!.env.vip_leasename;
      expect(cpLease).toBe('cp-kube-vip-cp-lock'); // named after the release
      expect(leases).toContain(`kube-system/${cpLease}=${c.holders(VIP)[0]}`);
      process.stdout.write(`leases: ${leases.join(', ')}\n`);
    }, 60_000);

    it('releases the address when the Service is deleted', async () => {
      const c = cluster();
      await c.admin.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' });
      await c.waitFor('the Service address gone from every node', () => (c.holders(SERVICE_ADDRESS).length === 0 ? true : undefined));
      await expect(c.admin.get({ apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' })).rejects.toBeInstanceOf(KubeApiError);
      expect(c.holders(VIP)).toHaveLength(1); // the control plane is untouched
    }, 40_000);

    it("a third release on the control plane's metrics port would not schedule where that one runs (the clash the defaults avoid)", async () => {
      const c = cluster();
      const clash = template('clash', {
        image: { tag: kubeVipRelease },
        interface: 'eth0',
        metrics: { servicesPort: 2112 },
        scheduling: { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] },
      });
      await c.apply(clash);
      const started = await c.runDaemonSets(clash, kubeVipBinary(kubeVipRelease), Image.STANDARD);
      expect(started.map((p) => p.node.name)).toEqual(['worker-3']);
      expect(c.unschedulable).toEqual([
        expect.stringMatching(/^clash-kube-vip on cp-1: host port 2112 in use$/),
        expect.stringMatching(/^clash-kube-vip on cp-2: host port 2112 in use$/),
      ]);
    }, 40_000);
  },
);
