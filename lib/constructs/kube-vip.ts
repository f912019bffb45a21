import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkTypes, resolveValues } from '../model/resolve';
import { KubeVipValues, KubeVipValuesInput } from '../model/values';
import { Manifest, manifestKey, renderManifests } from '../render/manifests';
import { formatProblem, Severity } from '../validation/problem';
import { validateValues } from '../validation/validate';
import { Announcement } from './announcement';
import { KubeVipImage } from './image';

export interface ClusterFacts {
  readonly apiServerAddresses?: string[];
  /** Plain or with prefix, as `ip addr` shows them: 192.168.1.11/24. */
  readonly nodeAddresses?: string[];
  readonly podCIDRs?: string[];
  readonly serviceCIDRs?: string[];
  readonly kubeRouter?: NonNullable<NonNullable<KubeVipValuesInput['cluster']>['kubeRouter']>;
}

export interface KubeVipProps<I extends KubeVipImage> {
  readonly image: I;
  /** @default Announcement.arp() */
  readonly announce?: Announcement;
  /** Base of every object name and of the lease names. @default kube-vip */
  readonly name?: string;
  /** @default kube-system */
  readonly namespace?: string;
  /** Interface for addresses. @default the default-route interface */
  readonly interface?: string;
  readonly pullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  readonly metrics?: KubeVipValuesInput['metrics'];
  readonly scheduling?: KubeVipValuesInput['scheduling'];
  readonly resources?: Record<string, unknown>;
  readonly extraEnv?: Record<string, unknown>[];
  /** Facts about the cluster that validation checks announced addresses against (P4). */
  readonly cluster?: ClusterFacts;
}

/**
 * One kube-vip deployment: its DaemonSet (or control-plane static pod), ServiceAccount and RBAC.
 * What it does comes from the features added to it: KubeVipControlPlane, KubeVipServicesLB,
 * EgressGateway, LoadBalancerPools. Every feature writes into one config model, rendered by the
 * same code the CLI uses and the Helm chart mirrors.
 */
export class KubeVip<I extends KubeVipImage = KubeVipImage> extends Construct {
  public readonly image: I;
  private readonly inputs: KubeVipValuesInput[] = [];
  private readonly objects = new Map<string, ApiObject>();
  /** Static pods go into a chart of their own: they belong in /etc/kubernetes/manifests, not in kubectl apply. */
  private staticPodChart?: Chart;

  public constructor(scope: Construct, id: string, props: KubeVipProps<I>) {
    super(scope, id);
    this.image = props.image;
    this.addValues({
      // Off until a feature construct (KubeVipControlPlane, KubeVipServicesLB) turns it on.
      controlPlane: { enabled: false },
      services: { enabled: false },
      name: props.name,
      namespace: props.namespace,
      image: {
        variant: props.image.variant,
        tag: props.image.tag,
        [props.image.isIptables() ? 'iptablesRepository' : 'repository']: props.image.repository,
        pullPolicy: props.pullPolicy,
      },
      announce: (props.announce ?? Announcement.arp())._values,
      interface: props.interface,
      metrics: props.metrics,
      scheduling: props.scheduling,
      resources: props.resources,
      extraEnv: props.extraEnv,
      cluster: props.cluster,
    });
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** The config model this deployment renders from. */
  public get values(): KubeVipValues {
    return resolveValues(...this.inputs);
  }

  /**
   * Features call this to switch themselves on. The set of objects only ever grows as
   * features are added; their contents are rendered at synthesis from the final config.
   * @internal
   */
  public addValues(input: KubeVipValuesInput): void {
    this.inputs.push(stripUndefined(input) as KubeVipValuesInput);
    this.materialize();
  }

  private rendered(): Manifest[] {
    const { cluster, staticPods } = renderManifests(this.values);
    return [...cluster, ...staticPods];
  }

  private materialize(): void {
    const { cluster, staticPods } = renderManifests(this.values);
    const all = [...cluster.map((m) => ({ m, scope: this as Construct })), ...staticPods.map((m) => ({ m, scope: this.staticPodScope() }))];
    for (const { m, scope } of all) {
      const key = manifestKey(m);
      let object = this.objects.get(key);
      if (!object) {
        const body: Record<string, unknown> = {};
        for (const field of Object.keys(m).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k))) {
          body[field] = Lazy.any({ produce: () => this.find(key)?.[field] });
        }
        object = new ApiObject(scope, key.replace(/\//g, '-'), {
          apiVersion: m.apiVersion,
          kind: m.kind,
          metadata: { name: m.metadata.name, namespace: m.metadata.namespace },
          ...body,
        });
        this.objects.set(key, object);
      }
      // Labels name the features served, which grow with each feature: refresh them every time.
      for (const [label, value] of Object.entries(m.metadata.labels ?? {})) object.metadata.addLabel(label, value);
    }
  }

  private find(key: string): Manifest | undefined {
    return this.rendered().find((m) => manifestKey(m) === key);
  }

  private staticPodScope(): Construct {
    this.staticPodChart ??= new Chart(Chart.of(this).node.scope as Construct, `${Chart.of(this).node.id}-static-pod`, {
      disableResourceNameHashes: true,
    });
    return this.staticPodChart;
  }

  private validate(): string[] {
    // The type checks a values file gets (patterns, ranges, enums): props reach the model
    // through addValues, so this is where they get them too.
    const typeProblems = this.inputs.flatMap((input) => checkTypes(input));
    if (typeProblems.length > 0) return typeProblems.map(formatProblem);
    const values = this.values;
    const problems = validateValues(values);
    const messages = problems.filter((p) => p.severity === Severity.ERROR).map(formatProblem);
    const rendered = new Set(this.rendered().map(manifestKey));
    for (const key of this.objects.keys()) {
      if (!rendered.has(key)) messages.push(`internal: ${key} was created for an earlier feature set but is no longer rendered`);
    }
    return messages;
  }
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, stripUndefined(v)]),
  );
}
