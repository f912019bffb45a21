import { writeFileSync } from 'fs';
import { Announcement, KubeVip, KubeVipControlPlane, KubeVipImage } from '../../lib';
import { KubeObject } from '../e2e/support/kube';
import { synthWith } from '../support/synth';
import { describeOnNodes, KUBE_VIP_RELEASES, KubeVipRelease, kubeVipTools } from '../support/tools';
import { Image, TestCluster, TestNode } from './support/cluster';
import {
  AddressWatch,
  clientView,
  FaultContext,
  FaultResult,
  cellsOf,
  Fault,
  FAULTS,
  faultKey,
  FaultId,
  twoAtMostMs,
  faultOutcome,
  LeaseTimings,
  sleep,
  startClient,
  startResponders,
  Supervised,
  TIMING_SETS,
  TimingSet,
  watchAfter,
} from './support/faults';
import { netnsUnavailable } from './support/netns';
import { FAULTS_SHOWN } from './support/shown';
import { kubeVipBinary } from './support/use-cluster';

/**
 * The fault table (README "What survives what"): our output for the ARP control plane on two
 * nodes, each fault of support/faults.ts injected into the leader (or both nodes) on real
 * kube-vip, per release and lease timings. Every cell has its own two nodes, VIP and lease, so
 * all cells of a release run at once in one cluster, and the three releases side by side: the
 * file takes as long as its slowest cell, not the sum.
 */

const vipOf = (cell: number) => `192.168.77.${150 + cell}`;
const CELL_LABEL = 'faults.test/cell';

interface Cell {
  readonly fault: FaultId;
  readonly timings: TimingSet;
  readonly vip: string;
  readonly nodes: readonly TestNode[];
  readonly lease: { readonly namespace: string; readonly name: string };
  readonly leaseTimings: LeaseTimings;
}

/** One KubeVip per cell, on the cell's nodes, with the cell's lease timings (ours: none given). */
function deployments(release: KubeVipRelease): KubeObject[] {
  return synthWith((chart) => {
    for (const [i, cell] of cellsOf(release).entries()) {
      const kubeVip = new KubeVip(chart, `f${i}`, {
        name: `kube-vip-f${i}`,
        image: KubeVipImage.standard(release),
        announce: Announcement.arp(),
        interface: 'eth0',
        scheduling: { nodeSelector: { [CELL_LABEL]: `c${i}` } },
      });
      const timings = TIMING_SETS[cell.timings];
      new KubeVipControlPlane(kubeVip, 'cp', {
        address: vipOf(i),
        ...(timings
          ? {
              leaderElection: {
                leaseDurationSeconds: timings.leaseDuration,
                renewDeadlineSeconds: timings.renewDeadline,
                retryPeriodSeconds: timings.retryPeriod,
              },
            }
          : {}),
      });
    }
  }).cluster as KubeObject[];
}

/** The lease and timings kube-vip reads from a DaemonSet's env. */
function leaseOf(objects: KubeObject[], name: string): { lease: Cell['lease']; timings: LeaseTimings } {
  const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === name) as any;
  const env = Object.fromEntries(ds.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
  return {
    lease: { namespace: env.vip_leasenamespace ?? ds.metadata.namespace, name: env.vip_leasename },
    timings: {
      leaseDuration: Number(env.vip_leaseduration),
      renewDeadline: Number(env.vip_renewdeadline),
      retryPeriod: Number(env.vip_retryperiod),
    },
  };
}

/** Where the run is, for whoever watches it locally (FAULT_FIGURES set). */
const progress = (line: string) => process.env.FAULT_FIGURES && process.stderr.write(`faults: ${line}\n`);

/** Runs every cell of one release in one cluster; resolves with each cell's result. */
async function runRelease(release: KubeVipRelease): Promise<FaultResult[]> {
  const specs = cellsOf(release);
  const cluster = await TestCluster.start({ controlPlaneNodes: 2 * specs.length });
  progress(`${release}: cluster up`);
  try {
    const objects = deployments(release);
    const cells: Cell[] = [];
    for (const [i, spec] of specs.entries()) {
      const nodes = cluster.nodes.slice(2 * i, 2 * i + 2);
      for (const node of nodes) await cluster.labelNode(node, { [CELL_LABEL]: `c${i}` });
      const { lease, timings } = leaseOf(objects, `kube-vip-f${i}`);
      cells.push({ ...spec, vip: vipOf(i), nodes, lease, leaseTimings: timings });
    }
    const watches = await Promise.all(cells.map((cell) => AddressWatch.start(cluster, cell.nodes, cell.vip)));
    await startResponders(cluster, cluster.nodes);
    const client = await startClient(
      cluster,
      cluster.addHost('client', 250),
      cells.map((c) => c.vip),
    );
    await cluster.apply(objects);
    // Each cell's DaemonSet on its own two nodes, all at once.
    const daemonSets = objects.filter((o) => o.kind === 'DaemonSet');
    const started = await Promise.all(daemonSets.map((ds) => cluster.runDaemonSets([ds], kubeVipBinary(release), Image.STANDARD)));
    const pods = started.flat().map((p) => Supervised.start(cluster, p));
    progress(`${release}: ${pods.length} kube-vip running`);
    try {
      // Every cell finds its leader before any fault starts: no cell's polling runs during another's fault.
      const contexts = await Promise.all(
        cells.map(async (cell): Promise<FaultContext> => {
          const cellPods = pods.filter((p) => cell.nodes.includes(p.node));
          const leader = await leaderOf(cluster, cell, cellPods);
          const follower = cellPods.find((p) => p !== leader)!;
          return { cluster, leader, follower, lease: cell.lease, timings: cell.leaseTimings };
        }),
      );
      progress(`${release}: leaders elected`);
      // Settled, not all: the cluster goes only once every cell has stopped using it.
      const settled = await Promise.allSettled(cells.map((cell, i) => runCell(release, cell, contexts[i], watches[i], client)));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((r) => (r as PromiseFulfilledResult<FaultResult>).value);
    } finally {
      for (const pod of pods) pod.end();
    }
  } finally {
    await cluster.destroy();
  }
}

