import { InputError } from '../errors';
import { isPlainObject } from '../../model/plain';
import { inputLabel, parseYamlStream, readText, typeName } from '../inputs';
import { ValuesSource } from '../values-sources';
import { Json } from '../json';
import { shapeProblem } from './shape';

/** A Kubernetes object and the file it came from. */
export interface SourcedObject {
  readonly source: string;
  readonly object: Json;
}

export interface CheckInput {
  readonly objects: readonly SourcedObject[];
  /** Documents without apiVersion and kind: values files, merged in the order given. */
  readonly values: readonly ValuesSource[];
}

function isKubernetesObject(doc: Record<string, unknown>): boolean {
  return typeof doc.apiVersion === 'string' && typeof doc.kind === 'string';
}

/** Every file's documents, sorted into Kubernetes objects (a `List` is opened) and values. */
export function readCheckInput(paths: readonly string[]): CheckInput {
  const objects: SourcedObject[] = [];
  const values: ValuesSource[] = [];
  for (const path of paths) {
    const source = inputLabel(path);
    const docs = parseYamlStream(readText(path), source);
    docs.forEach((doc, i) => {
      const where = docs.length > 1 ? `${source} (document ${i + 1})` : source;
      if (doc === null || doc === undefined) return;
      if (!isPlainObject(doc)) throw new InputError(`${where}: is ${typeName(doc)}, neither a Kubernetes object nor a map of values`);
      if (!isKubernetesObject(doc)) {
        values.push({ label: where, input: doc });
      } else if (doc.kind === 'List' || (doc.kind as string).endsWith('List')) {
        for (const item of Array.isArray(doc.items) ? doc.items : [])
          if (isPlainObject(item)) objects.push(wellFormed(source, where, item));
      } else {
        objects.push(wellFormed(source, where, doc));
      }
    });
  }
  return { objects, values };
}

/** An object whose fields the rules read have the types the API server takes, or the refusal. */
function wellFormed(source: string, where: string, object: Json): SourcedObject {
  const problem = shapeProblem(object);
  if (problem)
    throw new InputError(`${where}: ${objectName(object)}: ${problem}; the API server refuses such an object: correct the manifest`);
  return { source, object };
}

export function objectName(object: Json): string {
  const namespace = object.metadata?.namespace;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${object.metadata?.name ?? '(unnamed)'}`;
}
