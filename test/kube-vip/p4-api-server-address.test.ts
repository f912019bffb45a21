import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { KubeObject } from '../e2e/support/kube';
import { cli, ensureCompiled, yamlDocs } from '../cli/support/cli';
import { describeOnNodes, kubeVipTools, releasesSince } from '../support/tools';
import { Image, TestCluster } from './support/cluster';
import { Host, netnsUnavailable } from './support/netns';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';

const RELEASES = releasesSince('v1.2.2');

/** Whether a TCP connection from `host` to address:port opens within two seconds. */
function connects(cluster: TestCluster, host: Host, address: string, port: number): boolean {
  return cluster.lab.tryExec(host.netns, 'timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/${address}/${port}`]).status === 0;
}

/**
 * Scenario 6 (P4), through `synth`: the control-plane VIP set to the API server's own address.
 * Without the cluster facts, nothing can tell, and real kube-vip (each release from v1.2.2 on)
 * takes the address over the LAN (gratuitous ARP): clients that reached the API server now
 * reach the kube-vip node, where nothing serves it. With the facts, `synth` refuses the
 * configuration (the fix).
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(RELEASES)], netnsUnavailable).each(RELEASES)(
  'a VIP equal to the API server address (P4) on real kube-vip %s (synth)',
  (release) => {
    const cluster = useTestCluster({ controlPlaneNodes: 2 });
    let dir: string;
    beforeAll(() => {
      ensureCompiled();
      dir = mkdtempSync(join(tmpdir(), 'kube-vip-p4-'));
    }, 150_000); // ensureCompiled may wait for another worker's compile
    afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

    const synth = (values: unknown) => {
      writeFileSync(join(dir, 'values.yaml'), stringify(values));
      return cli(['synth', '-f', join(dir, 'values.yaml')]);
    };
    const values = (apiServer: string) => ({
      image: { tag: release },
      interface: 'eth0',
      services: { enabled: false },
      // kube-vip's own lease timings. With ours (6/2/1) the holder, having cut itself off from
      // the API server, steps down within 2 s and exits, and takes the address again after each
      // restart: the client loses the API server in bursts this test's probe can miss.
      controlPlane: {
        enabled: true,
        address: apiServer,
        leaderElection: { leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 },
      },
    });

    it('accepted without facts, it takes the API server address away: a client on the LAN loses the API server', async () => {
      const c = cluster();
      const apiServer = c.apiHost.address;
      const client = c.addHost('client', 100);
      expect(connects(c, client, apiServer, 6443)).toBe(true); // before: reachable (and in the client's ARP cache)

      const result = synth(values(apiServer));
      expect(result.code).toBe(0); // nothing told the toolkit which address the API server has
      const objects = yamlDocs(result.stdout) as KubeObject[];
      await c.apply(objects);
      await c.runDaemonSets(objects, kubeVipBinary(release), Image.STANDARD);

      const holder = await c.waitFor('a node announcing the API server address', () => c.holders(apiServer)[0]);
      const lost = await c.waitFor(
        'the API server unreachable from the client',
        () => (connects(c, client, apiServer, 6443) ? undefined : true),
        20_000,
      );
      expect(lost).toBe(true);
      const mac = c.lab.exec(c.nodes.find((n) => n.name === holder)!.host.netns, 'cat', ['/sys/class/net/eth0/address']).trim();
      expect(c.lab.exec(client.netns, 'ip', ['neigh', 'show', apiServer])).toContain(mac); // the client's ARP entry now names the node
      process.stdout.write(`P4: ${holder} took ${apiServer}; the client's connections to the API server fail\n`);
    }, 90_000);

    it('with the API server address among the cluster facts, synth refuses it (P4-announced-address-in-use)', () => {
      const apiServer = cluster().apiHost.address;
      const result = synth({ ...values(apiServer), cluster: { apiServerAddresses: [apiServer] } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('[P4-announced-address-in-use]');
      expect(result.stderr).toContain(`controlPlane.address: "${apiServer}" is an API server address`);
    });
  },
);
