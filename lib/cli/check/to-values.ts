import {
  AnnounceMode,
  ControlPlaneDeployment,
  ImageVariant,
  KUBE_VIP_DEFAULTS as KV,
  KUBE_VIP_KUBECONFIG_PATH,
  SERVICE_ANNOTATIONS,
} from '../../kube-vip/defaults';
import { ENV_RULES, EnvRule, UNMODELLED_ENV } from '../../kube-vip/env';
import { Cond, isTest, pathsOf } from '../../expr/cond';
import { fieldAt } from '../../model/schema';
import { valuesSchema } from '../../model/values';
import { matches } from '../../net/patterns';
import { Severity } from '../../model/problem';
import { parseGoBool } from '../args';
import { KubeVipBgpPeer, parseBgpPeer, splitBgpPeers } from '../bgp-peers';
import { envForPath, knownEnv, WORKLOAD_FIELDS } from '../kube-vip-env';
import { kubeVipDefaultsInput } from '../kube-vip-semantics';
import { EnvEntry, listenPort } from './container-env';
import { EnvOrigin, FieldOrigin, Finding } from './findings';
import { IMAGE_NAMES, imageName, imageTag, KubeVipContainer } from './workloads';
import { setPath } from '../../model/plain';

/** The pod fields that name the node a pod runs on: a VIP given as one is each node's own address. */
const NODE_IDENTITY_FIELDS = ['spec.nodeName', 'status.hostIP', 'status.podIP'];

/** A field of the container: plain words, or an env var and the model path it carries. */
type Where = string | { readonly text: string; readonly env: EnvOrigin };

/**
 * A kube-vip container read back into the config model, so that the library's own rules judge
 * an existing deployment. This is the env table (lib/kube-vip/env.ts) run backwards: a switch
 * that reads "true" makes its condition hold, a value goes back to the field it came from.
 */

/** The workload serves the control plane (cp_enable) or Services (svc_enable). */
const WORKLOAD_SWITCHES: Readonly<Record<string, string>> = {
  controlPlane: 'controlPlane.enabled',
  services: 'services.enabled',
};

/** A Service opts into egress with this annotation (kube-vip's pkg/kubevip/annotations.go). */
export const EGRESS_ANNOTATION = SERVICE_ANNOTATIONS.egress;

export interface DerivedValues {
  readonly input: Record<string, unknown>;
  /** Where the value at a model path was read, or would be written. */
  originOf(path: string): FieldOrigin;
  readonly findings: readonly Finding[];
  /** Rules that cannot apply to this container (see where they are added). */
  readonly suppressed: ReadonlySet<string>;
  readonly egressInUse: boolean;
  /** The kubeconfig path inside the container. */
  readonly kubeconfigPath: string;
}

/** The `values.` facts a condition asserts when it holds, for conditions made of `all` and leaves. */
function factsOf(cond: Cond): { path: string; equals: unknown }[] {
  if ('all' in cond) return cond.all.flatMap(factsOf);
  if (!isTest(cond)) return [];
  return cond.path.startsWith('values.') ? [{ path: cond.path.slice('values.'.length), equals: cond.equals ?? true }] : [];
}

/** What a container's surroundings add: Services that opt into egress, and the IPAM pools. */
export interface DeriveContext {
  readonly egressServices?: string;
  readonly ipam?: { readonly input: Record<string, unknown>; readonly origins: Map<string, FieldOrigin> };
}

