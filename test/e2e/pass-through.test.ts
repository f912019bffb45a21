import * as fc from 'fast-check';
import { KubeVipConfigError } from '../../lib';
import { checkValues } from '../../lib/validation/validate';
import { resolveValues } from '../../lib/model/resolve';
import { KubeVipValues } from '../../lib/model/values';
import { renderObjects } from '../../lib/render/objects';
import { mapConcurrently } from '../support/concurrently';
import { describeWithTools } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { KubeApiError, KubeObject } from './support/kube';
import { podOfStaticPod } from './support/pods';

/**
 * Issue 32, class 3: what the API server refuses in the Kubernetes fields the model passes
 * through, we refuse first. The oracle is the real API server: values generated with valid and
 * invalid env vars, volumes, mounts, tolerations and priority classes go through checkValues;
 * every config it accepts is rendered and sent to the API server as a server-side dry-run apply
 * with strict field validation. None may be refused there. The generator must also produce
 * configs we refuse, or the test would prove nothing.
 *
 * Requests against their limits are compared on pairs written to land on rounding, on other
 * notations of one value and on the binary cap: we refuse exactly the pairs the API server refuses.
 */

const oneOf = <T>(...items: T[]) => fc.constantFrom(...items);
type Json = Record<string, any>;

const SOURCES: Json = { hostPath: { path: '/etc/kubernetes/admin.conf', type: 'File' }, emptyDir: {}, secret: { secretName: 'creds' } };

/** Valid pass-through fields, in the shapes people write. */
const validFields = fc.record({
  extraEnv: fc.uniqueArray(
    fc.record({
      name: oneOf('HTTPS_PROXY', 'NO_PROXY', 'GODEBUG', 'x.y-z', '_private'),
      source: oneOf<Json>(
        { value: 'text' },
        { value: '' },
        { valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { valueFrom: { secretKeyRef: { name: 'creds', key: 'token.v1' } } },
        { valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: true } } },
        { valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ),
    }),
    { maxLength: 3, selector: (e) => e.name },
  ),
  volumes: fc.uniqueArray(fc.record({ name: oneOf('host', 'scratch', 'creds'), source: oneOf('hostPath', 'emptyDir', 'secret') }), {
    maxLength: 2,
    selector: (v) => v.name,
  }),
  mountPaths: fc.shuffledSubarray(['/etc/kube-vip', '/tmp/scratch', '/var/lib/kube-vip']),
  propagation: oneOf(undefined, 'None', 'HostToContainer'),
  tolerations: fc.array(
    oneOf<Json>(
      { key: 'example.com/dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' },
      { operator: 'Exists' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: 'example.com/dedicated', value: 'edge' },
    ),
    { maxLength: 2 },
  ),
  priorityClassName: oneOf('system-node-critical', 'team-critical'),
  updateStrategy: oneOf<Json | undefined>(
    undefined,
    { type: 'OnDelete' },
    { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } },
    { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
  ),
  resources: oneOf<Json | undefined>(
    undefined,
    { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    { requests: { cpu: 0.1, memory: 67108864 } },
    { requests: { cpu: '1', 'ephemeral-storage': '1G' }, limits: { cpu: '2', 'ephemeral-storage': '2G' } },
    { requests: { cpu: '.5', memory: '1e8' }, limits: { 'example.com/dongle': 1, 'hugepages-2Mi': '4Mi', memory: '1Gi' } },
    { limits: { cpu: '+2', memory: '2Gi' } },
    {
      requests: { cpu: '500m', memory: '1Gi', 'example.com/dongle': 2 },
      limits: { cpu: '0.5', memory: '1024Mi', 'example.com/dongle': '2' },
    },
    { requests: { 'hugepages-2Mi': '4Mi', memory: '64Mi' }, limits: { 'hugepages-2Mi': '4194304', memory: '64Mi' } },
  ),
  affinity: oneOf<Json | undefined>(
    undefined,
    {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
                { key: 'example.com/edge', operator: 'Exists' },
              ],
            },
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, preference: { matchExpressions: [{ key: 'example.com/cores', operator: 'Gt', values: ['4'] }] } },
        ],
      },
    },
    {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'other-vip' } }, namespaces: ['kube-system'] },
        ],
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 1,
            podAffinityTerm: {
              topologyKey: 'topology.kubernetes.io/zone',
              labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a', 'b'] }] },
            },
          },
        ],
      },
    },
  ),
  masquerade: fc.boolean(),
});

