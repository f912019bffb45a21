import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { ApiServer, startApiServer } from '../../e2e/support/apiserver';
import { KubeApiError, KubeClient, KubeObject } from '../../e2e/support/kube';
import {
  containerCapabilities,
  containerConfinement,
  ContainerFiles,
  ContainerProcess,
  hostsFile,
  mountedFiles,
  resolveEnv,
  startContainer,
  tail,
} from './kubelet';
import { Host, Lab } from './netns';

/**
 * A cluster for real kube-vip, with no container runtime: the test API server in a network
 * namespace of its own, and nodes, each a namespace on the same LAN with a folder standing for
 * its file system. The test plays kubelet (see kubelet.ts), scheduler (which nodes a DaemonSet
 * runs on) and, where asked, the endpoint-slice controller.
 */

export const API_PORT = 6443;

/** The images kube-vip ships, as the container's file system would have them. */
export enum Image {
  /** ghcr.io/kube-vip/kube-vip: FROM scratch, the binary alone. */
  STANDARD = 'standard',
  /** ghcr.io/kube-vip/kube-vip-iptables: adds iptables (nft and legacy back ends). */
  IPTABLES = 'iptables',
}

export interface TestNode {
  readonly name: string;
  readonly host: Host;
  /** Stands for the node's `/` (hostPath volumes are read below it). */
  readonly root: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; effect: string }[];
}

export interface ClusterOptions {
  /** Control-plane nodes (labelled and tainted as kubeadm does). */
  readonly controlPlaneNodes?: number;
  /** Worker nodes. */
  readonly workerNodes?: number;
  /**
   * More addresses of the LAN for the API server's serving certificate: a node that relays its
   * port 6443 to the API server (a tunnel backend) then serves it as its own API server would.
   */
  readonly apiServerAddresses?: readonly string[];
}

/** A kube-vip container running on a node, with the node it runs on. */
export interface RunningPod {
  readonly node: TestNode;
  readonly process: ContainerProcess;
  /** The env it was started with, as the kubelet resolved it. */
  readonly env: Readonly<Record<string, string>>;
  /** The host ports it holds (hostNetwork: every container port). */
  readonly hostPorts: readonly number[];
  /** Whether its process has exited. */
  readonly stopped: boolean;
}

const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

export class TestCluster {
  static async start(options: ClusterOptions = {}): Promise<TestCluster> {
    const lab = Lab.create();
    const folder = mkdtempSync(join(tmpdir(), 'kube-vip-cluster-'));
    lab.onDestroy(() => rmSync(folder, { recursive: true, force: true }));
    try {
      const apiHost = lab.addHost('api', 2);
      const api = await startApiServer({
        netns: { name: apiHost.netns, address: apiHost.address, port: API_PORT, extraAddresses: options.apiServerAddresses },
      });
      lab.onDestroy(() => void api.stop());
      const cluster = new TestCluster(lab, api, apiHost, folder);
      const roles = [
        ...Array.from({ length: options.controlPlaneNodes ?? 0 }, () => 'cp'),
        ...Array.from({ length: options.workerNodes ?? 0 }, () => 'worker'),
      ];
      for (const [i, role] of roles.entries()) await cluster.addNode(`${role}-${i + 1}`, 11 + i, role === 'cp');
      return cluster;
    } catch (error) {
      lab.destroy();
      throw error;
    }
  }

  readonly nodes: TestNode[] = [];
  /** Pods the scheduler would not place: a host port another running pod holds on that node. */
  readonly unschedulable: string[] = [];
  private readonly running: RunningPod[] = [];
  /** How each running pod was started, so that it can be started again (restartPod). */
  private readonly launches = new Map<RunningPod, () => Promise<RunningPod>>();
  private readonly processes: ContainerProcess[] = [];

  private constructor(
    readonly lab: Lab,
    readonly api: ApiServer,
    readonly apiHost: Host,
    private readonly folder: string,
  ) {}

  get admin(): KubeClient {
    return this.api.admin;
  }

  /** The API server's URL as the nodes reach it. */
  get apiServerUrl(): string {
    return `https://${this.apiHost.address}:${API_PORT}`;
  }

  /** A host on the LAN that is not a node (a client, a router). */
  addHost(role: string, octet: number): Host {
    return this.lab.addHost(role, octet);
  }

