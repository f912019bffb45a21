import * as fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { kubeVipFromValues } from '../../lib/constructs/from-values';
import { Announcement, KubeVip, KubeVipControlPlane, KubeVipImage } from '../../lib';
import { KubeVipConfigError } from '../../lib/model/problem';
import { RESERVED_KEYS } from '../../lib/model/plain';
import { checkValues } from '../../lib/validation/validate';
import { cliAsync, ensureCompiled, isCleanError } from '../cli/support/cli';
import { testApp } from '../support/synth';

/**
 * Class 1 of the hostile-input issue: keys that name JavaScript's object machinery, at any
 * depth, on every route that reads input. Values are built with JSON.parse, as a parser builds
 * them: `__proto__` is then an own key, not a prototype. Every route must refuse a reserved key
 * (`__proto__`, `constructor`, `prototype`) with our message, and must read any other key (the
 * names Object.prototype inherits among them: toString, valueOf, hasOwnProperty...) as data:
 * no crash, and nothing added to Object.prototype.
 */

const INHERITED = Object.getOwnPropertyNames(Object.prototype);
const key = fc.oneof(fc.constantFrom(...RESERVED_KEYS, ...INHERITED), fc.string({ maxLength: 12 }));

/** A valid config with maps and lists of every kind the model has: typed, free-form, keyed. */
const BASE = {
  controlPlane: { enabled: true, address: '192.168.0.100' },
  services: { enabled: true },
  scheduling: { nodeSelector: { tier: 'edge' }, tolerations: [{ operator: 'Exists' }], affinity: {} },
  extraEnv: [{ name: 'vip_arpRate', value: '3000' }],
  pod: { annotations: { a: 'b' }, volumes: [{ name: 'v', emptyDir: {} }], volumeMounts: [{ name: 'v', mountPath: '/v' }] },
  resources: { requests: { cpu: '50m' } },
  ipam: { enabled: true, namespaces: { 'team-a': { ranges: ['192.168.0.200-192.168.0.210'] } } },
  global: { imagePullSecrets: [] },
};

/** Where a key is planted: a map somewhere in BASE, then a chain of new maps below it. */
const PLACES: (string | number)[][] = [
  [],
  ['controlPlane'],
  ['scheduling'],
  ['scheduling', 'nodeSelector'],
  ['scheduling', 'tolerations', 0],
  ['scheduling', 'affinity'],
  ['extraEnv', 0],
  ['pod', 'annotations'],
  ['pod', 'volumes', 0],
  ['pod', 'volumes', 0, 'emptyDir'],
  ['pod', 'volumeMounts', 0],
  ['resources', 'requests'],
  ['ipam', 'namespaces'],
  ['ipam', 'namespaces', 'team-a'],
  ['global'],
];

interface Planted {
  readonly input: Record<string, unknown>;
  readonly keys: readonly string[];
}

const planted: fc.Arbitrary<Planted> = fc
  .record({ place: fc.constantFrom(...PLACES), chain: fc.array(key, { maxLength: 3 }), last: key, value: fc.jsonValue({ maxDepth: 1 }) })
  .map(({ place, chain, last, value }) => {
    // Built as text, then parsed: exactly what a values file or a manifest becomes.
    const input = JSON.parse(JSON.stringify(BASE));
    let node = input;
    for (const step of place) node = node[step];
    const text = JSON.stringify([...chain, last].reduceRight<unknown>((inner, k) => ({ [k]: inner }), value ?? 'x')).slice(1, -1);
    const merged = JSON.parse(`{${[JSON.stringify(node).slice(1, -1), text].filter(Boolean).join(',')}}`);
    if (place.length === 0) return { input: merged, keys: [...chain, last] };
    let parent = input;
    for (const step of place.slice(0, -1)) parent = parent[step];
    parent[place[place.length - 1]] = merged;
    return { input, keys: [...chain, last] };
  });

const reserved = (keys: readonly string[]) => keys.some((k) => RESERVED_KEYS.includes(k));

function prototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual([...INHERITED].sort());
}