function configOf(v: Json): Json {
  const volumes = v.volumes.map((x: Json) => ({ name: x.name, [x.source]: SOURCES[x.source] }));
  return {
    controlPlane: {
      enabled: true,
      address: '192.168.0.100',
      loadBalancer: v.masquerade ? { enabled: true, forwardingMethod: 'masquerade' } : { enabled: false },
    },
    services: { enabled: true },
    extraEnv: v.extraEnv.map((e: Json) => ({ name: e.name, ...e.source })),
    pod: {
      volumes,
      volumeMounts: volumes.map((x: Json, i: number) => ({
        name: x.name,
        mountPath: v.mountPaths[i] ?? `/mnt/${x.name}`,
        ...(v.propagation ? { mountPropagation: v.propagation } : {}),
      })),
    },
    scheduling: { tolerations: v.tolerations, priorityClassName: v.priorityClassName, ...(v.affinity ? { affinity: v.affinity } : {}) },
    ...(v.updateStrategy ? { updateStrategy: v.updateStrategy } : {}),
    ...(v.resources ? { resources: v.resources } : {}),
  };
}

/**
 * One thing the API server refuses, written into a valid config; each names the rule that refuses
 * it first. `olderServersOnly` marks what only the releases the chart supports before that one refuse.
 * (No flaws: a volume without a source, which the API server makes an emptyDir, and rollingUpdate
 * with type OnDelete, which it takes and ignores; the latter is our warning.)
 */
