import { ChildProcess, execFile, spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KubeApiError } from '../../e2e/support/kube';
import { KUBE_VIP_RELEASES, KubeVipRelease } from '../../support/tools';
import { API_PORT, RunningPod, TestCluster, TestNode } from './cluster';
import { Host } from './netns';

/**
 * Faults as they happen on a real node, injected into a running kube-vip deployment, and what
 * they did to its address: when it was on no node, when on two, and what a LAN client saw.
 * The address is watched with `ip monitor` in each node (the kernel's own add and delete
 * events, timestamped as they arrive), so a busy test process does not blur the figures.
 */

/** One node gaining or losing the address, or its link going down or up. */
export interface AddressEvent {
  readonly at: number;
  readonly node: string;
  readonly kind: 'address' | 'link';
  readonly up: boolean;
}

/** Every node's address and link events from the moment it is started. */
export class AddressWatch {
  /** Starts `ip monitor` on each node, then reads whether it has the address already. */
  static async start(cluster: TestCluster, nodes: readonly TestNode[], address: string): Promise<AddressWatch> {
    const watch = new AddressWatch(address);
    cluster.lab.onDestroy(() => watch.stop());
    for (const node of nodes) watch.follow(node);
    // `ip monitor` prints nothing when it is ready: give it a moment to subscribe.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const node of nodes) {
      const present = cluster.lab.exec(node.host.netns, 'ip', ['-o', 'addr', 'show']).includes(` ${address}/`);
      watch.events.push({ at: Date.now(), node: node.name, kind: 'address', up: present });
    }
    return watch;
  }

  readonly events: AddressEvent[] = [];
  private readonly monitors: ChildProcess[] = [];

  private constructor(private readonly address: string) {}

  /** The address's holders between two times (see holding). */
  holding(from: number, to: number): Holding {
    return holding(this.events, from, to);
  }

  stop(): void {
    for (const monitor of this.monitors) monitor.kill('SIGKILL');
  }

  private follow(node: TestNode): void {
    const monitor = spawn('ip', ['-n', node.host.netns, '-ts', 'monitor', 'address', 'link'], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.monitors.push(monitor);
    let pending = '';
    monitor.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const event = this.parse(node.name, line);
        if (event) this.events.push(event);
      }
    });
  }

  /** `[2026-12-07T19:27:33.442637] Deleted 3: eth0    inet 192.168.77.200/32 ...`, or a link line of eth0. */
  private parse(node: string, line: string): AddressEvent | undefined {
    const match = /^\[(\S+)\] (Deleted )?\d+: (\S+?)(?:@\S+)?:?\s+(.*)$/.exec(line);
    if (!match || match[3] !== 'eth0') return undefined;
    const at = Date.parse(`${match[1]}Z`);
    const [, , deleted, , rest] = match;
    if (rest.startsWith('inet ')) {
      if (!rest.startsWith(`inet ${this.address}/`)) return undefined;
      return { at, node, kind: 'address', up: !deleted };
    }
    const flags = /^<([^>]*)>/.exec(rest);
    if (!flags) return undefined;
    return { at, node, kind: 'link', up: !deleted && flags[1].split(',').includes('UP') };
  }
}

/** What the address did in a window: time on no node and on two, and who held it at each end. */
export interface Holding {
  readonly noneMs: number;
  readonly twoMs: number;
  /** Holders at the start and at the end of the window. */
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** Each change of the holders, in order, e.g. ['cp-1', '', 'cp-2']: '' no node, 'a+b' two. */
  readonly sequence: readonly string[];
}

/**
 * The address's holders between `from` and `to` (ms since epoch): a node holds it while the
 * address is on its eth0 and eth0 is up (an address on a downed link answers no one).
 */
export function holding(events: readonly AddressEvent[], from: number, to: number): Holding {
  const state = new Map<string, { address: boolean; link: boolean }>();
  const holders = () =>
    [...state.entries()]
      .filter(([, s]) => s.address && s.link)
      .map(([node]) => node)
      .sort();
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const apply = (e: AddressEvent) => {
    const s = state.get(e.node) ?? { address: false, link: true };
    state.set(e.node, e.kind === 'address' ? { ...s, address: e.up } : { ...s, link: e.up });
  };
  let i = 0;
  for (; i < sorted.length && sorted[i].at <= from; i++) apply(sorted[i]);
  const before = holders();
  const sequence = [before.join('+')];
  let noneMs = 0;
  let twoMs = 0;
  let since = from;
  const account = (until: number) => {
    const count = holders().length;
    if (count === 0) noneMs += until - since;
    if (count > 1) twoMs += until - since;
    since = until;
  };
  for (; i < sorted.length && sorted[i].at <= to; i++) {
    account(sorted[i].at);
    apply(sorted[i]);
    const now = holders().join('+');
    if (now !== sequence[sequence.length - 1]) sequence.push(now);
  }
  account(to);
  return { noneMs, twoMs, before, after: holders(), sequence };
}