export function deriveValues(workload: KubeVipContainer, env: ReadonlyMap<string, EnvEntry>, context: DeriveContext): DerivedValues {
  const reader = new ContainerReader(workload, env);
  reader.locateEnvFields();
  reader.readEnvRules();
  reader.readMetricsPort();
  reader.readUnmodelledEnv();
  reader.writePeers();
  reader.checkAnnouncement();
  reader.readImage();
  const egressInUse = reader.readEgress(context.egressServices);
  if (workload.isPod) setPath(reader.input, 'controlPlane.deployment', ControlPlaneDeployment.STATIC_POD);
  if (context.ipam) reader.addIpam(context.ipam);
  return {
    input: reader.input,
    originOf: (path) => reader.originOf(path),
    findings: reader.findings,
    suppressed: reader.suppressed,
    egressInUse,
    kubeconfigPath: env.get(knownEnv('k8s_config_file'))?.value ?? KUBE_VIP_KUBECONFIG_PATH,
  };
}

function envField(name: string, path?: string): Where {
  return { text: `env ${name}${path ? ` (${path})` : ''}`, env: { name, ...(path ? { path } : {}) } };
}

/** Reads one container's env back into model values, with where each value came from. */
class ContainerReader {
  public readonly input = kubeVipDefaultsInput();
  public readonly findings: Finding[] = [];
  public readonly suppressed = new Set<string>();
  private readonly origins = new Map<string, FieldOrigin>();
  private readonly peers: KubeVipBgpPeer[] = [];
  /** How many announcement modes the env turns on. */
  private modes = 0;
  private metrics: { port: number; name: string } | undefined;

  public constructor(
    private readonly workload: KubeVipContainer,
    private readonly env: ReadonlyMap<string, EnvEntry>,
  ) {}

  public originOf(path: string): FieldOrigin {
    return nearestOrigin(this.origins, path) ?? { source: this.workload.source, object: this.workload.name, field: path };
  }

  /** Where each model field's env var is, also when the container does not set it. */
  public locateEnvFields(): void {
    for (const rule of ENV_RULES) {
      const path =
        'path' in rule.from
          ? rule.from.path.startsWith('values.')
            ? rule.from.path.slice(7)
            : WORKLOAD_FIELDS[rule.from.path.slice(9)]
          : undefined;
      if (path) this.origins.set(path, this.at(envField(rule.name, path)));
      for (const [fact, field] of Object.entries(WORKLOAD_SWITCHES))
        if (isOnly(rule, `workload.${fact}`)) this.origins.set(field, this.at(envField(rule.name, field)));
    }
  }

  /** The env table run backwards: switches make their conditions hold, values go back to their fields. */
  public readEnvRules(): void {
    for (const rule of ENV_RULES) {
      const entry = this.env.get(rule.name);
      if (!entry || entry.value === undefined) continue;
      const from = rule.from;
      if ('literal' in from) this.readSwitch(rule, entry);
      else if ('test' in from) this.readTwoValued(rule, from.test, entry);
      else if ('path' in from) this.readPath(rule, from.path, entry);
    }
  }

  /**
   * One workload has one metrics port: the model's for the control plane when it serves it (alone or
   * with Services), else the Services port. Setting both would make the model's static pod and its
   * separate Services DaemonSet collide, where kube-vip's own static pod serves both in one process.
   */
  public readMetricsPort(): void {
    if (!this.metrics) return;
    const path = (this.input.controlPlane as { enabled?: boolean } | undefined)?.enabled ? 'metrics.port' : 'metrics.servicesPort';
    this.set(path, this.metrics.port, envField(this.metrics.name, path));
  }

  /** Env vars no rule of ours sets, whose meaning is a model field all the same. */
  public readUnmodelledEnv(): void {
    const vipAddress = this.env.get(knownEnv('vip_address'));
    if (vipAddress?.value && !this.env.get(envForPath('controlPlane.address')!)) {
      this.readAddress(vipAddress);
      this.finding(
        'vip-address-deprecated',
        Severity.WARNING,
        envField(vipAddress.name),
        vipAddress.value,
        'is deprecated; since kube-vip v1.2.2 it also needs vip_subnet',
        'rename it to address',
      );
    }
    const peerAddress = this.env.get(knownEnv('bgp_peeraddress'));
    if (peerAddress?.value) {
      const as = Number(this.env.get(knownEnv('bgp_peeras'))?.value ?? NaN);
      const multihop = parseGoBool(this.env.get(knownEnv('bgp_multihop'))?.value ?? '');
      const password = this.env.get(knownEnv('bgp_peerpass'));
      this.peers.push({
        address: peerAddress.value,
        as: Number.isInteger(as) ? as : KV.bgpAs, // kube-vip's --peerAS default equals its --localAS default
        ...(multihop !== undefined ? { multihop } : {}),
        ...(password?.value ? { password: password.value } : {}),
        ...(password?.secretKeyRef ? { password: `$(${password.name})` } : {}),
      });
    }
  }

