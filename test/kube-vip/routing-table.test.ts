import { Announcement, KubeVip, KubeVipImage, KubeVipServicesLB } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { synthWith } from '../support/synth';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image } from './support/cluster';
import { netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const SERVICE_ADDRESS = '192.168.77.220';
const TABLE = 201;
const PROTOCOL = 250;
const RELEASES = releasesSince('v1.2.2');

/**
 * Scenario 5, through the constructs: routing-table mode for Services. kube-vip writes each
 * Service address as a route into the table and with the protocol our values name, for a routing
 * daemon to export; nothing is announced on the LAN. On each release from v1.2.2 on.
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES)], netnsUnavailable).each(RELEASES)(
  'routing-table mode on real kube-vip %s (constructs)',
  (release) => {
    const cluster = useTestCluster({ workerNodes: 2 });
    const objects = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', {
        image: KubeVipImage.standard(release),
        announce: Announcement.routingTable({ tableID: TABLE, protocol: PROTOCOL }),
        interface: 'eth0',
      });
      new KubeVipServicesLB(kubeVip, 'services', {});
    }).cluster as KubeObject[];

    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'default', annotations: { 'kube-vip.io/loadbalancerIPs': SERVICE_ADDRESS } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }], selector: { app: 'db' } },
    };

    /** The routes of our table on each node, as `ip route show table N` prints them ('' until the table exists). */
    const routes = () =>
      Object.fromEntries(
        cluster().nodes.map((n) => {
          const shown = cluster().lab.tryExec(n.host.netns, 'ip', ['route', 'show', 'table', String(TABLE)]);
          return [n.name, shown.status === 0 ? shown.output.trim() : ''];
        }),
      );

    it('routes the Service address in the configured table with the configured protocol, on the elected node', async () => {
      const c = cluster();
      await c.apply(objects);
      await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);
      await c.apply([service]);
      await c.addEndpoint(service, c.nodes[0], '10.244.1.7');
      const found = await c.waitFor(`a route for ${SERVICE_ADDRESS} in table ${TABLE}`, () => {
        const withRoute = Object.entries(routes()).filter(([, r]) => r.includes(SERVICE_ADDRESS));
        return withRoute.length > 0 ? withRoute : undefined;
      });
      expect(found).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 3_000));
      const steady = Object.entries(routes()).filter(([, r]) => r.includes(SERVICE_ADDRESS));
      expect(steady).toEqual(found); // per-Service election: one node routes it, and keeps it
      expect(found[0][1]).toMatch(new RegExp(`${SERVICE_ADDRESS.replace(/\./g, '\\.')}.* proto ${PROTOCOL}`));
      expect(c.holders(SERVICE_ADDRESS)).toEqual([]); // no address on an interface of any node: nothing answers ARP for it
    }, 60_000);

    it('removes the route when the Service is deleted', async () => {
      const c = cluster();
      await c.admin.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'db' });
      await c.waitFor('the route gone', () => (Object.values(routes()).every((r) => !r.includes(SERVICE_ADDRESS)) ? true : undefined));
    }, 40_000);

    it('without our table and protocol in the env, kube-vip routes into its defaults (198, 248), not where a routing daemon reading ours looks', async () => {
      const c = cluster();
      await c.stopAllPods();
      const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as any;
      const container = ds.spec.template.spec.containers[0];
      container.env = container.env.filter((e: any) => e.name !== 'vip_routingtableid' && e.name !== 'vip_routingprotocol');
      await c.runDaemonSets([ds], kubeVipBinary(release), Image.STANDARD);
      await c.apply([service]);
      await c.addEndpoint(service, c.nodes[0], '10.244.1.7');
      const route = await c.waitFor('a route in table 198', () => {
        const found = c.nodes
          .map((n) => c.lab.tryExec(n.host.netns, 'ip', ['route', 'show', 'table', '198']).output)
          .find((r) => r.includes(SERVICE_ADDRESS));
        return found;
      });
      expect(route).toMatch(/proto 248/);
      expect(Object.values(routes()).join('\n')).not.toContain(SERVICE_ADDRESS);
    }, 60_000);
  },
);
