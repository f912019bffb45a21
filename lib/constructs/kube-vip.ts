import { Distribution } from '../kube-vip/distributions';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkTypes, resolveValues } from '../model/resolve';
import { KubeVipValues, KubeVipValuesInput } from '../model/values';
import { Manifest, manifestKey, Rendered, renderManifests } from '../render/manifests';
import { Ledger, recordStage } from '../render/objects';
import { formatProblem, Problem, Severity } from '../model/problem';
import { collisionsBetween, objectCollisions } from '../validation/deployments';
import { validateValues } from '../validation/validate';
import { Announcement } from './announcement';
import { KubeVipImage } from './image';
import { deepFreeze, toOrdinaryData, withoutEntries } from '../model/plain';

export interface ClusterFacts {
  /** The API servers' own addresses (not the VIP). @default [] */
  readonly apiServerAddresses?: string[];
  /** Node addresses, plain or with their prefix as `ip addr` shows them (192.168.1.11/24). @default [] */
  readonly nodeAddresses?: string[];
  /** Pod CIDRs (one per IP family). @default [] */
  readonly podCIDRs?: string[];
  /** Service CIDRs (one per IP family). @default [] */
  readonly serviceCIDRs?: string[];
  /** kube-proxy's mode and ARP setting (its ConfigMap kube-proxy in kube-system). @default each field's default */
  readonly kubeProxy?: NonNullable<NonNullable<KubeVipValuesInput['cluster']>['kubeProxy']>;
  /** kube-router running as service proxy or BGP speaker. @default each field's default */
  readonly kubeRouter?: NonNullable<NonNullable<KubeVipValuesInput['cluster']>['kubeRouter']>;
}

/**
 * Nodes whose interfaces are named differently from the rest (kube-vip issues 399, 559, 822):
 * the DaemonSet becomes one per group, on the nodes the group's labels pick, sharing the leases.
 */
export interface NodeGroup {
  /** Suffix of its DaemonSet and objects: <name>-<group>. */
  readonly name: string;
  /** Node labels that pick the group's nodes, added to scheduling.nodeSelector. Two groups must give one label different values, so no node is in both. */
  readonly nodeSelector: Record<string, string>;
  /** Its nodes' interface for addresses (vip_interface); empty = the deployment's interface. @default "" */
  readonly interface?: string;
  /** Its nodes' interface for Service addresses (vip_servicesinterface); empty = the Services' interface. @default "" */
  readonly servicesInterface?: string;
}