const FLAWS: Record<string, { rule: string; apply: (c: Json) => void; olderServersOnly?: string }> = {
  'env name with =': { rule: 'schema-pattern', apply: (c) => c.extraEnv.push({ name: 'A=B', value: '1' }) },
  'env name starting with a digit': {
    rule: 'schema-pattern',
    apply: (c) => c.extraEnv.push({ name: '1ABC', value: '1' }),
    // Relaxed env var names are on by default from Kubernetes 1.32; the chart supports 1.25 and newer.
    olderServersOnly: '1.32',
  },
  'env name twice': {
    rule: 'extra-env-duplicate',
    apply: (c) => c.extraEnv.push({ name: 'TWICE', value: '1' }, { name: 'TWICE', value: '2' }),
  },
  'env value and valueFrom': {
    rule: 'extra-env-value-and-source',
    apply: (c) => c.extraEnv.push({ name: 'BOTH', value: '1', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }),
  },
  'env valueFrom without a source': { rule: 'extra-env-value-source', apply: (c) => c.extraEnv.push({ name: 'NONE', valueFrom: {} }) },
  'env valueFrom with two sources': {
    rule: 'extra-env-value-source',
    apply: (c) =>
      c.extraEnv.push({
        name: 'TWO',
        valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' }, secretKeyRef: { name: 'creds', key: 'token' } },
      }),
  },
  'env Secret key with /': {
    rule: 'schema-pattern',
    apply: (c) => c.extraEnv.push({ name: 'KEY', valueFrom: { secretKeyRef: { name: 'creds', key: 'a/b' } } }),
  },
  'volume with two sources': {
    rule: 'volume-source',
    apply: (c) => c.pod.volumes.push({ name: 'two', emptyDir: {}, hostPath: { path: '/etc/kubernetes' } }),
  },
  'volume name twice': {
    rule: 'volume-duplicate',
    apply: (c) => c.pod.volumes.push({ name: 'twice', emptyDir: {} }, { name: 'twice', emptyDir: {} }),
  },
  'mount of no volume': { rule: 'volume-mount-volume', apply: (c) => c.pod.volumeMounts.push({ name: 'missing', mountPath: '/m' }) },
  'mount path twice': {
    rule: 'volume-mount-path-duplicate',
    apply: (c) => {
      c.pod.volumes.push({ name: 'p1', emptyDir: {} }, { name: 'p2', emptyDir: {} });
      c.pod.volumeMounts.push({ name: 'p1', mountPath: '/same' }, { name: 'p2', mountPath: '/same' });
    },
  },
  'Bidirectional propagation unprivileged': {
    rule: 'volume-mount-propagation',
    apply: (c) => {
      c.controlPlane.loadBalancer = { enabled: false };
      c.pod.volumes.push({ name: 'bi', emptyDir: {} });
      c.pod.volumeMounts.push({ name: 'bi', mountPath: '/bi', mountPropagation: 'Bidirectional' });
    },
  },
  'toleration Exists with a value': {
    rule: 'toleration-exists-value',
    apply: (c) => c.scheduling.tolerations.push({ key: 'k', operator: 'Exists', value: 'v' }),
  },
  'toleration without key, Equal': {
    rule: 'toleration-key-operator',
    apply: (c) => c.scheduling.tolerations.push({ operator: 'Equal', value: 'v' }),
  },
  'tolerationSeconds for NoSchedule': {
    rule: 'toleration-seconds-effect',
    apply: (c) => c.scheduling.tolerations.push({ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }),
  },
  'update strategy of no kind': { rule: 'update-strategy-type', apply: (c) => (c.updateStrategy = { type: 'Bogus' }) },
  'maxUnavailable that is no amount': {
    rule: 'update-strategy-amount',
    apply: (c) => (c.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '1.5' } }),
  },
  'maxUnavailable 0 without a surge': {
    rule: 'update-strategy-amount',
    apply: (c) => (c.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }),
  },
  'priority class that is no name': { rule: 'schema-pattern', apply: (c) => (c.scheduling.priorityClassName = 'Bad_Class') },
  'resources with a misspelt field': {
    rule: 'resources-field',
    apply: (c) => (c.resources = { requests: { cpu: '50m' }, limit: { memory: '1Gi' } }),
  },
  'resource that is no container resource': { rule: 'resources-name', apply: (c) => (c.resources = { requests: { gpu: 1 } }) },
  'resource name with a space': { rule: 'resources-name', apply: (c) => (c.resources = { limits: { 'example.com/big dongle': 1 } }) },
  'quantity that is no quantity': { rule: 'resources-quantity', apply: (c) => (c.resources = { requests: { cpu: 'lots' } }) },
  'negative quantity': { rule: 'resources-quantity', apply: (c) => (c.resources = { limits: { memory: '-1Gi' } }) },
  'quantity with a suffix of the wrong case': {
    rule: 'resources-quantity',
    apply: (c) => (c.resources = { requests: { memory: '64MI' } }),
  },
  'request above its limit': {
    rule: 'resources-request-above-limit',
    apply: (c) => (c.resources = { requests: { cpu: '200m' }, limits: { cpu: '0.1' } }),
  },
  'decimal request above a binary limit past the cap': {
    rule: 'resources-request-above-limit',
    apply: (c) => (c.resources = { requests: { memory: '1e20' }, limits: { memory: '10Ei' } }),
  },
  'extended resource request below its limit': {
    rule: 'resources-request-not-limit',
    apply: (c) => (c.resources = { requests: { 'example.com/dongle': 1 }, limits: { 'example.com/dongle': 2 } }),
  },
  'hugepages request without a limit': {
    rule: 'resources-request-not-limit',
    apply: (c) => (c.resources = { requests: { 'hugepages-2Mi': '4Mi', memory: '64Mi' }, limits: { memory: '64Mi' } }),
  },
  'extended resource in fractions': {
    rule: 'resources-extended-whole',
    apply: (c) => (c.resources = { limits: { 'example.com/dongle': '0.5' } }),
  },
  'node affinity without terms': {
    rule: 'affinity-node-terms',
    apply: (c) => (c.scheduling.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
  },
  'node requirement In without values': {
    rule: 'affinity-requirement-values',
    apply: (c) => (c.scheduling.affinity = nodeTerm({ key: 'a', operator: 'In' })),
  },
  'node requirement Exists with values': {
    rule: 'affinity-requirement-values',
    apply: (c) => (c.scheduling.affinity = nodeTerm({ key: 'a', operator: 'Exists', values: ['x'] })),
  },
  'node requirement Gt with two values': {
    rule: 'affinity-requirement-values',
    apply: (c) => (c.scheduling.affinity = nodeTerm({ key: 'a', operator: 'Gt', values: ['1', '2'] })),
  },
  'node requirement with an empty key': {
    rule: 'affinity-requirement-key',
    apply: (c) => (c.scheduling.affinity = nodeTerm({ key: '', operator: 'Exists' })),
  },
  'node field that is a label': {
    rule: 'affinity-requirement-key',
    apply: (c) =>
      (c.scheduling.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n'] }] }],
          },
        },
      }),
  },
  'node requirement with an unknown operator': {
    rule: 'schema-enum',
    apply: (c) => (c.scheduling.affinity = nodeTerm({ key: 'a', operator: 'Like' })),
  },
  'pod anti-affinity without a topology key': {
    rule: 'affinity-topology-key',
    apply: (c) =>
      (c.scheduling.affinity = {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '', labelSelector: {} }] },
      }),
  },
  'preference of weight 0': {
    rule: 'schema-range',
    apply: (c) =>
      (c.scheduling.affinity = {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 0, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } },
          ],
        },
      }),
  },
  'label selector value that is no label value': {
    rule: 'schema-pattern',
    apply: (c) =>
      (c.scheduling.affinity = {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a b'] }] },
            },
          ],
        },
      }),
  },
};

