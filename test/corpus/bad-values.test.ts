import { Chart } from 'cdk8s';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseSet } from '../../lib/cli/set-values';
import { constructsOf } from '../../lib/constructs/from-values';
import { formatProblem, formatValue, KubeVipConfigError, Problem } from '../../lib/model/problem';
import { resolveValues } from '../../lib/model/resolve';
import { KubeVipValuesInput } from '../../lib/model/values';
import { CONFIG_RULES } from '../../lib/validation/rules';
import { checkValues } from '../../lib/validation/validate';
import { cliAsync, CliResult, ensureCompiled, isCleanError } from '../cli/support/cli';
import { mapConcurrently } from '../support/concurrently';
import { HelmResult, HELMS, runHelmAsync, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';
import { BAD_VALUES, BadValues } from './bad-values';
import { testApp } from '../support/synth';

/**
 * Every bad values file of the corpus, through every route that takes values: each refuses it
 * with the corpus's one line (the chart's schema in Helm's words, at the same field), and none
 * prints a stack trace or exits 0, the chart's P4 address checks (generated CIDR maths) included.
 */

const lineOf = (p: Problem) => `[${p.rule}] ${formatProblem(p)}`;

/** The one problem checkValues refuses the case with, which the other routes must match. */
function problemOf(c: BadValues): Problem {
  try {
    checkValues(c.values);
  } catch (error) {
    if (error instanceof KubeVipConfigError && error.problems.length === 1) return error.problems[0];
    throw new Error(`${c.name}: ${String(error)}`, { cause: error });
  }
  throw new Error(`${c.name}: accepted`);
}

function escapeSet(text: string): string {
  return text.replace(/[\\.,=[\]]/g, (ch) => `\\${ch}`);
}

/** The case as `--set` assignments, or undefined where --set cannot say it (an empty map, a text --set types). */
function setArgs(values: Record<string, unknown>): string[] | undefined {
  const assignments: string[] = [];
  const walk = (value: unknown, key: string): boolean => {
    if (Array.isArray(value)) {
      if (value.length === 0) assignments.push(`${key}={}`);
      return value.every((item, i) => walk(item, `${key}[${i}]`));
    }
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      return entries.length > 0 && entries.every(([k, v]) => walk(v, `${key}.${escapeSet(k)}`));
    }
    assignments.push(`${key}=${typeof value === 'string' ? value.replace(/[\\,]/g, (ch) => `\\${ch}`) : String(value)}`);
    return true;
  };
  const expressible = Object.entries(values).every(([k, v]) => walk(v, escapeSet(k)));
  if (!expressible) return undefined;
  const parsed = assignments.reduce((acc, a) => mergeDeep(acc, parseSet(a, true, '--set')), {} as Record<string, unknown>);
  return JSON.stringify(parsed) === JSON.stringify(values) ? assignments.flatMap((a) => ['--set', a]) : undefined;
}

