import { KubeObject } from '../e2e/support/kube';
import { synthValues } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease, kubeVipTools } from '../support/tools';
import { API_PORT, Image, TestCluster } from './support/cluster';
import { firewallCommands, NodeFirewall } from './support/firewall';
import { Host, netnsUnavailable } from './support/netns';
import { IPVS_SHOWN, IpvsOutcome } from './support/shown';
import { kubeVipBinary, useTestCluster } from './support/use-cluster';
import { IpvsService, ipvsTable, podCommand, VmNode, vmUnavailable, watchIpvs } from './support/vm';

const VIP = '192.168.77.201';
const VM_OCTET = 31;
const BACKEND_OCTET = 32;
const CLIENT_OCTET = 50;

type Method = 'masquerade' | 'local' | 'directroute' | 'tunnel' | 'bypass';

interface Cell {
  readonly release: KubeVipRelease;
  readonly image: Image;
  readonly firewall: NodeFirewall;
  readonly method: Method;
}

/**
 * P1 through IPVS itself: kube-vip's control-plane load balancer (lb_enable) on a kernel that has
 * IPVS, in a VM node (support/vm.ts) on the lab's LAN, with the env our chart generates. The
 * backend is the test API server, published as a Ready control-plane Node whose InternalIP is
 * its address: kube-vip's node watcher adds a node once its health check (GET /version on that
 * address, with the pod's token) answers. A client on the LAN asks GET https://VIP:6443/version.
 *
 * Masquerade runs for every release, image and node; the other methods on the iptables image and
 * a kube-proxy node. For direct routing the backend holds the VIP on lo and answers no ARP for
 * it, as a direct-routing backend must. A tunnel backend needs IPIP, which the test machine's
 * kernel lacks: its cell's backend is a second VM node (startTunnelBackend).
 */
describeOnNodes(['kube-apiserver-test', ...kubeVipTools(KUBE_VIP_RELEASES)], () => netnsUnavailable() ?? vmUnavailable())(
  'the IPVS control-plane load balancer on real kube-vip, per release, image, node and forwarding method (in a VM node)',
  () => {
    // The tunnel backend serves the API server's certificate, which must name its address.
    const cluster = useTestCluster({ apiServerAddresses: [`192.168.77.${BACKEND_OCTET}`] });
    let client: Host;
    let vm: VmNode | undefined;
    let backendVm: VmNode | undefined;

    beforeAll(async () => {
      const c = cluster();
      client = c.addHost('client', CLIENT_OCTET);
      await addReadyControlPlaneNode(c, 'api-server', c.apiHost.address);
    }, 30_000);

    // The VM goes with each test, also when it fails: only one runs at a time.
    afterEach(async () => {
      await Promise.all([vm?.stop(), backendVm?.stop()]);
      if (backendVm) {
        backendVm = undefined;
        await cluster().admin.delete({ apiVersion: 'v1', kind: 'Node', name: TUNNEL_BACKEND });
        await addReadyControlPlaneNode(cluster(), 'api-server', cluster().apiHost.address);
      }
      directRoutingBackend(cluster(), false);
    }, 30_000);

    const cells: Cell[] = [];
    for (const release of KUBE_VIP_RELEASES) {
      for (const image of [Image.STANDARD, Image.IPTABLES])
        for (const firewall of [NodeFirewall.BARE, NodeFirewall.KUBE_PROXY]) cells.push({ release, image, firewall, method: 'masquerade' });
      cells.push({ release, image: Image.IPTABLES, firewall: NodeFirewall.NAT_ONLY, method: 'masquerade' });
      for (const method of ['local', 'directroute', 'tunnel', 'bypass'] as const)
        cells.push({ release, image: Image.IPTABLES, firewall: NodeFirewall.KUBE_PROXY, method });
    }
    const nameOf = (cell: Cell) => `${cell.release} ${cell.image} image, ${cell.firewall} node, ${cell.method}`;

    it('covers every cell it expects', () => {
      expect(cells.map(nameOf).sort()).toEqual(Object.keys(IPVS_SHOWN).sort());
    });

    it.each(cells.map((cell) => [nameOf(cell), cell] as const))(
      '%s',
      async (name, cell) => {
        const c = cluster();
        // We refuse bypass (lb-forwarding-bypass, from this test): its cell runs our local output with lb_fwdmethod changed.
        const objects = synthValues({
          image: { tag: cell.release },
          interface: 'eth0',
          controlPlane: {
            enabled: true,
            address: VIP,
            loadBalancer: { enabled: true, forwardingMethod: cell.method === 'bypass' ? 'local' : cell.method },
          },
        }).cluster as KubeObject[];
        if (cell.method === 'bypass') setEnv(objects, 'lb_fwdmethod', 'bypass');
        await c.apply(objects);
        await c.admin
          .delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system', name: 'kube-vip-cp-lock' })
          .catch(() => undefined); // the previous cell's holder is gone
        directRoutingBackend(c, cell.method === 'directroute');
        let backend = `${c.apiHost.address}:${API_PORT}`;
        if (cell.method === 'tunnel') {
          backendVm = await startTunnelBackend(c);
          backend = `${backendVm.address}:${API_PORT}`;
        }
        vm = await startKubeVipVm(c, objects, cell);
        await vm.waitForLine(/^vm-node: running/, 120_000);
        const outcome = await observe(c, vm, client, backend);
        process.stderr.write(`ipvs.test ${name}: ${outcome} (VM ran ${(Date.now() - vm.startedAt) / 1000}s)\n`);
        expect(outcome).toBe(IPVS_SHOWN[name]);
      },
      300_000,
    );
  },
);