/** One cell: the fault, then watching until a successor has had its time; where the address was, and what the client saw. */
async function runCell(
  release: KubeVipRelease,
  cell: Cell,
  context: FaultContext,
  watch: AddressWatch,
  client: Awaited<ReturnType<typeof startClient>>,
): Promise<FaultResult> {
  const restartsBefore = context.leader.restarts + context.follower.restarts;
  const from = Date.now();
  await FAULTS[cell.fault].inject(context);
  const faultMs = Date.now() - from;
  await sleep(watchAfter(cell.leaseTimings));
  const to = Date.now();
  const pods = [context.leader, context.follower];
  return {
    release,
    fault: cell.fault,
    timings: cell.timings,
    leaseTimings: cell.leaseTimings,
    leader: context.leader.node.name,
    follower: context.follower.node.name,
    faultMs,
    restarts: context.leader.restarts + context.follower.restarts - restartsBefore,
    ...watch.holding(from, to),
    // A request sent in the last second may still be on its way back.
    ...clientView(client.record(), cell.vip, from, to - 1_000),
    logs: pods.map((p) => `--- ${p.node.name}:\n${p.current.process.output().split('\n').slice(-25).join('\n')}`).join('\n'),
  };
}

/** The cell's leader, once one node holds the VIP and the lease names it, held for two retry periods. */
async function leaderOf(cluster: TestCluster, cell: Cell, pods: Supervised[]): Promise<Supervised> {
  const holders = () => cell.nodes.filter((n) => cluster.lab.exec(n.host.netns, 'ip', ['-o', 'addr', 'show']).includes(` ${cell.vip}/`));
  const node = await cluster.waitFor(
    `the VIP ${cell.vip} on one node`,
    async () => {
      const now = holders();
      if (now.length !== 1) return undefined;
      return (await cluster.leaseHolder(cell.lease.namespace, cell.lease.name)) === now[0].name ? now[0] : undefined;
    },
    60_000,
    200,
  );
  await sleep(2_000 * cell.leaseTimings.retryPeriod);
  const still = holders();
  if (still.length !== 1 || still[0] !== node)
    throw new Error(`the VIP ${cell.vip} did not stay on ${node.name}: ${still.map((n) => n.name)}`);
  return pods.find((p) => p.node === node)!;
}

const results = new Map<string, FaultResult>();

describeOnNodes(['kube-apiserver-test', ...kubeVipTools(KUBE_VIP_RELEASES)], netnsUnavailable)(
  'faults on real kube-vip: our ARP control plane on two nodes',
  () => {
    beforeAll(async () => {
      // One release at a time: three clusters of 30-odd nodes at once load two cores so much
      // that the test's own timers run seconds late (a 1 s cut lasted 3 s).
      for (const release of KUBE_VIP_RELEASES) {
        for (const result of await runRelease(release)) results.set(faultKey(result.release, result.fault, result.timings), result);
      }
      if (process.env.FAULT_FIGURES) writeFileSync(process.env.FAULT_FIGURES, JSON.stringify([...results.values()], null, 2));
    }, 420_000);

    describe.each(KUBE_VIP_RELEASES.flatMap((release) => cellsOf(release).map((cell) => ({ release, ...cell }))))(
      '$release: $fault, $timings timings',
      ({ release, fault, timings }) => {
        it('does what the fault table says (support/shown.ts FAULTS_SHOWN)', () => {
          const result = results.get(faultKey(release, fault, timings));
          expect(result).toBeDefined();
          const shown = FAULTS_SHOWN[faultKey(release, fault, timings)];
          expect({ outcome: faultOutcome(result!), logs: result!.logs }).toEqual({ outcome: shown, logs: result!.logs });
        });

        it('keeps the claims its fault makes on the time on no node and on two nodes', () => {
          const result = results.get(faultKey(release, fault, timings))!;
          expect(result.noneMs).toBeLessThanOrEqual(FAULTS[fault].noneAtMostMs(result.leaseTimings));
          expect(result.twoMs).toBeLessThanOrEqual(twoAtMostMs(fault, result.leaseTimings));
        });

        const lasts = (FAULTS[fault] as Fault).lastsMs;
        if (lasts) {
          it('lasted as long as planned (the harness kept to its fault)', () => {
            const result = results.get(faultKey(release, fault, timings))!;
            const planned = lasts(result.leaseTimings);
            expect(result.faultMs).toBeGreaterThanOrEqual(planned);
            expect(result.faultMs).toBeLessThan(planned + 500);
          });
        }
      },
    );
  },
);