  public writePeers(): void {
    if (this.peers.length === 0) return;
    const names = [knownEnv('bgp_peers'), knownEnv('bgp_peeraddress')].filter((name) => this.env.has(name) && name);
    const peers = this.peers.map((peer, i) => this.peerValues(peer, i));
    this.set('announce.bgp.peers', peers, envField(names.join(' and '), 'announce.bgp.peers'));
  }

  /** Announcement: exactly one mode, or kube-vip exits (WireGuard, which the model lacks, counts too). */
  public checkAnnouncement(): void {
    const wireguard = parseGoBool(this.env.get(UNMODELLED_ENV.wireguard)?.value ?? '') === true;
    if (this.modes + (wireguard ? 1 : 0) !== 1) {
      this.suppressed.add('arp-needs-leader-election');
      this.finding(
        'announce-mode',
        Severity.ERROR,
        'env vip_arp, bgp_enable, vip_routingtable',
        this.modes,
        this.modes === 0
          ? 'turn no announcement mode on: kube-vip exits without one'
          : 'turn several announcement modes on: kube-vip uses one of them without a word',
        'set exactly one of them to "true"',
      );
    }
    if (wireguard) setPath(this.input, 'announce.mode', AnnounceMode.ROUTING_TABLE); // no rule of the model applies to it
  }

  /** The release decides which features need the iptables binaries (lib/kube-vip/releases). */
  public readImage(): void {
    const image = this.workload.container.image;
    const tag = imageTag(image);
    if (matches('imageTag', tag)) this.set('image.tag', tag, `image ${image}`);
    const name = imageName(image);
    const variant =
      name === IMAGE_NAMES.iptables ? ImageVariant.IPTABLES : name === IMAGE_NAMES.standard ? ImageVariant.STANDARD : undefined;
    if (variant) {
      this.set('image.variant', variant, `image ${image}`);
      return;
    }
    // Unknown image: assume it has iptables rather than report what cannot be known.
    setPath(this.input, 'image.variant', ImageVariant.IPTABLES);
    this.finding(
      'image-unknown',
      Severity.WARNING,
      'image',
      image,
      `is neither ${IMAGE_NAMES.standard} nor ${IMAGE_NAMES.iptables}, so whether it has the iptables binaries masquerade, port security and egress need (P1-P3) was not checked`,
      'use ghcr.io/kube-vip/kube-vip-iptables where those features are on',
    );
  }

  /**
   * Egress has no switch in kube-vip: it is on for annotated Services, and its env vars show intent.
   * (Only variables written for egress alone: egress_withnftables serves port security too.)
   */
  public readEgress(egressServices: string | undefined): boolean {
    const egressEnv = ENV_RULES.filter((r) => r.when && factsOf(r.when).some((f) => f.path === 'egress.enabled')).some((r) =>
      this.env.has(r.name),
    );
    const egressInUse = egressEnv || egressServices !== undefined;
    if (egressInUse) setPath(this.input, 'egress.enabled', true);
    if (!egressEnv && egressServices)
      this.origins.set('egress.enabled', {
        source: this.workload.source,
        object: egressServices,
        field: `annotation ${EGRESS_ANNOTATION}`,
      });
    return egressInUse;
  }

