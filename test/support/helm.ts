import { spawn, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { buildChart } from '../../lib/chart/build';
import { toolPath } from './tools';

type Json = Record<string, any>;

export const HELMS = ['helm3', 'helm4'] as const;
export type Helm = (typeof HELMS)[number];

const REPO = join(__dirname, '..', '..');

export interface TestChart {
  /** The chart, built from source for this test file, so tests never see a stale dist/chart. */
  readonly dir: string;
  /** A scratch folder next to it, for values files and packages. */
  readonly scratch: string;
  readonly version: string;
}

/** A freshly built chart for the enclosing describe block, removed after it. */
export function useTestChart(): () => TestChart {
  let chart: TestChart | undefined;
  let root: string | undefined;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kube-vip-chart-'));
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    chart = { dir: join(root, 'kube-vip'), scratch: join(root, 'scratch'), version };
    buildChart(join(REPO, 'charts', 'kube-vip'), chart.dir, version);
    mkdirSync(chart.scratch);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return () => {
    if (!chart) throw new Error('useTestChart: the chart exists only once beforeAll ran');
    return chart;
  };
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function helmBinary(helm: Helm): string {
  const path = toolPath(helm);
  if (!path) throw new Error(`${helm} is missing (run test/tools/install.sh)`);
  return path;
}

export function runHelm(helm: Helm, args: readonly string[], env: NodeJS.ProcessEnv = {}): HelmResult {
  const result = spawnSync(helmBinary(helm), args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: tests that run hundreds of helm processes start them in parallel. */
export function runHelmAsync(helm: Helm, args: readonly string[]): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(helmBinary(helm), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** Writes values to a file for `-f`. */
/**
 * Writes values as JSON (which is YAML): Helm reads YAML 1.1, where an unquoted `yes` or `on`
 * is a boolean, and a YAML 1.2 writer leaves such strings unquoted.
 */
export function writeValues(dir: string, name: string, values: unknown): string {
  const file = join(dir, `${name.replace(/[^a-zA-Z0-9-]/g, '_')}.yaml`);
  writeFileSync(file, JSON.stringify(values, null, 2));
  return file;
}

export function parseStream(text: string): Json[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm printed invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS() as Json | null;
    })
    .filter((o): o is Json => o !== null && typeof o === 'object');
}

/**
 * The whole normalisation the parity claim allows: Helm's own bookkeeping labels
 * (managed-by says Helm or cdk8s-kube-vip, and helm.sh/chart exists only in the chart).
 * Everything else must be equal.
 */
export const BOOKKEEPING_LABELS = ['app.kubernetes.io/managed-by', 'helm.sh/chart'];

export function withoutBookkeeping(object: Json): Json {
  const copy = structuredClone(object);
  for (const labels of [copy.metadata?.labels, copy.spec?.template?.metadata?.labels]) {
    if (labels) for (const label of BOOKKEEPING_LABELS) delete labels[label];
  }
  return copy;
}

export function keyOf(o: Json): string {
  return `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

/** Objects by kind/namespace/name, normalised; duplicate keys are an error in themselves. */
export function byKey(objects: Json[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const o of objects) {
    const key = keyOf(o);
    if (key in out) throw new Error(`two objects named ${key}`);
    out[key] = withoutBookkeeping(o);
  }
  return out;
}