/**
 * What a cell came to: kube-vip's exit where it exits, else the IPVS service it made and what
 * the client got through it.
 */
async function observe(c: TestCluster, vm: VmNode, client: Host, backend: string): Promise<IpvsOutcome | string> {
  // The service with its backend, or kube-vip gone: whichever comes first.
  const service = await c
    .waitFor(
      `an IPVS service with backend ${backend}, or kube-vip to exit`,
      () => {
        if (/^kube-vip exited/m.test(vm.output())) return 'exited' as const;
        return ipvsTable(vm.output())?.find((s) => s.destinations.some((d) => d.address === backend));
      },
      90_000,
      500,
    )
    .catch(() => undefined);
  if (service === 'exited' || service === undefined) return exitReason(vm.output());
  // The first tries may come before the VIP's ARP reaches the client: ask until it answers 200,
  // or gives the same other answer three times in a row.
  const answers: string[] = [];
  const answer = await c
    .waitFor(
      `200, or one other answer three times, on ${VIP}:${API_PORT}`,
      () => {
        answers.push(getVersion(c, client, VIP)?.replace(/^(200) .*$/, '$1') ?? 'no answer');
        const last = answers.slice(-3);
        if (last.at(-1) === '200') return '200';
        return last.length === 3 && new Set(last).size === 1 ? last[0] : undefined;
      },
      30_000,
      500,
    )
    .catch(() => answers.at(-1) ?? 'no answer');
  const counted = await c
    .waitFor('IPVS to count the client connections', () => (connections(vm, service) > 0 ? true : undefined), 5_000, 500)
    .catch(() => false);
  return `${describeService(service)}; client ${answer}${counted ? ', counted by IPVS' : ''}`;
}

function describeService(s: IpvsService): string {
  const where = s.protocol === 'FWM' ? `FWM ${s.address}` : `${s.protocol} ${s.address === `${VIP}:${API_PORT}` ? 'VIP:6443' : s.address}`;
  return `${where} -> ${s.destinations.map((d) => d.forward).join(', ')}`;
}

function connections(vm: VmNode, service: IpvsService): number {
  const now = ipvsTable(vm.output())?.find((s) => s.protocol === service.protocol && s.address === service.address);
  return now?.destinations.reduce((sum, d) => sum + d.connections, 0) ?? 0;
}

/** Why kube-vip stopped: its error adding the VIP's rules if it logged one, else its first error. */
function exitReason(console: string): string {
  const errors = console.split('\n').filter((l) => / ERROR |level=ERROR|"level":"error"/.test(l));
  const line = errors.find((l) => /failed to add IP|masquerade|POSTROUTING/.test(l)) ?? errors[0] ?? '(no error logged)';
  if (/executable file not found in \$PATH/.test(line)) return 'exits: no iptables binaries';
  if (/chain POSTROUTING in table nat/.test(line)) return 'exits: no nat/POSTROUTING chain';
  return `exits: ${line.replace(/^.*?(ERROR|error)/, '').slice(0, 200)}`;
}

/** Sets an env var of the DaemonSet's kube-vip container, which must have it. */
function setEnv(objects: KubeObject[], name: string, value: string): void {
  const container = (objects.find((o) => o.kind === 'DaemonSet') as any).spec.template.spec.containers[0];
  const entry = container.env.find((e: { name: string }) => e.name === name);
  if (!entry) throw new Error(`the DaemonSet has no env ${name}`);
  entry.value = value;
}

/**
 * A direct-routing backend: the VIP on lo (so it takes packets sent to the VIP), and no ARP
 * answer for it (arp_ignore 1, arp_announce 2), so only the holder answers for the VIP.
 */
function directRoutingBackend(c: TestCluster, on: boolean): void {
  const netns = c.apiHost.netns;
  if (on) {
    for (const [key, value] of [
      ['arp_ignore', '1'],
      ['arp_announce', '2'],
    ])
      c.lab.exec(netns, 'sysctl', ['-qw', `net.ipv4.conf.all.${key}=${value}`]);
    c.lab.exec(netns, 'ip', ['addr', 'add', `${VIP}/32`, 'dev', 'lo']);
  } else {
    c.lab.tryExec(netns, 'ip', ['addr', 'del', `${VIP}/32`, 'dev', 'lo']);
    for (const key of ['arp_ignore', 'arp_announce']) c.lab.tryExec(netns, 'sysctl', ['-qw', `net.ipv4.conf.all.${key}=0`]);
  }
}