describe('keys that name object machinery', () => {
  it('checkValues refuses the reserved ones and reads every other key as data', () => {
    fc.assert(
      fc.property(planted, ({ input, keys }) => {
        let error: unknown;
        try {
          checkValues(input);
        } catch (e) {
          error = e;
        }
        prototypeUntouched();
        if (error !== undefined) expect(error).toBeInstanceOf(KubeVipConfigError);
        if (reserved(keys)) expect((error as KubeVipConfigError).problems.map((p) => p.rule)).toContain('schema-key-reserved');
      }),
      { numRuns: 400 },
    );
  });

  it('the constructs refuse the reserved ones at synthesis and never crash on the others', () => {
    fc.assert(
      fc.property(planted, ({ input, keys }) => {
        let error: unknown;
        try {
          const chart = new Chart(testApp(), 'site', { disableResourceNameHashes: true });
          kubeVipFromValues(chart, 'kube-vip', input);
          Testing.synth(chart);
        } catch (e) {
          error = e;
        }
        prototypeUntouched();
        if (error !== undefined) expect(error).toBeInstanceOf(KubeVipConfigError);
        if (reserved(keys)) expect(String(error)).toContain('is a key JavaScript reserves');
      }),
      { numRuns: 150 },
    );
  });

  it('a construct given a reserved key in a free-form prop refuses it at synthesis', () => {
    const chart = new Chart(new App(), 'site', { disableResourceNameHashes: true });
    const affinity = JSON.parse('{"nodeAffinity": {"__proto__": {"polluted": true}}}');
    const kubeVip = new KubeVip(chart, 'kv', { image: KubeVipImage.standard(), announce: Announcement.arp(), scheduling: { affinity } });
    new KubeVipControlPlane(kubeVip, 'cp', { address: '192.168.0.100' });
    expect(() => Testing.synth(chart)).toThrow(/scheduling\.affinity\.nodeAffinity\.__proto__: .*is a key JavaScript reserves/);
    prototypeUntouched();
  });
});

describe('the CLI on the same inputs', () => {
  beforeAll(ensureCompiled);
  const dir = mkdtempSync(join(tmpdir(), 'hostile-keys-'));

  it('synth, check and import: a refusal in one line or a result, never a stack trace', async () => {
    const samples = fc.sample(planted, { numRuns: 24, seed: 7 });
    const runs = samples.flatMap(({ input, keys }, i) => {
      const file = join(dir, `values-${i}.yaml`);
      writeFileSync(file, stringify(input));
      // The same planted map as a DaemonSet's pod template annotations: what check and import read.
      const manifest = join(dir, `manifest-${i}.yaml`);
      writeFileSync(
        manifest,
        stringify({
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'kube-vip-ds', namespace: 'kube-system', annotations: input },
          spec: { template: { spec: { containers: [{ name: 'kube-vip', image: 'ghcr.io/kube-vip/kube-vip:v1.2.2', env: [] }] } } },
        }),
      );
      return [
        { args: ['synth', '-f', file], keys },
        { args: ['check', file], keys },
        { args: ['check', manifest], keys },
        { args: ['import', manifest], keys },
      ];
    });
    const results = await Promise.all(runs.map(({ args }) => cliAsync(args)));
    results.forEach((result, i) => {
      const { args, keys } = runs[i];
      const where = `${args.join(' ')} (keys ${JSON.stringify(keys)})`;
      expect({ where, code: [0, 1, 2].includes(result.code ?? -1) }).toEqual({ where, code: true });
      expect({ where, trace: /\n\s+at |internal error/.test(result.stderr) }).toEqual({ where, trace: false });
      // Unusable input is one line on stderr; findings (check) go to stdout.
      if (result.code === 2) expect({ where, clean: isCleanError(result.stderr) }).toEqual({ where, clean: true });
      if (reserved(keys)) {
        expect({ where, code: result.code }).toEqual({ where, code: 2 });
        expect({ where, refused: result.stderr.includes('is a key JavaScript reserves') }).toEqual({ where, refused: true });
      }
    });
  });
});