export interface KubeVipProps<I extends KubeVipImage> {
  /**
   * The kube-vip image: KubeVipImage.standard() or .iptables(), with its release tag. Its type
   * decides which features compile (masquerade, port security and egress need IptablesImage).
   */
  readonly image: I;
  /** How addresses are announced to the network: exactly one mode. @default Announcement.arp() */
  readonly announce?: Announcement;
  /** Base name of every object (DaemonSet, ServiceAccount, RBAC), of the leases and of the nftables instance. Empty = "kube-vip"; in the Helm chart, empty = derived from the release name. @default "" */
  readonly name?: string;
  /** Namespace of kube-vip and of its leases. Empty = "kube-system"; in the Helm chart, empty = the release namespace. @default "" */
  readonly namespace?: string;
  /**
   * The nodes' Kubernetes distribution, which decides where a control-plane kube-vip finds the API server. kubeadm: the static pod reads /etc/kubernetes/admin.conf (or super-admin.conf), a DaemonSet its ServiceAccount. k3s: /etc/rancher/k3s/k3s.yaml, rke2: /etc/rancher/rke2/rke2.yaml, for the static pod and for a DaemonSet that serves the control plane, so it reaches the API server on its node before the Service network and the CNI exist (cluster-admin rights).
   * @default "kubeadm"
   */
  readonly distribution?: Distribution;
  /** Interface addresses go on (vip_interface); empty = the default-route interface. @default "" */
  readonly interface?: string;
  /**
   * Nodes whose interfaces are named differently: one DaemonSet per group, each with its
   * interface, on one set of leases, with its own metrics port (+2 per group) and instance name.
   * Nodes in no group run no kube-vip.
   * @default []
   */
  readonly nodeGroups?: NodeGroup[];
  /** Image pull policy. @default "IfNotPresent" */
  readonly pullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  /** Secrets in the namespace the kubelet pulls the image with (imagePullSecrets), each a name or {name: ...}. Static pods cannot use them. @default [] */
  readonly pullSecrets?: (string | { readonly name: string })[];
  /** The kube-vip pods: each DaemonSet's pod template, and the static pod. @default each field's default */
  readonly pod?: KubeVipValuesInput['pod'];
  /** The DaemonSet's ServiceAccount, which its RBAC is bound to. @default each field's default */
  readonly serviceAccount?: KubeVipValuesInput['serviceAccount'];
  /** How a DaemonSet rolls out a change (DaemonSetUpdateStrategy); empty = RollingUpdate one node at a time, so a VIP always has a holder. @default {} */
  readonly updateStrategy?: Record<string, unknown>;
  /** Prometheus metrics (host network: ports are node ports). @default each field's default */
  readonly metrics?: KubeVipValuesInput['metrics'];
  /**
   * kube-vip's health endpoint (GET /healthz, 1000 above the workload's metrics port) and a
   * liveness probe on it. @default off
   */
  readonly health?: KubeVipValuesInput['health'];
  /** Where the DaemonSet runs. @default each field's default */
  readonly scheduling?: KubeVipValuesInput['scheduling'];
  /** Container resources. No CPU limit: throttling the announcer during a failover delays it. @default { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } } */
  readonly resources?: Record<string, unknown>;
  /** Extra env vars for settings the model does not cover. @default [] */
  readonly extraEnv?: KubeVipValuesInput['extraEnv'];
  /** Facts about the cluster, used only for validation (P4); nothing is rendered from them. @default each field's default */
  readonly cluster?: ClusterFacts;
  /**
   * Which warnings fail synthesis as errors do: true for every one, or the rule ids of some
   * (e.g. ["P2-port-security-nftables"]). The others are emitted once per synthesis as Node
   * process warnings (type KubeVipWarning, code the rule id: on stderr, unless Node runs with
   * --no-warnings) and can be read from `warnings`.
   * @default false
   */
  readonly strict?: boolean | readonly string[];
}

/** The Node process warning type the constructs emit their warnings as. */
export const KUBE_VIP_WARNING = 'KubeVipWarning';

/**
 * One kube-vip deployment: its DaemonSet (or control-plane static pod), ServiceAccount and RBAC.
 * What it does comes from the features added to it: KubeVipControlPlane, KubeVipServicesLB,
 * EgressGateway, LoadBalancerPools. Every feature writes into one config model, rendered by the
 * same code the CLI uses and the Helm chart mirrors.
 */
export class KubeVip<I extends KubeVipImage = KubeVipImage> extends Construct {
  public readonly image: I;
  private readonly inputs: KubeVipValuesInput[] = [];
  /** The objects created so far, in creation order, as features were added. */
  private readonly ledger: Ledger = new Map();
  private readonly objects = new Map<string, ApiObject>();
  /** Each feature's construct, by the values it owns: a top-level section, or a part of one (ipam.cloudProvider). */
  private readonly features = new Map<string, Construct>();
  /** Static pods go into a chart of their own: they belong in /etc/kubernetes/manifests, not in kubectl apply. */
  private staticPodChart?: Chart;
  /**
   * What the inputs resolve and render to, and what validation says of them. cdk8s validates the
   * whole app once per chart it synthesises and every lazy field asks for its object: without
   * this, a fleet of N deployments in one app would render N² times. Cleared by addValues.
   */
  private cached?: Rendering;
  /** What validation last answered, and in which generation of the app's deployments. */
  private validated?: { readonly generation: number; readonly messages: string[] };
  private readonly strict: boolean | readonly string[];