const TUNNEL_BACKEND = 'vm-2';

/**
 * An IPIP tunnel backend, in a second VM node since this machine's kernel has no IPIP: the VIP
 * on tunl0 with no ARP answer for it (only the holder answers), rp_filter off (a decapsulated
 * packet comes in on tunl0 from a client that eth0 routes), and its port 6443 relayed by socat
 * to the test API server, as an API server listening on all the node's addresses would take it.
 * It becomes the only control-plane Node: the API server's own Node is deleted until the cell
 * ends, so every connection IPVS schedules goes through the tunnel.
 */
async function startTunnelBackend(c: TestCluster): Promise<VmNode> {
  const vm = VmNode.start(c.lab, {
    name: TUNNEL_BACKEND,
    octet: BACKEND_OCTET,
    modules: ['ipip'],
    script: () =>
      [
        'sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.all.rp_filter=0',
        'ip link set tunl0 up',
        'sysctl -qw net.ipv4.conf.tunl0.rp_filter=0',
        `ip addr add ${VIP}/32 dev tunl0`,
        'echo "backend: ready"',
        `exec socat TCP-LISTEN:${API_PORT},fork,reuseaddr TCP:${c.apiHost.address}:${API_PORT}`,
      ].join('\n'),
  });
  await vm.waitForLine(/^backend: ready/, 120_000);
  await c.admin.delete({ apiVersion: 'v1', kind: 'Node', name: 'api-server' });
  await addReadyControlPlaneNode(c, TUNNEL_BACKEND, vm.address);
  return vm;
}

/**
 * A control-plane Node that is Ready with `address` as its InternalIP, as a kubelet would
 * report it (no kubelet runs: the status is written directly).
 */
async function addReadyControlPlaneNode(c: TestCluster, name: string, address: string): Promise<void> {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } } };
  await c.admin.apply(node);
  const current = (await c.admin.get({ apiVersion: 'v1', kind: 'Node', name })).body;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await c.admin.replace(
    {
      ...current,
      status: {
        addresses: [{ type: 'InternalIP', address }],
        conditions: [
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test', lastHeartbeatTime: now, lastTransitionTime: now },
        ],
      },
    } as KubeObject,
    { subresource: 'status' },
  );
}

/**
 * Starts kube-vip (the DaemonSet's container, its env, token and files resolved as the kubelet
 * stand-in resolves them for a node named after the VM, on the cell's image) in a VM node whose
 * firewall is the cell's, and prints /proc/net/ip_vs to the VM's console as it changes.
 */
async function startKubeVipVm(c: TestCluster, objects: readonly KubeObject[], cell: Cell): Promise<VmNode> {
  const ds = objects.find((o) => o.kind === 'DaemonSet')!;
  const name = 'vm-1';
  const launch = await c.podLaunch(
    (ds as any).spec.template.spec,
    { name: `${ds.metadata.name}-${name}`, namespace: ds.metadata.namespace!, staticPod: false },
    // No hostPath volumes in this pod: the node's root is never read.
    { name, address: `${c.lab.prefix}.${VM_OCTET}`, root: '/nonexistent' },
  );
  return VmNode.start(c.lab, {
    name,
    octet: VM_OCTET,
    script: (folder) =>
      [
        ...firewallCommands(cell.firewall).map((args) => ['iptables-nft', ...args].join(' ')),
        // kube-vip's output, then a line the harness waits for when it ends.
        `(${podCommand(folder, launch, kubeVipBinary(cell.release), c.imagePath(cell.image)).join(' && ')}; echo "kube-vip exited $?") 2>&1 &`,
        ...watchIpvs(),
      ].join('\n'),
  });
}

/** GET /version on `address`:6443 from the client, as the admin: `<status> <body>`, or the error code. */
function getVersion(c: TestCluster, client: Host, address: string): string | undefined {
  const options = {
    host: address,
    port: API_PORT,
    path: '/version',
    timeout: 3000,
    ca: c.admin.caCertificate,
    headers: { authorization: `Bearer ${c.adminToken()}` },
  };
  // The serving certificate names the API server's own address; a kubeadm cluster would add the VIP to it.
  const script = `
    const req = require('https').get({ ...${JSON.stringify(options)}, checkServerIdentity: () => undefined }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => console.log(res.statusCode + ' ' + body.replace(/\\s+/g, ' ')));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => console.log(e.code || e.message));`;
  const { output } = c.lab.tryExec(client.netns, process.execPath, ['-e', script]);
  return output.trim().split('\n')[0] || undefined;
}