/** UDP port of the responders and the client. */
const ECHO_PORT = 7070;

/** On each node, a responder that answers any datagram on ECHO_PORT with the node's name. */
export async function startResponders(cluster: TestCluster, nodes: readonly TestNode[]): Promise<void> {
  await Promise.all(
    nodes.map((node) =>
      cluster.runScript(
        node.host,
        `const s = require('dgram').createSocket('udp4');
         s.on('message', (m, r) => s.send(${JSON.stringify(node.name)} + ' ' + m, r.port, r.address));
         s.bind(${ECHO_PORT}, () => console.log('READY'));`,
      ),
    ),
  );
}

/** What the client saw: when each round of requests went out, and which node answered each address's request of a round. */
export interface ClientRecord {
  readonly sent: ReadonlyMap<number, number>;
  /** `<address> <round>` to the node that answered. */
  readonly answeredBy: ReadonlyMap<string, string>;
}

/**
 * One LAN client for many addresses: every `intervalMs` it sends a datagram to each (a round),
 * and keeps which node answered each request. It writes to a file, not to its output: a test
 * process that kept megabytes of output in memory would stall every cell's timers.
 */
export async function startClient(cluster: TestCluster, host: Host, addresses: readonly string[], intervalMs = 100) {
  const folder = mkdtempSync(join(tmpdir(), 'kube-vip-client-'));
  cluster.lab.onDestroy(() => rmSync(folder, { recursive: true, force: true }));
  const log = join(folder, 'log');
  await cluster.runScript(
    host,
    `const fs = require('fs');
     const fd = fs.openSync(${JSON.stringify(log)}, 'a');
     const s = require('dgram').createSocket('udp4');
     const addresses = ${JSON.stringify(addresses)};
     let round = 0;
     s.on('message', (m) => fs.writeSync(fd, 'R ' + m + '\\n'));
     s.on('error', () => undefined);
     s.bind(() => {
       console.log('READY');
       setInterval(() => {
         round++;
         fs.writeSync(fd, 'S ' + round + ' ' + Date.now() + '\\n');
         for (const a of addresses) s.send(a + ' ' + round, ${ECHO_PORT}, a);
       }, ${intervalMs});
     });`,
  );
  return {
    /** Everything the client sent and received so far. */
    record(): ClientRecord {
      const sent = new Map<number, number>();
      const answeredBy = new Map<string, string>();
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        const [kind, a, b, c] = line.split(' ');
        if (kind === 'S') sent.set(Number(a), Number(b));
        // R <node> <address> <round>: the responder puts its name first.
        if (kind === 'R' && c !== undefined && !answeredBy.has(`${b} ${c}`)) answeredBy.set(`${b} ${c}`, a);
      }
      return { sent, answeredBy };
    },
  };
}

/** What the client saw of `address` between `from` and `to`: requests sent, lost, the longest silence, and the nodes that answered, in order. */
export function clientView(record: ClientRecord, address: string, from: number, to: number): ClientView {
  const rounds = [...record.sent.entries()].filter(([, at]) => at >= from && at <= to).sort(([a], [b]) => a - b);
  let lost = 0;
  let silentMs = 0;
  let silentSince: number | undefined;
  const answeredBy: string[] = [];
  for (const [round, at] of rounds) {
    const node = record.answeredBy.get(`${address} ${round}`);
    if (node === undefined) {
      lost++;
      silentSince ??= at;
      continue;
    }
    if (silentSince !== undefined) silentMs = Math.max(silentMs, at - silentSince);
    silentSince = undefined;
    if (answeredBy[answeredBy.length - 1] !== node) answeredBy.push(node);
  }
  if (silentSince !== undefined) silentMs = Math.max(silentMs, to - silentSince);
  return { sent: rounds.length, lost, silentMs, answeredBy };
}