  public constructor(scope: Construct, id: string, props: KubeVipProps<I>) {
    super(scope, id);
    this.image = props.image;
    this.strict = props.strict ?? false;
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
        digest: props.image.digest,
        pullSecrets: props.pullSecrets,
      },
      pod: props.pod,
      serviceAccount: props.serviceAccount,
      updateStrategy: props.updateStrategy,
      announce: (props.announce ?? Announcement.arp())._values,
      distribution: props.distribution,
      interface: props.interface,
      nodeGroups: props.nodeGroups,
      metrics: props.metrics,
      health: props.health,
      scheduling: props.scheduling,
      resources: props.resources,
      extraEnv: props.extraEnv,
      cluster: props.cluster,
    });
    this.node.addValidation({ validate: () => this.validate() });
  }

  /**
   * What validation warns of this deployment as configured so far, each with its rule, field,
   * value, why and fix, as `cdk8s-kube-vip synth` prints them; empty while it has errors.
   */
  public get warnings(): Problem[] {
    return this.validation().warnings.map((p) => ({ ...p }));
  }

  /** The config model this deployment renders from: a copy, since features are what change it. */
  public get values(): KubeVipValues {
    return structuredClone(this.current().values);
  }

  /**
   * Features call this to switch themselves on. The set of objects only ever grows as
   * features are added; their contents are rendered at synthesis from the final config.
   * @internal
   */
  public addValues(input: KubeVipValuesInput, feature?: Construct, owns: readonly string[] = Object.keys(input)): void {
    if (feature) this.claim(owns, feature);
    this.inputs.push(stripUndefined(input) as KubeVipValuesInput);
    this.cached = undefined;
    generation++;
    this.materialize();
  }

  /** One deployment has each feature once: a second would silently replace the first's settings. */
  private claim(owns: readonly string[], feature: Construct): void {
    for (const section of owns) {
      const first = this.features.get(section);
      if (first) {
        const kind = FEATURE_CONSTRUCTS[section] ?? section;
        throw new Error(
          `${feature.node.path}: a second ${kind} on ${this.node.path} (the first is ${first.node.path}); the second would replace ` +
            `the first's settings: remove one, or add it to a KubeVip of its own (with another name)`,
        );
      }
      this.features.set(section, feature);
    }
  }

  private current(): Rendering {
    this.cached ??= renderingOf(this.inputs);
    return this.cached;
  }

  private materialize(): void {
    const { rendered } = this.current();
    for (const entry of recordStage(this.ledger, rendered)) {
      const body: Record<string, unknown> = {};
      for (const field of entry.fields) {
        body[field] = Lazy.any({ produce: () => toOrdinaryData(this.current().manifests.get(entry.key)?.[field]) });
      }
      const object = new ApiObject(entry.staticPod ? this.staticPodScope() : this, entry.key.replace(/\//g, '-'), {
        apiVersion: entry.apiVersion,
        kind: entry.kind,
        metadata: { name: entry.name, namespace: entry.namespace },
        ...body,
      });
      this.objects.set(entry.key, object);
    }
    // Labels name the features served, which grow with each feature: the ledger has them all.
    for (const entry of this.ledger.values()) {
      const { metadata } = this.objects.get(entry.key)!;
      for (const [label, value] of Object.entries(entry.labels)) metadata.addLabel(label, value);
      for (const [key, value] of Object.entries(entry.annotations)) metadata.addAnnotation(key, value);
    }
  }

  private staticPodScope(): Construct {
    this.staticPodChart ??= new Chart(Chart.of(this).node.scope as Construct, `${Chart.of(this).node.id}-static-pod`, {
      disableResourceNameHashes: true,
    });
    return this.staticPodChart;
  }

  /**
   * cdk8s calls this once per chart it synthesises, so a fleet of N deployments calls it N² times:
   * after the first, it answers with its last answer until a deployment changes.
   */
  private validate(): string[] {
    if (this.validated?.generation !== generation) {
      const { errors, warnings } = this.validation();
      const failing = warnings.filter((p) => this.strict === true || (Array.isArray(this.strict) && this.strict.includes(p.rule)));
      this.validated = {
        generation,
        messages: [...errors, ...failing.map((p) => `${formatProblem(p)} (a warning, refused by strict)`), ...this.collisions()],
      };
      // Once per deployment and change: cdk8s validates the whole app once per chart.
      if (errors.length === 0 && failing.length === 0) {
        for (const p of warnings) process.emitWarning(`${this.node.path}: ${formatProblem(p)}`, { type: KUBE_VIP_WARNING, code: p.rule });
      }
    }
    return this.validated.messages;
  }

  private validation(): Validation {
    const state = this.current();
    state.problems ??= this.problems(state);
    return state.problems;
  }

  /** What this deployment and an earlier one in the same chart (one cluster's objects) cannot do side by side. */
  private collisions(): string[] {
    const earlier = Chart.of(this)
      .node.findAll()
      .filter((c): c is KubeVip => c instanceof KubeVip);
    const deployment = (k: KubeVip) => ({
      id: k.node.path,
      values: k.current().values,
      objects: k.current().rendered.cluster.map(manifestKey),
    });
    const self = deployment(this);
    return earlier
      .slice(0, earlier.indexOf(this))
      .map(deployment)
      .flatMap((other) => [...objectCollisions(other, self), ...collisionsBetween(other, self)])
      .map(formatProblem);
  }

  private problems({ values, manifests }: Rendering): Validation {
    // The type checks a values file gets (patterns, ranges, enums): props reach the model
    // through addValues, so this is where they get them too.
    const typeProblems = this.inputs.flatMap((input) => checkTypes(input));
    if (typeProblems.length > 0) return { errors: typeProblems.map(formatProblem), warnings: [] };
    const problems = validateValues(values);
    const errors = problems.filter((p) => p.severity === Severity.ERROR).map(formatProblem);
    for (const key of this.objects.keys()) {
      if (!manifests.has(key)) errors.push(`internal: ${key} was created for an earlier feature set but is no longer rendered`);
    }
    // As checkValues: warnings only of a config without errors.
    return { errors, warnings: errors.length > 0 ? [] : problems.filter((p) => p.severity === Severity.WARNING) };
  }
}

