import { mkdirSync, statSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { KubeVipValues } from '../model/values';
import { Objects, renderObjects } from '../render/objects';
import { InputError, reasonOf } from './errors';

import { yamlStream } from './output';

/**
 * A checked config's objects (renderObjects: the constructs' bytes, without cdk8s), one file per
 * part, as `cdk8s synth` writes one per chart: <name>.k8s.yaml for the API server and, when there
 * is one, <name>-static-pod.k8s.yaml. Returns the file names.
 */
export function synthesizeToDirectory(values: KubeVipValues, outdir: string): string[] {
  const { cluster, staticPods } = renderObjects(values);
  const files: [string, Objects['cluster']][] = [[`${values.name}.k8s.yaml`, cluster]];
  if (staticPods.length > 0) files.push([`${values.name}-static-pod.k8s.yaml`, staticPods]);
  makeDirectory(outdir);
  for (const [file, docs] of files) {
    try {
      writeFileSync(join(outdir, file), yamlStream(docs));
    } catch (error) {
      throw new InputError(`-o ${outdir}: cannot write ${file}: ${reasonOf(error)}`);
    }
  }
  return files.map(([file]) => file);
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns where the kernel answers
 * "no such file" for a directory that exists (under /proc), and its errors name no directory.
 */
function makeDirectory(outdir: string, path = resolve(outdir)): void {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`-o ${outdir}: cannot use ${path}: ${reasonOf(error)}`);
  }
  if (stat?.isDirectory()) return;
  if (stat) throw new InputError(`-o ${outdir}: ${path} is a file, not a directory; name a directory for the manifests`);
  if (dirname(path) !== path) makeDirectory(outdir, dirname(path));
  try {
    mkdirSync(path);
  } catch (error) {
    // The parent is a directory (above), so "no such file" means a file system without new directories.
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its file system takes no new directories' : reasonOf(error);
    throw new InputError(`-o ${outdir}: cannot create ${path}: ${why}`);
  }
}