/** An affinity of one required node term with one requirement. */
function nodeTerm(requirement: Json): Json {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [requirement] }] } } };
}

interface Case {
  readonly config: Json;
  readonly flaw?: string;
  /** A CPU request and limit compared on their own (see QUANTITY_PAIRS). */
  readonly pair?: readonly [string, string];
}

/** One value in micro units written several ways, the way people and generators write quantities. */
function spell(micro: bigint, how: number): string {
  const units = micro / 10n ** 6n;
  const fraction = (micro % 10n ** 6n).toString().padStart(6, '0');
  return [
    `${micro}u`,
    `${units}.${fraction}`,
    `${micro}e-6`,
    micro % 1000n === 0n ? `${micro / 1000n}m` : `${micro * 1000n}n`,
    `${micro * 10n}0e-8`,
  ][how];
}

/**
 * CPU requests and limits on either side of equal: a milli unit apart, or less, which the API
 * server's rounding up to milli units may or may not hide.
 */
const QUANTITY_PAIRS: [string, string][] = fc.sample(
  fc
    .tuple(fc.bigInt({ min: 1001n, max: 4n * 10n ** 6n }), fc.constantFrom(-1000n, -1n, 0n, 0n, 1n, 1000n), fc.nat(4), fc.nat(4))
    .map(([micro, delta, a, b]): [string, string] => [spell(micro + delta, a), spell(micro, b)]),
  { numRuns: 40, seed: 32 },
);

const cases = fc.tuple(validFields, fc.option(oneOf(...Object.keys(FLAWS)), { freq: 2 })).map(([fields, flaw]): Case => {
  const config = configOf(fields as never);
  if (flaw) FLAWS[flaw].apply(config);
  return { config, flaw: flaw ?? undefined };
});

