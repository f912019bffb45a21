import { App, Chart, YamlOutputType } from 'cdk8s';
import { kubeVipFromValues } from '../constructs/from-values';

/**
 * Values through the constructs to Kubernetes objects: the path a TypeScript user takes, so the
 * CLI's output is the library's output. This module loads cdk8s; the CLI imports it only for
 * commands that render, which keeps `--help` and `check` fast.
 */

type Json = Record<string, unknown>;

export interface Synthesized {
  /** For the API server. */
  readonly cluster: Json[];
  /** For /etc/kubernetes/manifests on control-plane nodes; never for kubectl apply. */
  readonly staticPods: Json[];
}

function build(values: Record<string, unknown>, chartName: string, app: App): Chart {
  const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
  kubeVipFromValues(chart, 'kube-vip', values);
  return chart;
}

/** The values must have passed validation: the constructs would throw otherwise. */
export function synthesize(values: Record<string, unknown>, chartName: string): Synthesized {
  const app = new App();
  const chart = build(values, chartName, app);
  const staticPodCharts = app.charts.filter((c) => c !== chart);
  return { cluster: chart.toJson(), staticPods: staticPodCharts.flatMap((c) => c.toJson()) };
}

/** Writes one file per chart, as `cdk8s synth` does; returns the file names. */
export function synthesizeToDirectory(values: Record<string, unknown>, chartName: string, outdir: string): string[] {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  build(values, chartName, app);
  app.synth();
  return app.charts.map((c) => `${c.node.id}${app.outputFileExtension}`);
}