  /** Stops every process, the API server, and removes the namespaces and folders. */
  async destroy(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop(3_000)));
    await this.api.stop();
    this.lab.destroy();
  }

  /** Applies objects (server-side), creating their namespaces first. Pods are skipped: they are for `runStaticPod`. */
  async apply(objects: readonly KubeObject[]): Promise<void> {
    const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n));
    for (const name of namespaces) await this.admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    for (const object of objects) if (object.kind !== 'Pod') await this.admin.apply(object);
  }

  /**
   * Runs every DaemonSet among `objects` on the nodes it would be scheduled on, each container
   * as a process with its ServiceAccount's token (the objects must have been applied).
   */
  async runDaemonSets(objects: readonly KubeObject[], binary: string, image: Image): Promise<RunningPod[]> {
    const started: RunningPod[] = [];
    for (const ds of objects.filter((o) => o.kind === 'DaemonSet')) {
      const spec = (ds as any).spec.template.spec;
      for (const node of this.nodes.filter((n) => schedulable(spec, n))) {
        const taken = this.hostPortsInUse(node);
        const clash = hostPorts(spec).filter((port) => taken.has(port));
        if (clash.length > 0) {
          this.unschedulable.push(`${ds.metadata.name} on ${node.name}: host port ${clash.join(', ')} in use`);
          continue;
        }
        started.push(
          await this.runPod(
            spec,
            { name: `${ds.metadata.name}-${node.name}`, namespace: ds.metadata.namespace!, staticPod: false },
            node,
            binary,
            image,
          ),
        );
      }
    }
    return started;
  }

  /** Runs a static pod on one node, as the kubelet runs a manifest from /etc/kubernetes/manifests. */
  async runStaticPod(pod: KubeObject, node: TestNode, binary: string, image: Image): Promise<RunningPod> {
    const spec = (pod as any).spec;
    return this.runPod(
      spec,
      { name: `${pod.metadata.name}-${node.name}`, namespace: pod.metadata.namespace ?? 'kube-system', staticPod: true },
      node,
      binary,
      image,
    );
  }

  private hostPortsInUse(node: TestNode): Set<number> {
    return new Set(this.running.filter((p) => p.node === node && p.stopped === false).flatMap((p) => p.hostPorts));
  }

  /** Stops every kube-vip process started so far (between tests that must not see each other's). */
  async stopAllPods(): Promise<void> {
    await Promise.all(this.running.map((p) => p.process.stop(3_000)));
  }

  /** Stops a pod's process, as when the node or the pod goes away. */
  async stopPod(pod: RunningPod): Promise<void> {
    await pod.process.stop();
  }

  /**
   * The kubelet restarting a pod's container after it died: SIGKILL (no clean-up, as a crash or
   * an OOM kill), then the same pod spec started again on the same node, at once (the first
   * restart has no back-off). Returns the new process's pod.
   */
  async restartPod(pod: RunningPod): Promise<RunningPod> {
    const launch = this.launches.get(pod);
    if (!launch) throw new Error(`kubelet stand-in: ${pod.node.name}'s pod was not started by this cluster`);
    await pod.process.kill();
    return launch();
  }

  /** Writes a file on a node's file system (its path as on the node, e.g. /etc/kubernetes/admin.conf). */
  writeNodeFile(node: TestNode, path: string, content: string): void {
    const target = join(node.root, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, content, { mode: 0o600 });
  }

  /** A kubeconfig for a bearer token, pointing at `server` (default: the API server's LAN address). */
  kubeconfig(token: string, server = this.apiServerUrl): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'test', cluster: { server, 'certificate-authority-data': Buffer.from(this.admin.caCertificate).toString('base64') } },
      ],
      users: [{ name: 'user', user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'user' } }],
      'current-context': 'test',
    });
  }

  /** The admin token (group system:masters), as a kubeadm super-admin.conf carries such a user. */
  adminToken(): string {
    const config: string = readFileSync(this.api.kubeconfig, 'utf8');
    return /token: (\S+)/.exec(config)![1];
  }

  /**
   * Forwards the node's 127.0.0.1:6443 to the API server: on a kubeadm control-plane node the
   * API server listens there, and a static kube-vip reaches it through `kubernetes` -> 127.0.0.1.
   */
  async localApiServer(node: TestNode): Promise<void> {
    const script = `require('net').createServer((c) => { const u = require('net').connect(${API_PORT}, '${this.apiHost.address}'); c.pipe(u).pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); }).listen(${API_PORT}, '127.0.0.1', () => console.log('READY'))`;
    await this.runScript(node.host, script);
  }

  /** The holder of a Lease, or undefined when it does not exist or nobody holds it. */
  async leaseHolder(namespace: string, name: string): Promise<string | undefined> {
    try {
      const lease = await this.admin.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name });
      return (lease.body as any).spec?.holderIdentity || undefined;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Runs kube-vip-cloud-provider (the binary test/tools/install.sh built) out of cluster on a
   * host of its own, as the admin user: it reads the kubeconfig from $HOME/.kube/config for its
   * own client (--kubeconfig only reaches the controller framework). `env` selects its
   * ConfigMap (KUBEVIP_CONFIG_MAP, KUBEVIP_NAMESPACE), as its Deployment's env would.
   */
  async runCloudProvider(binary: string, host: Host, env: Record<string, string> = {}): Promise<ContainerProcess> {
    const kubeconfig = this.kubeconfig(this.adminToken());
    const provider = startContainer({
      netns: host.netns,
      binary,
      args: ['--OutSideCluster=true', '--kubeconfig=/run/kubeconfig', '--leader-elect=false', '--secure-port=0', '--v=2'],
      env,
      files: { '/run/kubeconfig': { content: kubeconfig } },
      pathDirs: [],
      home: { '.kube/config': kubeconfig },
    });
    this.processes.push(provider);
    return provider;
  }

  /**
   * Runs one replica of a Deployment's pod as the kubelet would (its env, its ServiceAccount's
   * token and the in-cluster API server env), in `host`'s network namespace, which stands for the
   * pod's own network: the pod is not in the host network, and reaches the API server from there.
   */
  async runDeployment(deployment: KubeObject, host: Host, binary: string): Promise<ContainerProcess> {
    const spec = (deployment as any).spec.template.spec;
    const root = mkdtempSync(join(this.folder, 'pod-'));
    const where: TestNode = { name: `${deployment.metadata.name}-node`, host, root, labels: {}, taints: [] };
    const pod = { name: `${deployment.metadata.name}-0`, namespace: deployment.metadata.namespace!, staticPod: false };
    return (await this.runPod(spec, pod, where, binary, Image.STANDARD, true)).process;
  }

  /** TCP servers on every address of a node (a workload's ports), answering "ok" and closing; a client's reset is ignored. */
  async listen(node: TestNode, ports: readonly number[]): Promise<void> {
    const script = `const net = require('net'); let n = 0; for (const p of ${JSON.stringify(ports)}) net.createServer((c) => { c.on('error', () => undefined); c.end('ok\\n'); }).listen(p, '0.0.0.0', () => ++n === ${ports.length} && console.log('READY'));`;
    await this.runScript(node.host, script);
  }

  /**
   * A Node.js script in a host's namespace (a responder, a client), stopped with the cluster.
   * Resolves once it has printed READY.
   */
  async runScript(host: Host, script: string): Promise<ContainerProcess> {
    const proc = startContainer({ netns: host.netns, binary: process.execPath, args: ['-e', script], env: {}, files: {}, pathDirs: [] });
    this.processes.push(proc);
    await proc.waitForOutput(/READY/, 10_000);
    return proc;
  }

  /**
   * A pod on `node` in a network namespace of its own, as a CNI plugin wires one: a veth pair,
   * the node's end `<gateway>/24` (the pod subnet's first address), the pod's default route
   * through it, and forwarding on in the node. Returns the pod's namespace.
   */
  addPod(node: TestNode, address: string): Host {
    const gateway = address.replace(/\.\d+$/, '.1');
    const index = this.nodes.indexOf(node);
    const netns = this.lab.addIsolated(`pod-${index}-${address.split('.').pop()}`);
    const port = `vp${address.split('.').slice(2).join('x')}`;
    this.lab.exec(node.host.netns, 'ip', ['link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    this.lab.exec(node.host.netns, 'ip', ['addr', 'add', `${gateway}/24`, 'dev', port]);
    this.lab.exec(node.host.netns, 'ip', ['link', 'set', port, 'up']);
    this.lab.exec(node.host.netns, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
    this.lab.exec(netns, 'ip', ['addr', 'add', `${address}/24`, 'dev', 'eth0']);
    this.lab.exec(netns, 'ip', ['link', 'set', 'eth0', 'up']);
    this.lab.exec(netns, 'ip', ['route', 'add', 'default', 'via', gateway]);
    return { netns, address };
  }

  /** A TCP server on `host` that answers each client with the source address it sees, then closes. */
  async serveSourceAddress(host: Host, port: number): Promise<void> {
    const script = `require('net').createServer((c) => { c.on('error', () => undefined); c.end(c.remoteAddress + '\\n'); }).listen(${port}, '0.0.0.0', () => console.log('READY'));`;
    await this.runScript(host, script);
  }

  /** Adds labels to a node, in the API and for the scheduler stand-in (`schedulable`). */
  async labelNode(node: TestNode, labels: Readonly<Record<string, string>>): Promise<void> {
    Object.assign(node.labels as Record<string, string>, labels);
    await this.admin.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node.name, labels: { ...node.labels } },
      spec: { taints: node.taints },
    });
  }

  /**
   * Renames a node's LAN interface (eth0), as on hardware whose NIC is called eno1 or ens192:
   * the link goes down for the rename, so its default route is put back.
   */
  renameInterface(node: TestNode, name: string): void {
    const ns = node.host.netns;
    this.lab.exec(ns, 'ip', ['link', 'set', 'eth0', 'down']);
    this.lab.exec(ns, 'ip', ['link', 'set', 'eth0', 'name', name]);
    this.lab.exec(ns, 'ip', ['link', 'set', name, 'up']);
    this.lab.tryExec(ns, 'ip', [
      'route',
      'replace',
      'default',
      'via',
      `${node.host.address.replace(/\.[0-9]+$/, '')}.1`,
      'dev',
      name,
      'onlink',
    ]);
  }

  /** The interface of a node that carries `address`, or undefined. */
  interfaceWith(node: TestNode, address: string): string | undefined {
    const line = this.lab
      .exec(node.host.netns, 'ip', ['-o', 'addr', 'show'])
      .split('\n')
      .find((l) => l.includes(` ${address}/`));
    return line?.split(/\s+/)[1];
  }

  /** Which nodes have `address` on an interface right now. */
  holders(address: string): string[] {
    return this.nodes.filter((n) => this.lab.exec(n.host.netns, 'ip', ['-o', 'addr', 'show']).includes(` ${address}/`)).map((n) => n.name);
  }

  /** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with `what`. */
  async waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** The last output of every kube-vip process, for failure messages. */
  logs(): string {
    return this.running
      .map((p) => `--- ${p.node.name} (pid ${p.process.pid}${p.stopped ? ', exited' : ''}):\n${tail(p.process.output(), 15)}`)
      .join('\n');
  }

  /**
   * Plays the endpoint-slice controller for a Service: one ready endpoint on `node` (kube-vip
   * waits for endpoints before it announces a Service's address).
   */
  async addEndpoint(service: KubeObject, node: TestNode, podAddress: string): Promise<void> {
    const ports = ((service as any).spec.ports ?? []).map((p: any) => ({
      name: p.name ?? '',
      port: p.targetPort ?? p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    await this.admin.apply({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${service.metadata.name}-test`,
        namespace: service.metadata.namespace,
        labels: { 'kubernetes.io/service-name': service.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'cdk8s-kube-vip-test' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [podAddress], nodeName: node.name, conditions: { ready: true, serving: true, terminating: false } }],
      ports,
    });
  }

  private async addNode(name: string, octet: number, controlPlane: boolean): Promise<void> {
    const host = this.lab.addHost(name, octet);
    const root = join(this.folder, name);
    mkdirSync(root);
    const labels: Record<string, string> = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      ...(controlPlane ? { [CONTROL_PLANE_LABEL]: '' } : {}),
    };
    const taints = controlPlane ? [{ key: CONTROL_PLANE_LABEL, effect: 'NoSchedule' }] : [];
    await this.admin.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels },
      spec: { taints },
    });
    this.nodes.push({ name, host, root, labels, taints });
  }

  /**
   * What the kubelet would start for a pod's kube-vip container on a node: the env it resolves,
   * the files the container sees (mounts, token, /etc/hosts) and the args. runPod starts that
   * in the node's namespace; a VM node (vm.ts) starts it in its guest.
   */
  async podLaunch(
    spec: any,
    pod: { name: string; namespace: string; staticPod: boolean },
    node: { name: string; address: string; root: string },
  ): Promise<{ container: any; env: Record<string, string>; files: ContainerFiles; args: string[] }> {
    const container = spec.containers.find((c: any) => c.name === 'kube-vip') ?? spec.containers[0];
    const admin = this.admin;
    const read = async (kind: 'Secret' | 'ConfigMap', namespace: string, name: string): Promise<Record<string, string> | undefined> => {
      try {
        const data = ((await admin.get({ apiVersion: 'v1', kind, namespace, name })).body.data ?? {}) as Record<string, string>;
        return kind === 'Secret'
          ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
          : data;
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) return undefined;
        throw error;
      }
    };
    const env = await resolveEnv(container, {
      nodeName: node.name,
      nodeAddress: node.address,
      podName: pod.name,
      namespace: pod.namespace,
      staticPod: pod.staticPod,
      secret: (ns, name) => read('Secret', ns, name),
      configMap: (ns, name) => read('ConfigMap', ns, name),
      // kube-proxy would translate the `kubernetes` Service address; none runs, so the env
      // names the API server itself.
      serviceEnv: {
        KUBERNETES_SERVICE_HOST: this.apiHost.address,
        KUBERNETES_SERVICE_PORT: String(API_PORT),
        KUBERNETES_PORT: `tcp://${this.apiHost.address}:${API_PORT}`,
      },
    });
    const token =
      pod.staticPod || !spec.serviceAccountName
        ? undefined
        : { token: await admin.requestToken(pod.namespace, spec.serviceAccountName), ca: admin.caCertificate, namespace: pod.namespace };
    const files = {
      ...mountedFiles(spec, container, node.root, token),
      '/etc/hosts': { content: hostsFile(spec, node.name, node.address) },
    };
    return { container, env, files, args: [...(container.command ?? []).slice(1), ...(container.args ?? [])] };
  }

  /** The folders an image puts on PATH: the iptables binaries of the iptables image, none for the FROM-scratch one. */
  imagePath(image: Image): string[] {
    return image === Image.IPTABLES ? [iptablesImageBin(this.folder)] : [];
  }

  private async runPod(
    spec: any,
    pod: { name: string; namespace: string; staticPod: boolean },
    node: TestNode,
    binary: string,
    image: Image,
    ownNetwork = false,
  ): Promise<RunningPod> {
    if (spec.hostNetwork !== true && !ownNetwork) {
      // With a network of its own kube-vip would announce nothing on the node's network.
      throw new Error(`kubelet stand-in: pod ${pod.name} does not set hostNetwork: true; only host-network pods are modelled`);
    }
    const { container, env, files, args } = await this.podLaunch(spec, pod, {
      name: node.name,
      address: node.host.address,
      root: node.root,
    });
    const started = startContainer({
      netns: node.host.netns,
      binary,
      args,
      env,
      files,
      pathDirs: this.imagePath(image),
      capabilities: containerCapabilities(container),
      confinement: containerConfinement(spec, container),
    });
    const running = { node, process: started, env, hostPorts: hostPorts(spec), stopped: false };
    void started.exited.then(() => (running.stopped = true));
    this.running.push(running);
    this.launches.set(running, () => this.runPod(spec, pod, node, binary, image, ownNetwork));
    this.processes.push(started);
    return running;
  }
}

/** The host ports a pod spec claims: every container port of a hostNetwork pod, else declared hostPorts. */
export function hostPorts(spec: any): number[] {
  return spec.containers.flatMap((c: any) =>
    (c.ports ?? []).map((p: any) => (spec.hostNetwork ? p.containerPort : p.hostPort)).filter((p: unknown) => p !== undefined),
  );
}

/** Whether a pod with this spec would be scheduled on the node: required node affinity, nodeSelector, taints. */
export function schedulable(spec: any, node: TestNode): boolean {
  const selector: Record<string, string> = spec.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => node.labels[k] === v)) return false;
  const terms: any[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const matches = (e: any) => {
    const value = node.labels[e.key];
    switch (e.operator) {
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'In':
        return value !== undefined && e.values.includes(value);
      case 'NotIn':
        return value === undefined || !e.values.includes(value);
      default:
        throw new Error(`scheduler stand-in: operator ${e.operator} is not modelled`);
    }
  };
  if (terms.length > 0 && !terms.some((t) => (t.matchExpressions ?? []).every(matches))) return false;
  const tolerations: any[] = spec.tolerations ?? [];
  const tolerated = (taint: { key: string; effect: string }) =>
    tolerations.some(
      (t) =>
        (t.effect === undefined || t.effect === taint.effect) &&
        (t.operator === 'Exists' ? t.key === undefined || t.key === taint.key : t.key === taint.key),
    );
  return node.taints.every(tolerated);
}

/**
 * The iptables image's PATH: Debian's iptables binaries under the names Alpine's packages give
 * them (`iptables` is the nft back end, `iptables-legacy` the legacy one), as in
 * ghcr.io/kube-vip/kube-vip-iptables.
 */
function iptablesImageBin(folder: string): string {
  const bin = join(folder, 'iptables-image-bin');
  const links: Record<string, string> = {};
  for (const family of ['iptables', 'ip6tables']) {
    for (const suffix of ['', '-save', '-restore']) {
      links[`${family}${suffix}`] = `/usr/sbin/${family}-nft${suffix}`;
      links[`${family}-nft${suffix}`] = `/usr/sbin/${family}-nft${suffix}`;
      links[`${family}-legacy${suffix}`] = `/usr/sbin/${family}-legacy${suffix}`;
    }
  }
  mkdirSync(bin, { recursive: true });
  for (const [name, target] of Object.entries(links)) {
    try {
      symlinkSync(target, join(bin, name));
    } catch (error: any) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
  return bin;
}