function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (Array.isArray(existing) && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item === null || item === undefined) return;
        existing[i] =
          existing[i] && typeof item === 'object'
            ? mergeDeep(existing[i] as Record<string, unknown>, item as Record<string, unknown>)
            : item;
      });
    } else if (existing && typeof existing === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
      mergeDeep(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** What the constructs' typed props say: the same values, built as a TypeScript user would, then synthesised. */
function propsRefusal(c: BadValues): string {
  try {
    const app = testApp();
    constructsOf(new Chart(app, 'test', { disableResourceNameHashes: true }), 'kube-vip', resolveValues(c.values as KubeVipValuesInput));
    app.synth();
  } catch (error) {
    return String((error as Error).message);
  }
  return '(accepted)';
}

/** Whether the values set a path (or a part of it): the CLI then names the file the problem is in. */
function setsPath(values: unknown, path: string): boolean {
  let node = values;
  for (const key of path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '')) {
    // A list or a value is set whole: everything under it counts as set by the file.
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return true;
    if (!(key in (node as object))) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** JSON pointer of a dotted model path, as helm's schema errors name fields. */
function pointerOf(path: string): string {
  return `/${path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

/** What helm must say for a schema problem: the field, in the JSON schema's words. */
function schemaWords(p: Problem): string[] {
  if (p.rule === 'schema-unknown-key') {
    const parts = p.path.split('.');
    const key = parts.pop()!;
    return parts.length > 0 ? [`at '${pointerOf(parts.join('.'))}'`, `'${key}' not allowed`] : [`'${key}' not allowed`];
  }
  const parent = p.path.slice(0, p.path.lastIndexOf('.'));
  // Helm deletes a null key before its schema sees the values: the parent misses it.
  if (p.rule === 'schema-required' || (p.value === null && !p.path.endsWith(']')))
    return [`at '${pointerOf(parent)}'`, `missing property '${p.path.split('.').pop()}'`];
  return [`at '${pointerOf(p.path)}'`];
}

const CASES = BAD_VALUES.map((c) => [c.name, c] as const);

/** Rule ids only the chart checks (facts about Helm); schema-key and schema-pattern are also the validator's. */
const CHART_ONLY = new Set(CONFIG_RULES.filter((r) => r.chartOnly).map((r) => r.rule));

describe('the bad-values corpus', () => {
  it('has at least 110 cases, with names of their own', () => {
    expect(BAD_VALUES.length).toBeGreaterThanOrEqual(110);
    expect(new Set(BAD_VALUES.map((c) => c.name)).size).toBe(BAD_VALUES.length);
  });

  it('covers every error rule a values file can break, but those only a chart or a manifest meets', () => {
    const rules = new Set(BAD_VALUES.map((c) => problemOf(c).rule));
    expect(rules.size).toBeGreaterThanOrEqual(50);
  });

  describe('checkValues (library, values)', () => {
    it.each(CASES)('%s', (_name, c) => {
      expect(lineOf(problemOf(c))).toBe(c.says);
    });
  });

  // The types refuse a wrong type, an unknown key or a string outside an enum at compile time.
  const sayable = CASES.filter(([, c]) => !c.typesRefuse && !/^schema-(type|unknown-key|enum|required)$/.test(problemOf(c).rule));

  it('leaves at most a third of the cases to the compiler', () => expect(sayable.length).toBeGreaterThan((CASES.length * 2) / 3));

  describe('the constructs, from typed props', () => {
    it.each(sayable)('%s', (_name, c) => {
      expect(propsRefusal(c)).toContain(formatProblem(problemOf(c)));
    });
  });
});

describe('the bad-values corpus through the CLI', () => {
  let dir: string;
  const results = new Map<string, CliResult>();
  const fileOf = (c: BadValues) => join(dir, `${BAD_VALUES.indexOf(c)}.yaml`);

  beforeAll(async () => {
    ensureCompiled();
    dir = mkdtempSync(join(tmpdir(), 'kube-vip-corpus-'));
    const jobs = BAD_VALUES.flatMap((c) => {
      const file = writeValues(dir, String(BAD_VALUES.indexOf(c)), c.values);
      const set = setArgs(c.values);
      return [
        async () => results.set(`synth -f ${c.name}`, await cliAsync(['synth', '-f', file])),
        async () => results.set(`check ${c.name}`, await cliAsync(['check', file])),
        ...(set ? [async () => results.set(`synth --set ${c.name}`, await cliAsync(['synth', ...set]))] : []),
      ];
    });
    await mapConcurrently(jobs, 4, (job) => job());
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says most cases with --set too', () => {
    expect(BAD_VALUES.filter((c) => setArgs(c.values)).length).toBeGreaterThan(BAD_VALUES.length * 0.8);
  });

  describe('synth -f', () => {
    it.each(CASES)('%s', (_name, c) => {
      const result = results.get(`synth -f ${c.name}`)!;
      const p = problemOf(c);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const source = setsPath(c.values, p.path) ? `${fileOf(c)}: ` : '';
      expect(result.stderr).toBe(`cdk8s-kube-vip synth: error [${p.rule}] ${source}${formatProblem(p)}\n`);
    });
  });

  describe('synth --set', () => {
    it.each(CASES.filter(([, c]) => setArgs(c.values)))('%s', (_name, c) => {
      const result = results.get(`synth --set ${c.name}`)!;
      const p = problemOf(c);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const source = setsPath(c.values, p.path) ? '--set: ' : '';
      expect(result.stderr).toBe(`cdk8s-kube-vip synth: error [${p.rule}] ${source}${formatProblem(p)}\n`);
    });
  });

  describe('check on the values file', () => {
    it.each(CASES)('%s', (_name, c) => {
      const result = results.get(`check ${c.name}`)!;
      const p = problemOf(c);
      expect(result.code).toBe(1);
      expect(isCleanError(result.stderr) || result.stderr === '').toBe(true);
      const errors = result.stdout.split('\n').filter((l) => / error \[/.test(l));
      expect(errors).toEqual([`${fileOf(c)}: error [${p.rule}] values, ${p.path}: ${formatValue(p.value)} ${p.message}; fix: ${p.fix}`]);
    });
  });
});

describeWithTools(['helm3', 'helm4'])('the bad-values corpus through the chart', () => {
  const chart = useTestChart();
  const results = new Map<string, HelmResult>();

  beforeAll(async () => {
    const { dir, scratch } = chart();
    const jobs = HELMS.flatMap((helm) =>
      BAD_VALUES.map((c) => async () => {
        const file = writeValues(scratch, String(BAD_VALUES.indexOf(c)), c.values);
        results.set(`${helm} ${c.name}`, await runHelmAsync(helm, ['template', 'kube-vip', dir, '-n', 'kube-system', '-f', file]));
      }),
    );
    await mapConcurrently(jobs, 4, (job) => job());
  }, 600_000);

  describe.each(HELMS)('%s template', (helm) => {
    it.each(CASES)('%s', (_name, c) => {
      const result = results.get(`${helm} ${c.name}`)!;
      const p = problemOf(c);
      expect(result.status).not.toBe(0);
      // Rules only the chart has (static-pod-not-helm) may add a line of their own.
      const ruleLines = result.stderr
        .split('\n')
        .filter((l) => /^\s+- \[/.test(l))
        .map((l) => l.replace(/^\s+- /, ''))
        .filter((l) => !CHART_ONLY.has(l.slice(1, l.indexOf(']'))) || l === c.says);
      if (ruleLines.length > 0) {
        expect(ruleLines).toEqual([c.says]);
      } else {
        expect(p.rule).toMatch(/^schema-/);
        expect(result.stderr).toContain("values don't meet the specifications of the schema");
        for (const words of schemaWords(p)) expect(result.stderr).toContain(words);
      }
    });
  });
});