  public addIpam(ipam: NonNullable<DeriveContext['ipam']>): void {
    setPath(this.input, 'ipam', ipam.input);
    for (const [path, origin] of ipam.origins) this.origins.set(path, origin);
  }

  private at(where: Where): FieldOrigin {
    return {
      source: this.workload.source,
      object: this.workload.name,
      field: `container ${this.workload.container.name}, ${typeof where === 'string' ? where : where.text}`,
      container: this.workload.container.name,
      ...(typeof where === 'string' ? {} : { env: where.env }),
    };
  }

  private set(path: string, value: unknown, field: Where): void {
    setPath(this.input, path, value);
    this.origins.set(path, this.at(field));
  }

  private finding(rule: string, severity: Severity, field: Where, value: unknown, message: string, fix: string): void {
    this.findings.push({ rule, severity, ...this.at(field), value, message, fix });
  }

  private bool(entry: EnvEntry, path?: string): boolean | undefined {
    const parsed = parseGoBool(entry.value ?? '');
    if (parsed === undefined)
      this.finding(
        'env-syntax',
        Severity.ERROR,
        envField(entry.name, path),
        entry.value,
        'is not a boolean; kube-vip stops at start-up',
        'write "true" or "false"',
      );
    return parsed;
  }

  /** A literal "true" switch (vip_arp, cp_enable): on, its condition holds. */
  private readSwitch(rule: EnvRule, entry: EnvEntry): void {
    const on = this.bool(entry);
    for (const fact of rule.when ? factsOf(rule.when) : []) {
      this.origins.set(fact.path, this.at(envField(rule.name, fact.path)));
      if (on) setPath(this.input, fact.path, fact.equals);
    }
    for (const [fact, path] of Object.entries(WORKLOAD_SWITCHES))
      if (isOnly(rule, `workload.${fact}`) && on) setPath(this.input, path, true);
    if (on && rule.when && pathsOf(rule.when).includes('values.announce.mode')) this.modes++;
  }

  /** A two-valued setting written as a test: "false" means the other value. */
  private readTwoValued(rule: EnvRule, test: Cond, entry: EnvEntry): void {
    const [fact] = factsOf(test);
    const field = fact && fieldAt(valuesSchema, fact.path);
    const on = this.bool(entry, fact?.path);
    if (fact && field?.kind === 'enum' && on !== undefined) {
      this.set(fact.path, on ? fact.equals : field.values.find((v) => v !== fact.equals), envField(rule.name, fact.path));
    }
  }

  private readPath(rule: EnvRule, source: string, entry: EnvEntry): void {
    const [scope, ...rest] = source.split('.');
    const fact = rest.join('.');
    if (scope === 'workload' && fact === 'bgpPeers') return this.readPeers(entry);
    if (scope === 'workload' && fact === 'metricsAddress') {
      const port = listenPort(entry.value!);
      if (port !== undefined) this.metrics = { port, name: rule.name };
      return;
    }
    const path = scope === 'values' ? fact : WORKLOAD_FIELDS[fact];
    if (!path) return;
    const field = fieldAt(valuesSchema, path);
    const text = entry.value!;
    if (field?.kind === 'boolean') {
      const on = this.bool(entry, path);
      if (on !== undefined) this.set(path, on, envField(rule.name, path));
    } else if (field?.kind === 'integer') {
      if (/^[+-]?[0-9]+$/.test(text)) this.set(path, Number(text), envField(rule.name, path));
      else
        this.finding(
          'env-syntax',
          Severity.ERROR,
          envField(rule.name, path),
          text,
          'is not a whole number; kube-vip stops at start-up',
          'write a number',
        );
    } else if (field?.kind === 'enum') {
      // kube-vip matches these case-insensitively.
      const known = field.values.find((v) => v.toLowerCase() === text.toLowerCase());
      this.set(path, known ?? text, envField(rule.name, path));
    } else if (path === 'controlPlane.address') {
      this.readAddress(entry);
    } else {
      this.set(path, text, envField(rule.name, path));
    }
  }