/** Bumped when any deployment changes: validation's answers, collisions included, may change with it. */
let generation = 0;

/** The construct that owns each feature section, for messages (class names do not survive minifiers). */
const FEATURE_CONSTRUCTS: Readonly<Record<string, string>> = {
  controlPlane: 'KubeVipControlPlane',
  services: 'KubeVipServicesLB',
  egress: 'EgressGateway',
  ipam: 'LoadBalancerPools',
  'ipam.cloudProvider': 'KubeVipCloudProvider',
};

/** One set of inputs, resolved and rendered. */
interface Rendering {
  readonly values: KubeVipValues;
  /** The cluster's objects and the static pods, in the renderer's order. */
  readonly rendered: Rendered;
  /** Every object by its key. */
  readonly manifests: ReadonlyMap<string, Manifest>;
  /** Validation's answer about this deployment alone, filled in when first asked. */
  problems?: Validation;
}

/** Error messages, and the warnings of a config without errors. */
interface Validation {
  readonly errors: string[];
  readonly warnings: Problem[];
}

function renderingOf(inputs: readonly KubeVipValuesInput[]): Rendering {
  // Frozen: the values are shared by every reader of this rendering, so none may change them.
  const values = deepFreeze(resolveValues(...inputs));
  const rendered = renderManifests(values);
  return { values, rendered, manifests: new Map([...rendered.cluster, ...rendered.staticPods].map((m) => [manifestKey(m), m])) };
}

function stripUndefined(value: unknown): unknown {
  return withoutEntries(value, (v) => v === undefined);
}
