import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { constructsOf } from '../../lib/constructs/from-values';
import { formatProblem, KubeVipConfigError, Problem, Severity } from '../../lib/model/problem';
import { resolveValues } from '../../lib/model/resolve';
import { KubeVipValuesInput } from '../../lib/model/values';
import { checkValues } from '../../lib/validation/validate';
import { cliAsync, CliResult, ensureCompiled } from '../cli/support/cli';
import { mapConcurrently } from '../support/concurrently';
import { anyValuesFile } from '../support/model-arbitrary';
import { testApp } from '../support/synth';

/**
 * Generated values files (the whole config model, test/support/model-arbitrary.ts) through every
 * route: checkValues, the constructs' props, `synth -f`, and `check` on what synth wrote. Each is
 * accepted by all, or refused by all with the same problems; and `check`, given the same cluster
 * facts, finds no error in an accepted config's manifests: a false error there is one users would
 * see on a deployment we wrote. (The chart is held to the validator on generated configs by
 * test/chart/generated-parity.test.ts.)
 */

const RUNS = 120;
const SEED = 20261124;

interface Verdict {
  readonly errors: string[];
  readonly warnings: string[];
}

const lineOf = (p: Problem) => `[${p.rule}] ${formatProblem(p)}`;

/**
 * Refusals of values that typed props cannot even write, so the constructs never meet them:
 * a kubeconfig on ControlPlaneWorkload.daemonSet(), a digest on an image of variant auto, the
 * repository of the image variant not chosen, egress outside a KubeVipServicesLB.
 */
const UNSAYABLE = new Set([
  'P5-kubeconfig-static-pod-only',
  'P5-kubeconfig-kubeadm-only',
  'image-digest-variant',
  'image-reference',
  'P3-egress-needs-services',
]);

function libraryVerdict(input: unknown): Verdict {
  try {
    return { errors: [], warnings: checkValues(input).warnings.map(lineOf).sort() };
  } catch (error) {
    if (!(error instanceof KubeVipConfigError)) throw error;
    return {
      errors: error.problems
        .filter((p) => p.severity === Severity.ERROR)
        .map(lineOf)
        .sort(),
      warnings: [],
    };
  }
}

/** The constructs' refusal, as problem lines without rule ids (cdk8s prints no ids), or [] when they synthesise. */
function propsErrors(input: unknown): string[] {
  const app = testApp();
  try {
    constructsOf(new Chart(app, 'test', { disableResourceNameHashes: true }), 'kube-vip', resolveValues(input as KubeVipValuesInput));
    app.synth();
    return [];
  } catch (error) {
    const message = String((error as Error).message);
    return message
      .split('\n')
      .map((l) => l.replace(/^\s*(?:\[[^\]]*\]\s*)?(?:- )?/, ''))
      .filter((l) => / /.test(l) && !/^(?:Validation failed|invalid kube-vip)/.test(l))
      .sort();
  }
}

/** synth's problem lines, in the library's form: "[rule] path: value why; fix". */
function cliLines(result: CliResult, severity: 'error' | 'warning'): string[] {
  const pattern = new RegExp(`^cdk8s-kube-vip synth: ${severity} \\[([^\\]]+)\\] (?:[^:]*\\.yaml: )?(.*)$`);
  return result.stderr
    .split('\n')
    .map((l) => pattern.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `[${m[1]}] ${m[2]}`)
    .sort();
}

const inputs = fc.sample(anyValuesFile, { seed: SEED, numRuns: RUNS });
const cases = inputs.map((input, i) => ({ name: `model-${i}`, input, verdict: libraryVerdict(input) }));

describe('every route agrees on generated configurations', () => {
  let dir: string;
  const synth = new Map<string, CliResult>();
  const check = new Map<string, CliResult>();

  beforeAll(async () => {
    ensureCompiled();
    dir = mkdtempSync(join(tmpdir(), 'kube-vip-routes-'));
    await mapConcurrently(cases, 4, async (c) => {
      const file = join(dir, `${c.name}.yaml`);
      writeFileSync(file, JSON.stringify(c.input));
      const out = join(dir, c.name);
      synth.set(c.name, await cliAsync(['synth', '-f', file, '-o', out]));
      if (c.verdict.errors.length > 0) return;
      // The same facts for check, in a values file of their own: JSON, like the values file, since
      // the CLI reads YAML 1.1 as Helm does, where an unquoted `on` or `y` is a boolean.
      const facts = join(dir, `${c.name}-facts.yaml`);
      writeFileSync(facts, JSON.stringify({ cluster: resolveValues(c.input as KubeVipValuesInput).cluster }));
      mkdirSync(out, { recursive: true });
      const manifests = readdirSync(out).map((f) => join(out, f));
      check.set(c.name, await cliAsync(['check', '--output', 'json', ...manifests, facts]));
    });
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates refusals and acceptances, with many rules', () => {
    const refused = cases.filter((c) => c.verdict.errors.length > 0);
    expect(refused.length).toBeGreaterThan(RUNS / 5);
    expect(cases.length - refused.length).toBeGreaterThan(RUNS / 5);
    expect(new Set(refused.flatMap((c) => c.verdict.errors.map((l) => l.slice(1, l.indexOf(']'))))).size).toBeGreaterThan(8);
  });

  const named = (list: typeof cases) => list.map((c) => [c.name, c] as const);
  // Values of the right shapes: what a TypeScript user can write (the compiler refuses the rest).
  const typed = cases.filter((c) => !c.verdict.errors.some((l) => l.startsWith('[schema-')));
  const accepted = cases.filter((c) => c.verdict.errors.length === 0);

  describe('synth -f: the same verdict, the same lines', () => {
    it.each(named(cases))('%s', (name, c) => {
      const result = synth.get(name)!;
      expect(result.code).toBe(c.verdict.errors.length > 0 ? 1 : 0);
      expect(cliLines(result, 'error')).toEqual(c.verdict.errors);
      expect(cliLines(result, 'warning')).toEqual(c.verdict.warnings);
    });
  });

  describe('the constructs: no refusal of their own, and every refusal the props can carry', () => {
    it.each(named(typed))('%s', (_name, c) => {
      const library = c.verdict.errors.map((l) => l.slice(l.indexOf('] ') + 2));
      const props = propsErrors(c.input);
      expect(props.filter((l) => !library.includes(l))).toEqual([]);
      const missed = c.verdict.errors.filter((l) => !props.includes(l.slice(l.indexOf('] ') + 2)));
      expect(missed.filter((l) => !UNSAYABLE.has(l.slice(1, l.indexOf(']'))))).toEqual([]);
    });
  });

  describe('the constructs warn as the library does (KubeVip.warnings, which cdk8s synth prints)', () => {
    it.each(named(accepted))('%s', (_name, c) => {
      const kubeVip = constructsOf(
        new Chart(testApp(), 'test', { disableResourceNameHashes: true }),
        'kube-vip',
        resolveValues(c.input as KubeVipValuesInput),
      );
      expect(kubeVip.warnings.map(lineOf).sort()).toEqual(c.verdict.warnings);
    });
  });

  describe('check on the manifests synth wrote, with the same facts: no error', () => {
    it.each(named(accepted))('%s', (name) => {
      const result = check.get(name)!;
      const report = JSON.parse(result.stdout) as { findings: { severity: string; rule: string; message: string }[] };
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(result.code).toBe(0);
    });
  });
});
