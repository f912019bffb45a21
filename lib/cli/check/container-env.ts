import { Severity } from '../../model/problem';
import { SourcedObject } from './documents';
import { Finding } from './findings';
import { KubeVipContainer } from './workloads';
import { Json } from '../json';

/** An env var as the container gets it. */
export interface EnvEntry {
  readonly name: string;
  /** The text kube-vip reads, when the input tells it. */
  readonly value?: string;
  /** Filled from a Secret: the value is not in the manifest, which is what a password wants. */
  readonly secretKeyRef?: { readonly name: string; readonly key: string };
  /** From the pod itself (spec.nodeName). */
  readonly fieldRef?: string;
  /** Earlier variables its `$(NAME)` references name whose values the input does not hold (a pod field, a Secret): left as written. */
  readonly references?: readonly EnvEntry[];
}

/**
 * A value as the kubelet expands it (Kubernetes' dependent env vars): `$(NAME)` of a variable
 * defined before it becomes that variable's value, `$$` is one `$`, anything else stays as
 * written. References to a variable whose value is not in the input stay, and are returned.
 */
export function expandEnvValue(text: string, defined: ReadonlyMap<string, EnvEntry>): { value: string; references: EnvEntry[] } {
  let value = '';
  const references: EnvEntry[] = [];
  for (let i = 0; i < text.length; i++) {
    const next = text[i + 1];
    if (text[i] !== '$' || next === undefined) {
      value += text[i];
    } else if (next === '$') {
      value += '$';
      i += 1;
    } else if (next === '(' && text.indexOf(')', i + 2) >= 0) {
      const close = text.indexOf(')', i + 2);
      const name = text.slice(i + 2, close);
      const entry = defined.get(name);
      if (entry?.value !== undefined) value += entry.value;
      else {
        if (entry) references.push(entry);
        value += `$(${name})`;
      }
      i = close;
    } else {
      value += '$' + next;
      i += 1;
    }
  }
  return { value, references };
}

export interface ContainerEnv {
  readonly entries: ReadonlyMap<string, EnvEntry>;
  readonly findings: readonly Finding[];
}

function configMap(objects: readonly SourcedObject[], namespace: string, name: string): Json | undefined {
  return objects.find(
    (o) => o.object.kind === 'ConfigMap' && o.object.metadata?.name === name && (o.object.metadata?.namespace ?? namespace) === namespace,
  )?.object;
}

/**
 * The container's env vars: envFrom first, then env, later ones winning, as the kubelet does.
 * Values in ConfigMaps are read when the ConfigMap is in the input; otherwise the finding says
 * what could not be checked.
 */
export function containerEnv(workload: KubeVipContainer, objects: readonly SourcedObject[]): ContainerEnv {
  const entries = new Map<string, EnvEntry>();
  const findings: Finding[] = [];
  const unresolved = (field: string, what: string) =>
    findings.push({
      rule: 'env-unresolved',
      severity: Severity.WARNING,
      source: workload.source,
      object: workload.name,
      field: `container ${workload.container.name}, ${field}`,
      value: what,
      message: 'is not in the input, so the settings it holds were not checked',
      fix: 'add it to the files given to check',
    });

  for (const from of workload.container.envFrom ?? []) {
    const prefix: string = from.prefix ?? '';
    if (from.configMapRef?.name) {
      const cm = configMap(objects, workload.namespace, from.configMapRef.name);
      if (!cm) unresolved('envFrom', `ConfigMap ${from.configMapRef.name}`);
      for (const [key, value] of Object.entries(cm?.data ?? {})) entries.set(prefix + key, { name: prefix + key, value: String(value) });
    } else if (from.secretRef?.name) {
      unresolved('envFrom', `Secret ${from.secretRef.name}`);
    }
  }
  for (const env of workload.container.env ?? []) {
    if (!env || typeof env.name !== 'string') continue;
    const ref = env.valueFrom;
    if (ref?.secretKeyRef) {
      entries.set(env.name, { name: env.name, secretKeyRef: { name: ref.secretKeyRef.name, key: ref.secretKeyRef.key } });
    } else if (ref?.fieldRef) {
      entries.set(env.name, { name: env.name, fieldRef: ref.fieldRef.fieldPath });
    } else if (ref?.configMapKeyRef) {
      const cm = configMap(objects, workload.namespace, ref.configMapKeyRef.name);
      const value = cm?.data?.[ref.configMapKeyRef.key];
      if (value === undefined) unresolved(`env ${env.name}`, `ConfigMap ${ref.configMapKeyRef.name} key ${ref.configMapKeyRef.key}`);
      else entries.set(env.name, { name: env.name, value: String(value) });
    } else {
      const { value, references } = expandEnvValue(env.value === undefined || env.value === null ? '' : String(env.value), entries);
      entries.set(env.name, { name: env.name, value, ...(references.length > 0 ? { references } : {}) });
    }
  }
  // kube-vip ignores an empty value, as if the variable were not set.
  for (const [name, entry] of entries) if (entry.value === '' && !entry.secretKeyRef && !entry.fieldRef) entries.delete(name);
  return { entries, findings };
}

/** The port of a host:port listen address as kube-vip takes it (prometheus_server, :2112), if it has one. */
export function listenPort(address: string): number | undefined {
  const port = /:([0-9]+)$/.exec(address)?.[1];
  return port === undefined ? undefined : Number(port);
}