export interface ClientView {
  readonly sent: number;
  readonly lost: number;
  /** The longest time from a request no node answered to the next one that was answered. */
  readonly silentMs: number;
  /** The nodes that answered, each change once, e.g. ['cp-1', 'cp-2']. */
  readonly answeredBy: readonly string[];
}

/**
 * A command in a namespace, without blocking the test process: every cell of the table runs in
 * this one process, and a synchronous exec would hold up the other cells' timers.
 */
export function execIn(netns: string, command: string, args: readonly string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', netns, command, ...args], (error, stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

async function must(netns: string, command: string, args: readonly string[]): Promise<void> {
  const { status, output } = await execIn(netns, command, args);
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} in ${netns}: exit ${status}: ${output}`);
}

/** Something done to the network, and how to undo it. */
type Undo = () => Promise<void>;

/** The node's packets to the API server dropped (the LAN stays up): a cut cable to the control plane's network, a firewall. */
export async function cutFromApiServer(cluster: TestCluster, node: TestNode): Promise<Undo> {
  const rule = ['OUTPUT', '-d', cluster.apiHost.address, '-p', 'tcp', '--dport', String(API_PORT), '-j', 'DROP'];
  await must(node.host.netns, 'iptables-nft', ['-w', '-I', ...rule]);
  return () => must(node.host.netns, 'iptables-nft', ['-w', '-D', ...rule]);
}

/** The node's eth0 down (a pulled cable, a switch port off); undone with its default route. */
export async function linkDown(cluster: TestCluster, node: TestNode): Promise<Undo> {
  await must(node.host.netns, 'ip', ['link', 'set', 'eth0', 'down']);
  return async () => {
    await must(node.host.netns, 'ip', ['link', 'set', 'eth0', 'up']);
    await execIn(node.host.netns, 'ip', ['route', 'replace', 'default', 'via', `${cluster.lab.prefix}.1`, 'dev', 'eth0', 'onlink']);
  };
}

/**
 * The LAN split between two nodes: the bridge drops every frame (ARP included) from one's port
 * to the other's, while both still reach the API server and the client. Checked: a ping from
 * one to the other fails.
 */
export async function partition(cluster: TestCluster, a: TestNode, b: TestNode): Promise<Undo> {
  const table = `partition-${a.name}-${b.name}`;
  const [pa, pb] = [a, b].map((n) => `p${n.host.address.split('.').pop()}`);
  const script = [
    `add table bridge ${table}`,
    `add chain bridge ${table} forward { type filter hook forward priority 0 ; policy accept ; }`,
    `add rule bridge ${table} forward iifname ${pa} oifname ${pb} drop`,
    `add rule bridge ${table} forward iifname ${pb} oifname ${pa} drop`,
  ];
  for (const line of script) await must(cluster.lab.lan, 'nft', line.split(' '));
  const ping = await execIn(a.host.netns, 'ping', ['-c', '1', '-W', '1', b.host.address]);
  if (ping.status === 0) throw new Error(`the partition between ${a.name} and ${b.name} lets a ping through`);
  return () => must(cluster.lab.lan, 'nft', ['delete', 'table', 'bridge', table]);
}

/** Lease timings, as kube-vip reads them (vip_leaseduration, vip_renewdeadline, vip_retryperiod). */
export interface LeaseTimings {
  readonly leaseDuration: number;
  readonly renewDeadline: number;
  readonly retryPeriod: number;
}

/**
 * The kubelet's restartPolicy Always for one kube-vip pod: when its container exits, it is
 * started again, at once the first time, then after 10 s, 20 s, 40 s ... (CrashLoopBackOff, at
 * most 5 min). kube-vip exits whenever it loses leadership ("lost leadership, restarting
 * kube-vip"), so without this a cell would show an address that never comes back.
 */
export class Supervised {
  static start(cluster: TestCluster, pod: RunningPod): Supervised {
    const supervised = new Supervised(cluster, pod);
    void supervised.loop();
    return supervised;
  }

  /** Times its container was started again. */
  restarts = 0;
  private ended = false;
  private nextDelayMs: number | undefined;

  private constructor(
    private readonly cluster: TestCluster,
    private pod: RunningPod,
  ) {}

  get current(): RunningPod {
    return this.pod;
  }

  get node(): TestNode {
    return this.pod.node;
  }

  /** The pod is gone (deleted, its node lost): nothing starts it again. */
  end(): void {
    this.ended = true;
  }

  /** SIGKILL; the container is started again after `restartAfterMs` (default: the back-off it has earned). */
  async crash(restartAfterMs?: number): Promise<void> {
    this.nextDelayMs = restartAfterMs;
    await this.pod.process.kill();
  }

  private async loop(): Promise<void> {
    for (;;) {
      await this.pod.process.exited;
      const delay = this.nextDelayMs ?? (this.restarts === 0 ? 0 : Math.min(10_000 * 2 ** (this.restarts - 1), 300_000));
      this.nextDelayMs = undefined;
      if (delay > 0) await sleep(delay);
      if (this.ended) return;
      this.restarts++;
      try {
        this.pod = await this.cluster.restartPod(this.pod);
      } catch {
        return; // the cluster is going away
      }
    }
  }
}

/** What a fault is given to work on: one deployment of two nodes, its leader found. */
export interface FaultContext {
  readonly cluster: TestCluster;
  readonly leader: Supervised;
  readonly follower: Supervised;
  readonly lease: { readonly namespace: string; readonly name: string };
  readonly timings: LeaseTimings;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Replaces the Lease's holder with a name no kube-vip runs under, as a person editing it by hand
 * (or another tool using the same lease name) would; tried again when the leader's renewal got
 * in between (409 Conflict), as kubectl edit would be.
 */
export async function takeLease(cluster: TestCluster, lease: { namespace: string; name: string }, holder: string): Promise<void> {
  const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease };
  for (let attempt = 1; ; attempt++) {
    const current = (await cluster.admin.get(ref)).body as any;
    const renewTime = new Date().toISOString().replace('Z', '000Z');
    try {
      await cluster.admin.replace({ ...current, spec: { ...current.spec, holderIdentity: holder, renewTime } });
      return;
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 409) || attempt === 10) throw error;
    }
  }
}

/** Lease timings by name: ours (none given: the model's defaults), kube-vip's own, and its documentation's. */
export type TimingSet = 'ours' | 'kube-vip' | 'kube-vip docs';
export const TIMING_SETS: Record<TimingSet, LeaseTimings | undefined> = {
  ours: undefined, // the output's defaults (LEASE_TIMINGS)
  // kube-vip's defaults when the env is unset (pkg/kubevip/config_environment.go, cmd/kube-vip.go)
  'kube-vip': { leaseDuration: 15, renewDeadline: 10, retryPeriod: 2 },
  // the static pod manifests kube-vip's documentation shows, copied into many clusters: 5, 3, 1
  'kube-vip docs': { leaseDuration: 5, renewDeadline: 3, retryPeriod: 1 },
};

const s = (seconds: number) => seconds * 1_000;
const NEWEST = KUBE_VIP_RELEASES[0];

/** A fault: how it is injected (and undone), and its claims on the time on no node and on two. */
export interface Fault {
  /** For the table. */
  readonly what: string;
  /** Injects the fault and returns once it is over (undone, where it is undone). */
  readonly inject: (c: FaultContext) => Promise<void>;
  /** The longest the address may be on no node, by the mechanism (client-go's leader election). */
  readonly noneAtMostMs: (t: LeaseTimings) => number;
  /** The longest it may be on two nodes; default: the old leader's way down past the lease (lostLeaderOverlap). */
  readonly twoAtMostMs?: (t: LeaseTimings) => number;
  /**
   * Which node acts first is a race (a follower may recreate a deleted lease before the leader
   * does): the table then states the bounds, not one run's path.
   */
  readonly race?: boolean;
  /** How long the fault lasts, for those undone after a while: the harness must keep to it (a cut that ran over would blur the cell). */
  readonly lastsMs?: (t: LeaseTimings) => number;
  /** After the fault either node may win the lease (both ask at once): the table says "one node". */
  readonly eitherNode?: boolean;
}

/**
 * How long a lost holder's successor needs at most: client-go's followers poll every retry
 * period stretched by up to 1.2 times (JitterUntil), so one may first see the last renewal up to
 * 2.2 retry periods late, wait the lease out from there, and ask again up to 2.2 retry periods
 * after it ran out; a second for the requests and kube-vip adding the address.
 */
const takeover = (t: LeaseTimings) => s(t.leaseDuration + 4.4 * t.retryPeriod + 1);
/** How long to go on watching once a fault is over: long enough for a successor, and for a client to find it. */
export const watchAfter = (t: LeaseTimings) => takeover(t) + s(2);
/**
 * How long a leader that lost the API server can still hold the VIP after another node took it:
 * it lets go a retry period, a renew deadline (renewing) and another (releasing) after its last
 * renewal; the other takes it a lease after that at the earliest. Nothing when the lease is the
 * longer (rule lease-two-holders); else the difference, and a second for kube-vip to act.
 */
export const lostLeaderOverlap = (t: LeaseTimings) => {
  const overlap = t.retryPeriod + 2 * t.renewDeadline - t.leaseDuration;
  return overlap < 0 ? 0 : s(overlap + 1);
};
/** Shorter than the renew deadline: the leader must ride it out. */
const shortCut = (t: LeaseTimings) => s(t.renewDeadline) / 2;
/**
 * Longer than the longest a successor may take (takeover), and than the old leader's way down (a
 * retry period, then the renew deadline twice: renewing, then releasing). A shorter fault races
 * its own end: the old leader, started again, still names itself in the lease and takes it back
 * (seen once in CI on v1.2.1 with a cut of lease + 2 s).
 */
const longCut = (t: LeaseTimings) => Math.max(takeover(t), s(t.retryPeriod + 2 * t.renewDeadline)) + s(1);

async function cut(c: FaultContext, pods: readonly Supervised[], ms: number): Promise<void> {
  await during(ms, async () => {
    const undo = await Promise.all(pods.map((p) => cutFromApiServer(c.cluster, p.node)));
    return async () => void (await Promise.all(undo.map((u) => u())));
  });
}

/** Applies `fault` for `ms` from when it starts (checking it is in place counts), then undoes it. */
async function during(ms: number, fault: () => Promise<Undo>): Promise<void> {
  const started = Date.now();
  const undo = await fault();
  await sleep(Math.max(0, ms - (Date.now() - started)));
  await undo();
}

export const FAULTS = {
  killed: {
    what: "the leader's kube-vip killed (SIGKILL: no clean-up, no lease release), started again at once by the kubelet",
    inject: (c) => c.leader.crash(0),
    noneAtMostMs: takeover,
  },
  'killed-in-backoff': {
    what: "the leader's kube-vip killed again within 10 minutes: the kubelet starts it 10 s later (CrashLoopBackOff)",
    inject: (c) => c.leader.crash(10_000),
    noneAtMostMs: takeover,
    // The killed kube-vip leaves the VIP on its node until its next start deletes it.
    twoAtMostMs: () => s(10 + 1),
  },
  stopped: {
    what: "the leader's kube-vip stopped (SIGTERM: it releases the lease), not started again (its pod deleted)",
    inject: async (c) => {
      c.leader.end();
      await c.leader.current.process.stop();
    },
    // It releases the lease: a follower takes it on its next try, up to 2.2 retry periods later.
    noneAtMostMs: (t) => s(2.2 * t.retryPeriod + 1),
  },
  'node-lost': {
    what: "the leader's node lost (power off: its kube-vip killed and its interface down at once)",
    inject: async (c) => {
      c.leader.end();
      await linkDown(c.cluster, c.leader.node);
      await c.leader.current.process.kill();
    },
    noneAtMostMs: takeover,
  },
  'api-cut-short': {
    what: 'the leader cut off from the API server for half the renew deadline (the LAN up)',
    inject: (c) => cut(c, [c.leader], shortCut(c.timings)),
    lastsMs: shortCut,
    noneAtMostMs: () => 0,
  },
  'api-cut-long': {
    what: 'the leader cut off from the API server for longer than the lease (the LAN up)',
    inject: (c) => cut(c, [c.leader], longCut(c.timings)),
    lastsMs: longCut,
    noneAtMostMs: takeover,
  },
  'api-outage-short': {
    what: 'every node cut off from the API server for half the renew deadline (an API server restart)',
    inject: (c) => cut(c, [c.leader, c.follower], shortCut(c.timings)),
    lastsMs: shortCut,
    noneAtMostMs: () => 0,
  },
  'api-outage-long': {
    what: 'every node cut off from the API server for longer than the lease (an outage, an upgrade)',
    inject: (c) => cut(c, [c.leader, c.follower], longCut(c.timings)),
    lastsMs: longCut,
    // Gone from the old leader's way down to a retry period (or two) after the API server is back.
    noneAtMostMs: (t) => longCut(t) + takeover(t),
    eitherNode: true,
  },
  'lease-deleted': {
    what: 'the Lease object deleted',
    inject: async (c) => void (await c.cluster.admin.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...c.lease })),
    noneAtMostMs: takeover,
    // When a follower recreates it first, the old leader's renewals fail for a retry period and
    // a renew deadline before it lets go (its release is a no-op: it sees it is no longer leader).
    twoAtMostMs: (t) => s(t.retryPeriod + t.renewDeadline + 1),
    eitherNode: true,
    race: true,
  },
  'lease-taken': {
    what: "the Lease's holder changed by hand to a node that runs no kube-vip",
    inject: (c) => takeLease(c.cluster, c.lease, 'someone-else'),
    noneAtMostMs: takeover,
    eitherNode: true,
  },
  'link-down': {
    what: "the leader's interface down for longer than the lease, then up",
    inject: (c) => during(longCut(c.timings), () => linkDown(c.cluster, c.leader.node)),
    lastsMs: longCut,
    noneAtMostMs: takeover,
  },
  partition: {
    what: 'the LAN split between the two nodes for longer than the lease (both reach the API server)',
    inject: (c) => during(longCut(c.timings), () => partition(c.cluster, c.leader.node, c.follower.node)),
    lastsMs: longCut,
    noneAtMostMs: () => 0,
  },
} satisfies Record<string, Fault>;

export type FaultId = keyof typeof FAULTS;

/** The longest a fault may leave the address on two nodes (see Fault.twoAtMostMs). */
export const twoAtMostMs = (fault: FaultId, t: LeaseTimings) => ((FAULTS[fault] as Fault).twoAtMostMs ?? lostLeaderOverlap)(t);

/**
 * The fault table's cells: every fault with our default timings on every release; and, on the
 * newest release only, the faults whose outcome the timings decide with kube-vip's own and its
 * documentation's (the mechanism is client-go's, the same in every release; those cells are
 * also the slowest, up to a minute each).
 */
export const FAULT_CELLS: readonly FaultCell[] = [
  ...(Object.keys(FAULTS) as FaultId[]).map((fault) => ({ fault, timings: 'ours' as const })),
  ...(['node-lost', 'api-cut-long', 'link-down'] as const).map((fault) => ({ fault, timings: 'kube-vip' as const, onlyOn: NEWEST })),
  // Their overlap is at most 2 s (retry + 2 x renew - lease): in some runs there is none.
  { fault: 'api-cut-long', timings: 'kube-vip docs', onlyOn: NEWEST, race: true },
];

export interface FaultCell {
  readonly fault: FaultId;
  readonly timings: TimingSet;
  /** The one release it runs on; every release when not given. */
  readonly onlyOn?: KubeVipRelease;
  /** Whether the address is on two nodes on the way differs from run to run (as Fault.race). */
  readonly race?: boolean;
}

/** The cells a release runs. */
export const cellsOf = (release: KubeVipRelease) => FAULT_CELLS.filter((c) => c.onlyOn === undefined || c.onlyOn === release);

/** A cell's key in FAULTS_SHOWN. */
export const faultKey = (release: string, fault: FaultId, timings: TimingSet) => `${release} ${fault}, ${timings} timings`;

/** One cell's run: where the address was and what the client saw from the fault to the end of watching. */
export interface FaultResult extends Holding, ClientView {
  readonly release: string;
  readonly fault: FaultId;
  readonly timings: TimingSet;
  readonly leaseTimings: LeaseTimings;
  readonly leader: string;
  readonly follower: string;
  /** How long injecting the fault took (for a cut: how long it lasted). */
  readonly faultMs: number;
  /** Times the kubelet stand-in started a kube-vip of the cell again. */
  readonly restarts: number;
  /** The last lines of both nodes' kube-vip, for a failure message. */
  readonly logs: string;
}

/** A cell's outcome in words, as the table states it: where the address ends, and whether it was ever gone or on two nodes. */
export function faultOutcome(r: FaultResult): string {
  const fault: Fault = FAULTS[r.fault];
  const race = fault.race || FAULT_CELLS.some((c) => c.fault === r.fault && c.timings === r.timings && c.race);
  const end =
    r.after.length === 0
      ? 'on no node'
      : r.after.length > 1
        ? 'on both nodes'
        : fault.eitherNode
          ? 'on one node'
          : r.after[0] === r.leader
            ? 'on the leader'
            : 'on the other node';
  if (race) return `ends ${end}; on two nodes on the way or not: a race, within the bound`;
  return [
    `ends ${end}`,
    r.noneMs > 0 ? 'gone for a while' : 'never gone',
    r.twoMs > 0 ? 'on two nodes for a while' : 'never on two nodes',
  ].join(', ');
}
