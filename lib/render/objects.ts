import { KubeVipValues } from '../model/values';
import { Manifest, manifestKey, Rendered, renderManifests } from './manifests';

/**
 * How a deployment's objects come into being as its features are added, and the objects exactly
 * as the constructs synthesise them. The constructs create an object when the first feature that
 * renders it is added and keep it (cdk8s writes objects in creation order); they fix its fields
 * then and take their contents from the final config; its labels collect what each stage gave.
 * The constructs keep a ledger as features arrive; `renderObjects` replays the stages
 * `kubeVipFromValues` goes through, so the CLI gives the same bytes without loading cdk8s.
 */

type Json = Record<string, unknown>;

/** One object as created: what stays fixed from the stage that first rendered it. */
export interface LedgerEntry {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** For the kubelet's manifest folder, not the API server. */
  readonly staticPod: boolean;
  /** The top-level fields besides apiVersion, kind and metadata. */
  readonly fields: readonly string[];
  /** Every stage's labels, later stages winning. */
  readonly labels: Record<string, string>;
  /** Every stage's annotations, the same way. */
  readonly annotations: Record<string, string>;
}

/** Objects in creation order, by key. */
export type Ledger = Map<string, LedgerEntry>;

/** Records one stage's rendering; returns the entries it created. */
export function recordStage(ledger: Ledger, rendered: Rendered): LedgerEntry[] {
  const created: LedgerEntry[] = [];
  const all = [...rendered.cluster.map((m) => [m, false] as const), ...rendered.staticPods.map((m) => [m, true] as const)];
  for (const [m, staticPod] of all) {
    const key = manifestKey(m);
    let entry = ledger.get(key);
    if (!entry) {
      entry = {
        key,
        apiVersion: m.apiVersion,
        kind: m.kind,
        name: m.metadata.name,
        namespace: m.metadata.namespace,
        staticPod,
        fields: Object.keys(m).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k)),
        labels: {},
        annotations: {},
      };
      ledger.set(key, entry);
      created.push(entry);
    }
    Object.assign(entry.labels, m.metadata.labels ?? {});
    Object.assign(entry.annotations, m.metadata.annotations ?? {});
  }
  return created;
}

/**
 * The stages `kubeVipFromValues` adds features in: the bare deployment, then the control plane,
 * Services, egress and the IPAM pools. Each stage is the final config with the later features off.
 */
const FEATURES: readonly ((v: KubeVipValues, on: boolean) => KubeVipValues)[] = [
  (v, on) => ({ ...v, controlPlane: { ...v.controlPlane, enabled: on && v.controlPlane.enabled } }),
  (v, on) => ({ ...v, services: { ...v.services, enabled: on && v.services.enabled } }),
  (v, on) => ({ ...v, egress: { ...v.egress, enabled: on && v.egress.enabled } }),
  (v, on) => ({ ...v, ipam: { ...v.ipam, enabled: on && v.ipam.enabled } }),
];

function stagesOf(values: KubeVipValues): KubeVipValues[] {
  return Array.from({ length: FEATURES.length + 1 }, (_, stage) => FEATURES.reduce((v, feature, i) => feature(v, i < stage), values));
}

export interface Objects {
  /** For the API server. */
  readonly cluster: Json[];
  /** For /etc/kubernetes/manifests on control-plane nodes; never for kubectl apply. */
  readonly staticPods: Json[];
}

/** A validated config's objects, byte for byte what `kubeVipFromValues` synthesises through cdk8s. */
export function renderObjects(values: KubeVipValues): Objects {
  const ledger: Ledger = new Map();
  for (const stage of stagesOf(values)) recordStage(ledger, renderManifests(stage));
  const { cluster, staticPods } = renderManifests(values);
  const final = new Map([...cluster, ...staticPods].map((m) => [manifestKey(m), m]));
  const objects = { cluster: [] as Json[], staticPods: [] as Json[] };
  for (const entry of ledger.values()) {
    const manifest = final.get(entry.key);
    if (!manifest) throw new Error(`internal: ${entry.key} was created for an earlier feature set but is no longer rendered`);
    (entry.staticPod ? objects.staticPods : objects.cluster).push(objectOf(entry, manifest));
  }
  return objects;
}

/**
 * What cdk8s's ApiObject.toJson makes of an entry (with cdk8s's defaults: CDK8S_DISABLE_SORT unset):
 * keys sorted, nulls dropped, empty lists and maps left out of the metadata only.
 */
function objectOf(entry: LedgerEntry, manifest: Manifest): Json {
  const metadata = sanitize(
    { name: entry.name, namespace: entry.namespace, labels: entry.labels, annotations: entry.annotations },
    true,
  ) as Json;
  const body = sanitize(Object.fromEntries(entry.fields.map((f) => [f, manifest[f]])), false) as Json;
  return { apiVersion: entry.apiVersion, kind: entry.kind, metadata, ...body };
}

function sanitize(value: unknown, dropEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return dropEmpty && value.length === 0 ? undefined : value.map((v) => sanitize(v, dropEmpty));
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    const v = sanitize((value as Json)[key], dropEmpty);
    if (v !== undefined && v !== null) out[key] = v;
  }
  return dropEmpty && Object.keys(out).length === 0 ? undefined : out;
}