  private readAddress(entry: EnvEntry): void {
    const text = entry.value!;
    if (matches('ipList', text)) {
      this.set('controlPlane.address', text, envField(entry.name, 'controlPlane.address'));
      return;
    }
    // kube-vip resolves a DNS name at run time; no address to compare with the cluster's.
    this.suppressed.add('control-plane-address');
    const own = entry.references?.find((r) => r.fieldRef && NODE_IDENTITY_FIELDS.includes(r.fieldRef));
    if (own && text === `$(${own.name})`) {
      this.finding(
        'address-node-itself',
        Severity.ERROR,
        envField(entry.name, 'controlPlane.address'),
        text,
        `is each node's own ${own.fieldRef} (the kubelet fills in ${own.name}), which kube-vip resolves to that node's address: every node announces itself, and no address is shared (P4)`,
        'give the VIP as an IP address that no node has',
      );
      return;
    }
    const parts = text.split('.');
    if (parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255) && parts.some((p) => /^0[0-9]/.test(p))) {
      this.finding(
        'address-leading-zero',
        Severity.ERROR,
        envField(entry.name, 'controlPlane.address'),
        text,
        "is no IP address to kube-vip: Go's parser refuses a part with a leading zero, so kube-vip looks it up as a host name, and no VIP comes up unless DNS answers for it",
        `write it without leading zeros: ${parts.map((p) => String(Number(p))).join('.')}`,
      );
      return;
    }
    this.finding(
      'address-unchecked',
      Severity.WARNING,
      envField(entry.name, 'controlPlane.address'),
      text,
      "is not an IP address, so it could not be checked against the cluster's addresses (P4)",
      'give the VIP as an IP address',
    );
  }

  private readPeers(entry: EnvEntry): void {
    for (const text of splitBgpPeers(entry.value!)) {
      const peer = parseBgpPeer(text);
      if (typeof peer === 'string')
        this.finding(
          'env-syntax',
          Severity.ERROR,
          envField(entry.name),
          entry.value,
          `has a peer kube-vip cannot parse: ${peer}`,
          'write address:AS[:password[:multihop[:port]]]',
        );
      else this.peers.push(peer);
    }
  }

  /** A peer as model values: a password only as a Secret reference, a plain one reported. */
  private peerValues(peer: KubeVipBgpPeer, i: number): Record<string, unknown> {
    const { password, ...rest } = peer;
    if (!password) return rest;
    const reference = /^\$\(([^)]+)\)$/.exec(password)?.[1];
    const secret = reference ? this.env.get(reference)?.secretKeyRef : undefined;
    if (secret) return { ...rest, password: { ...secret } };
    const fromList = i < this.peers.length - 1 || !this.env.has(knownEnv('bgp_peeraddress'));
    this.finding(
      'bgp-password-plaintext',
      Severity.WARNING,
      envField(reference ?? (fromList ? knownEnv('bgp_peers') : knownEnv('bgp_peerpass'))),
      '(hidden)',
      'puts a BGP password in the manifest in plain text',
      'keep it in a Secret and pass it with valueFrom.secretKeyRef',
    );
    return rest;
  }
}

/** True when the rule is on exactly when the workload fact holds (cp_enable, svc_enable). */
function isOnly(rule: EnvRule, path: string): boolean {
  return rule.when !== undefined && isTest(rule.when) && rule.when.path === path && rule.when.equals === undefined;
}

function nearestOrigin(origins: ReadonlyMap<string, FieldOrigin>, path: string): FieldOrigin | undefined {
  for (let p = path; p !== '';) {
    const origin = origins.get(p);
    if (origin) return origin;
    const shorter = p.replace(/(\.[^.[]*|\[\d+\])$/, '');
    if (shorter === p) break;
    p = shorter;
  }
  return undefined;
}