/** Every flaw at least twice, and valid configs besides. */
const CASES: Case[] = [
  ...fc.sample(cases, { numRuns: 120, seed: 32 }),
  ...Object.keys(FLAWS).flatMap((flaw) =>
    fc.sample(validFields, { numRuns: 2, seed: flaw.length }).map((fields) => {
      const config = configOf(fields as never);
      FLAWS[flaw].apply(config);
      return { config, flaw };
    }),
  ),
  ...QUANTITY_PAIRS.map((pair): Case => {
    const config = configOf(fc.sample(validFields, { numRuns: 1, seed: 1 })[0] as never);
    return { config: { ...config, resources: { requests: { cpu: pair[0] }, limits: { cpu: pair[1] } } }, pair };
  }),
];

/** What the API server answers to each object of a rendering; [] when it takes them all. */
async function serverRefusals(kube: ReturnType<ReturnType<typeof useApiServer>>['admin'], objects: KubeObject[]): Promise<string[]> {
  const refusals: string[] = [];
  for (const object of objects) {
    try {
      if (object.kind === 'Pod') await kube.create(object, { dryRun: true });
      else await kube.apply(object, { dryRun: true });
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      refusals.push(`${object.kind} ${object.metadata.name}: ${error.message}`);
    }
  }
  return refusals;
}

function rendered(values: KubeVipValues): KubeObject[] {
  const { cluster, staticPods } = renderObjects(values);
  return [...(cluster as KubeObject[]), ...staticPods.map((p) => podOfStaticPod(p).pod() as KubeObject)];
}

describeWithTools(['kube-apiserver-test'])('pass-through fields on the real API server', () => {
  const server = useApiServer();
  const outcomes: { index: number; ours: string[]; server: string[] }[] = [];

  beforeAll(async () => {
    await mapConcurrently(CASES, 6, async ({ config }, index) => {
      let ours: string[] = [];
      try {
        checkValues(config);
      } catch (error) {
        if (!(error instanceof KubeVipConfigError)) throw error;
        ours = error.problems.map((p) => p.rule);
      }
      // Rendered whatever we say (the shapes are right: only texts are wrong), so the API server's answer is known for every case.
      const answer = await serverRefusals(server().admin, rendered(resolveValues(config)));
      outcomes[index] = { index, ours, server: answer };
    });
  }, 300_000);

  it('has valid configs and every flaw', () => {
    expect(CASES.filter((c) => !c.flaw).length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.flaw).filter(Boolean))).toEqual(new Set(Object.keys(FLAWS)));
  });

  it('refuses a request above its limit exactly when the API server does, however the two are written', () => {
    const pairs = outcomes.filter((o) => CASES[o.index].pair);
    const refused = (o: (typeof outcomes)[number]) => o.server.length > 0;
    expect(pairs.filter(refused).length).toBeGreaterThan(0);
    expect(pairs.filter((o) => !refused(o)).length).toBeGreaterThan(0);
    const disagree = pairs
      .filter((o) => o.ours.includes('resources-request-above-limit') !== refused(o))
      .map((o) => ({ pair: CASES[o.index].pair, ours: o.ours, server: o.server }));
    expect(disagree).toEqual([]);
  });

  it('sends nothing we accept that the API server refuses', () => {
    const accepted = outcomes.filter((o) => o.ours.length === 0);
    expect(accepted.length).toBeGreaterThanOrEqual(30);
    expect(accepted.filter((o) => o.server.length > 0).map((o) => ({ config: CASES[o.index].config, server: o.server }))).toEqual([]);
  });

  it('refuses each flaw with its rule, and the API server refuses it too (so the refusal is not ours alone; the test server is newer than the releases some flaws are for)', () => {
    const wrong = outcomes
      .filter((o) => CASES[o.index].flaw)
      .map((o) => ({ flaw: CASES[o.index].flaw!, ours: o.ours, server: o.server.length > 0, said: o.server }))
      .filter((o) => !o.ours.includes(FLAWS[o.flaw].rule) || o.server === Boolean(FLAWS[o.flaw].olderServersOnly));
    expect(wrong).toEqual([]);
  });
});
