import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { KubeVipValues } from '../model/values';
import { Objects, renderObjects } from '../render/objects';
import { yamlStream } from './output';

/**
 * A checked config to Kubernetes objects: the renderer the constructs use, without building a
 * construct tree, so the CLI does not load cdk8s. The bytes are the constructs' (a test compares
 * them over the whole snapshot matrix and generated configs).
 */

export type Synthesized = Objects;

/** The values must have passed validation. */
export function synthesize(values: KubeVipValues): Synthesized {
  return renderObjects(values);
}

/**
 * Writes one file per part, as `cdk8s synth` writes one per chart: <name>.k8s.yaml for the API
 * server and, when there is one, <name>-static-pod.k8s.yaml. Returns the file names.
 */
export function synthesizeToDirectory(values: KubeVipValues, outdir: string): string[] {
  const { cluster, staticPods } = synthesize(values);
  const files: [string, Synthesized['cluster']][] = [[`${values.name}.k8s.yaml`, cluster]];
  if (staticPods.length > 0) files.push([`${values.name}-static-pod.k8s.yaml`, staticPods]);
  mkdirSync(outdir, { recursive: true });
  for (const [file, docs] of files) writeFileSync(join(outdir, file), yamlStream(docs));
  return files.map(([file]) => file);
}
