import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkValues, kubeVipFromValues } from '../../lib';

type Json = Record<string, any>;

/**
 * One output folder for every test app of a test file. cdk8s' Testing.app makes a folder of its
 * own for each app and never removes it, and the suite makes tens of thousands of apps; nothing
 * is written there (toJson synthesises in memory).
 */
let outdir: string | undefined;
afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
});

/** A test app (cdk8s' Testing.app) on the file's one output folder, removed after the file. */
export function testApp(): App {
  outdir ??= mkdtempSync(join(tmpdir(), 'cdk8s-kube-vip-test-'));
  return Testing.app({ outdir });
}

/** Synthesises whatever `build` adds to a fresh chart; static pods come from their own chart. */
export function synthWith(build: (chart: Chart) => void): { cluster: Json[]; staticPods: Json[] } {
  const app = testApp();
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  build(chart);
  const staticCharts = app.charts.filter((c) => c !== chart);
  return { cluster: chart.toJson(), staticPods: staticCharts.flatMap((c) => c.toJson()) };
}

export function synthValues(...values: unknown[]) {
  return synthWith((chart: Construct) => kubeVipFromValues(chart, 'kube-vip', ...values));
}

export function find(objects: Json[], kind: string, name?: string): Json {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

export function envOf(workload: Json): Record<string, string | Json> {
  const spec = workload.kind === 'Pod' ? workload.spec : workload.spec.template.spec;
  return Object.fromEntries(spec.containers[0].env.map((e: Json) => [e.name, e.value ?? e.valueFrom]));
}

export function containerOf(workload: Json): Json {
  return (workload.kind === 'Pod' ? workload.spec : workload.spec.template.spec).containers[0];
}

/** The problem lines checkValues refuses these values with (each "- path: value message; fix"), or [] when it accepts them. */
export function refusals(...values: unknown[]): string[] {
  try {
    checkValues(...values);
    return [];
  } catch (error) {
    return String((error as Error).message)
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
}
