import {
  AnnounceMode,
  ControlPlaneDeployment,
  ImageVariant,
  KUBE_VIP_DEFAULTS as KV,
  KUBECONFIG_HOST_PATHS,
  StaticPodKubeconfig,
} from '../../kube-vip/defaults';
import { ENV_RULES, EnvRule, UNMODELLED_ENV } from '../../kube-vip/env';
import { Cond, isTest, pathsOf } from '../../expr/cond';
import { fieldAt } from '../../model/schema';
import { valuesSchema } from '../../model/values';
import { matches } from '../../net/patterns';
import { Severity } from '../../model/problem';
import { parseGoBool } from '../args';
import { KubeVipBgpPeer, parseBgpPeer, splitBgpPeers } from '../bgp-peers';
import { envForPath, knownEnv } from '../kube-vip-env';
import { kubeVipDefaultsInput } from '../kube-vip-semantics';
import { EnvEntry, listenPort } from './container-env';
import { EnvOrigin, FieldOrigin, Finding } from './findings';

/** A field of the container: plain words, or an env var and the model path it carries. */
type Where = string | { readonly text: string; readonly env: EnvOrigin };
import { IMAGE_NAMES, imageName, imageTag, KubeVipContainer } from './workloads';
import { setPath } from '../../model/plain';

/**
 * A kube-vip container read back into the config model, so that the library's own rules judge
 * an existing deployment. This is the env table (lib/kube-vip/env.ts) run backwards: a switch
 * that reads "true" makes its condition hold, a value goes back to the field it came from.
 */

/** Workload facts (lib/model/workloads.ts) that are one model field each. */
const WORKLOAD_FIELDS: Readonly<Record<string, string>> = {
  controlPlaneLease: 'controlPlane.leaderElection.leaseName',
  servicesLease: 'services.leaseName',
  egressPodCIDR: 'egress.podCIDR',
  egressServiceCIDR: 'egress.serviceCIDR',
};

/** The workload serves the control plane (cp_enable) or Services (svc_enable). */
const WORKLOAD_SWITCHES: Readonly<Record<string, string>> = {
  controlPlane: 'controlPlane.enabled',
  services: 'services.enabled',
};

/** A Service opts into egress with this annotation (kube-vip's pkg/kubevip/annotations.go). */
export const EGRESS_ANNOTATION = 'kube-vip.io/egress';

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

export function deriveValues(
  workload: KubeVipContainer,
  env: ReadonlyMap<string, EnvEntry>,
  context: {
    readonly egressServices?: string;
    readonly ipam?: { readonly input: Record<string, unknown>; readonly origins: Map<string, FieldOrigin> };
  },
): DerivedValues {
  const input = kubeVipDefaultsInput();
  const origins = new Map<string, FieldOrigin>();
  const findings: Finding[] = [];
  const suppressed = new Set<string>();
  const containerField = `container ${workload.container.name}`;
  const at = (where: Where): FieldOrigin => ({
    source: workload.source,
    object: workload.name,
    field: `${containerField}, ${typeof where === 'string' ? where : where.text}`,
    container: workload.container.name,
    ...(typeof where === 'string' ? {} : { env: where.env }),
  });
  const set = (path: string, value: unknown, field: Where) => {
    setPath(input, path, value);
    origins.set(path, at(field));
  };
  const finding = (rule: string, severity: Severity, field: Where, value: unknown, message: string, fix: string) =>
    findings.push({ rule, severity, ...at(field), value, message, fix });

  const envField = (name: string, path?: string): Where => ({
    text: `env ${name}${path ? ` (${path})` : ''}`,
    env: { name, ...(path ? { path } : {}) },
  });
  const bool = (entry: EnvEntry, path?: string): boolean | undefined => {
    const parsed = parseGoBool(entry.value ?? '');
    if (parsed === undefined)
      finding(
        'env-syntax',
        Severity.ERROR,
        envField(entry.name, path),
        entry.value,
        'is not a boolean; kube-vip stops at start-up',
        'write "true" or "false"',
      );
    return parsed;
  };

  // Where each model field's env var is, also when the container does not set it.
  for (const rule of ENV_RULES) {
    const path =
      'path' in rule.from
        ? rule.from.path.startsWith('values.')
          ? rule.from.path.slice(7)
          : WORKLOAD_FIELDS[rule.from.path.slice(9)]
        : undefined;
    if (path) origins.set(path, at(envField(rule.name, path)));
    for (const [fact, field] of Object.entries(WORKLOAD_SWITCHES))
      if (isOnly(rule, `workload.${fact}`)) origins.set(field, at(envField(rule.name, field)));
  }

  const peers: KubeVipBgpPeer[] = [];
  let modes = 0;
  let metrics: { port: number; name: string } | undefined;
  for (const rule of ENV_RULES) {
    const entry = env.get(rule.name);
    if (!entry || entry.value === undefined) continue;
    const from = rule.from;
    if ('literal' in from) {
      const on = bool(entry);
      for (const fact of rule.when ? factsOf(rule.when) : []) {
        origins.set(fact.path, at(envField(rule.name, fact.path)));
        if (on) setPath(input, fact.path, fact.equals);
      }
      for (const [fact, path] of Object.entries(WORKLOAD_SWITCHES)) if (isOnly(rule, `workload.${fact}`) && on) setPath(input, path, true);
      if (on && rule.when && pathsOf(rule.when).includes('values.announce.mode')) modes++;
    } else if ('test' in from) {
      const [fact] = factsOf(from.test);
      const field = fact && fieldAt(valuesSchema, fact.path);
      const on = bool(entry, fact?.path);
      if (fact && field?.kind === 'enum' && on !== undefined) {
        // A two-valued setting: "false" means the other value.
        set(fact.path, on ? fact.equals : field.values.find((v) => v !== fact.equals), envField(rule.name, fact.path));
      }
    } else if ('path' in from) {
      readPath(rule, entry);
    }
  }

  // One workload has one metrics port: the model's for the control plane when it serves it (alone or
  // with Services), else the Services port. Setting both would make the model's static pod and its
  // separate Services DaemonSet collide, where kube-vip's own static pod serves both in one process.
  if (metrics) {
    const path = (input.controlPlane as { enabled?: boolean } | undefined)?.enabled ? 'metrics.port' : 'metrics.servicesPort';
    set(path, metrics.port, envField(metrics.name, path));
  }

  function readPath(rule: EnvRule, entry: EnvEntry): void {
    const source = (rule.from as { path: string }).path;
    const [scope, ...rest] = source.split('.');
    const fact = rest.join('.');
    if (scope === 'workload' && fact === 'bgpPeers') return readPeers(entry);
    if (scope === 'workload' && fact === 'metricsAddress') {
      const port = listenPort(entry.value!);
      if (port !== undefined) metrics = { port, name: rule.name };
      return;
    }
    const path = scope === 'values' ? fact : WORKLOAD_FIELDS[fact];
    if (!path) return;
    const field = fieldAt(valuesSchema, path);
    const text = entry.value!;
    if (field?.kind === 'boolean') {
      const on = bool(entry, path);
      if (on !== undefined) set(path, on, envField(rule.name, path));
    } else if (field?.kind === 'integer') {
      if (/^[+-]?[0-9]+$/.test(text)) set(path, Number(text), envField(rule.name, path));
      else
        finding(
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
      set(path, known ?? text, envField(rule.name, path));
    } else if (path === 'controlPlane.address') {
      readAddress(entry);
    } else {
      set(path, text, envField(rule.name, path));
    }
  }

  function readAddress(entry: EnvEntry): void {
    const text = entry.value!;
    if (matches('ipList', text)) {
      set('controlPlane.address', text, envField(entry.name, 'controlPlane.address'));
      return;
    }
    // kube-vip resolves a DNS name at run time; no address to compare with the cluster's.
    suppressed.add('control-plane-address');
    finding(
      'address-unchecked',
      Severity.WARNING,
      envField(entry.name, 'controlPlane.address'),
      text,
      "is not an IP address, so it could not be checked against the cluster's addresses (P4)",
      'give the VIP as an IP address',
    );
  }

  function readPeers(entry: EnvEntry): void {
    for (const text of splitBgpPeers(entry.value!)) {
      const peer = parseBgpPeer(text);
      if (typeof peer === 'string')
        finding(
          'env-syntax',
          Severity.ERROR,
          envField(entry.name),
          entry.value,
          `has a peer kube-vip cannot parse: ${peer}`,
          'write address:AS[:password[:multihop[:port]]]',
        );
      else peers.push(peer);
    }
  }

  // Env vars no rule of ours sets, whose meaning is a model field all the same.
  const vipAddress = env.get(knownEnv('vip_address'));
  if (vipAddress?.value && !env.get(envForPath('controlPlane.address')!)) {
    readAddress(vipAddress);
    finding(
      'vip-address-deprecated',
      Severity.WARNING,
      envField(vipAddress.name),
      vipAddress.value,
      'is deprecated; since kube-vip v1.2.2 it also needs vip_subnet',
      'rename it to address',
    );
  }
  const peerAddress = env.get(knownEnv('bgp_peeraddress'));
  if (peerAddress?.value) {
    const as = Number(env.get(knownEnv('bgp_peeras'))?.value ?? NaN);
    const multihop = parseGoBool(env.get(knownEnv('bgp_multihop'))?.value ?? '');
    const password = env.get(knownEnv('bgp_peerpass'));
    peers.push({
      address: peerAddress.value,
      as: Number.isInteger(as) ? as : KV.bgpAs, // kube-vip's --peerAS default equals its --localAS default
      ...(multihop !== undefined ? { multihop } : {}),
      ...(password?.value ? { password: password.value } : {}),
      ...(password?.secretKeyRef ? { password: `$(${password.name})` } : {}),
    });
  }
  if (peers.length > 0) {
    set(
      'announce.bgp.peers',
      peers.map((peer, i) => peerValues(peer, i)),
      envField(
        [env.has(knownEnv('bgp_peers')) ? knownEnv('bgp_peers') : '', peerAddress ? peerAddress.name : ''].filter(Boolean).join(' and '),
        'announce.bgp.peers',
      ),
    );
  }
  function peerValues(peer: KubeVipBgpPeer, i: number): Record<string, unknown> {
    const { password, ...rest } = peer;
    if (!password) return rest;
    const reference = /^\$\(([^)]+)\)$/.exec(password)?.[1];
    const secret = reference ? env.get(reference)?.secretKeyRef : undefined;
    if (secret) return { ...rest, password: { ...secret } };
    finding(
      'bgp-password-plaintext',
      Severity.WARNING,
      envField(reference ?? (i < peers.length - 1 || !peerAddress ? knownEnv('bgp_peers') : knownEnv('bgp_peerpass'))),
      '(hidden)',
      'puts a BGP password in the manifest in plain text',
      'keep it in a Secret and pass it with valueFrom.secretKeyRef',
    );
    return rest;
  }

  // Announcement: exactly one mode, or kube-vip exits (WireGuard, which the model lacks, counts too).
  const wireguard = parseGoBool(env.get(UNMODELLED_ENV.wireguard)?.value ?? '') === true;
  if (modes + (wireguard ? 1 : 0) !== 1) {
    suppressed.add('arp-needs-leader-election');
    finding(
      'announce-mode',
      Severity.ERROR,
      'env vip_arp, bgp_enable, vip_routingtable',
      modes,
      modes === 0
        ? 'turn no announcement mode on: kube-vip exits without one'
        : 'turn several announcement modes on: kube-vip uses one of them without a word',
      'set exactly one of them to "true"',
    );
  }
  if (wireguard) setPath(input, 'announce.mode', AnnounceMode.ROUTING_TABLE); // no rule of the model applies to it

  readImage();
  function readImage(): void {
    // The release decides which features need the iptables binaries (lib/kube-vip/releases).
    const tag = imageTag(workload.container.image);
    if (matches('imageTag', tag)) set('image.tag', tag, `image ${workload.container.image}`);
    const name = imageName(workload.container.image);
    const variant =
      name === IMAGE_NAMES.iptables ? ImageVariant.IPTABLES : name === IMAGE_NAMES.standard ? ImageVariant.STANDARD : undefined;
    if (variant) {
      set('image.variant', variant, `image ${workload.container.image}`);
      return;
    }
    // Unknown image: assume it has iptables rather than report what cannot be known.
    setPath(input, 'image.variant', ImageVariant.IPTABLES);
    finding(
      'image-unknown',
      Severity.WARNING,
      'image',
      workload.container.image,
      `is neither ${IMAGE_NAMES.standard} nor ${IMAGE_NAMES.iptables}, so whether it has the iptables binaries masquerade, port security and egress need (P1-P3) was not checked`,
      'use ghcr.io/kube-vip/kube-vip-iptables where those features are on',
    );
  }

  // Egress has no switch in kube-vip: it is on for annotated Services, and its env vars show intent.
  // (Only variables written for egress alone: egress_withnftables serves port security too.)
  const egressEnv = ENV_RULES.filter((r) => r.when && factsOf(r.when).some((f) => f.path === 'egress.enabled')).some((r) =>
    env.has(r.name),
  );
  const egressInUse = egressEnv || context.egressServices !== undefined;
  if (egressInUse) setPath(input, 'egress.enabled', true);
  if (!egressEnv && context.egressServices)
    origins.set('egress.enabled', { source: workload.source, object: context.egressServices, field: `annotation ${EGRESS_ANNOTATION}` });

  const kubeconfigPath = env.get(knownEnv('k8s_config_file'))?.value ?? KUBECONFIG_HOST_PATHS[StaticPodKubeconfig.ADMIN];
  if (workload.isPod) {
    setPath(input, 'controlPlane.deployment', ControlPlaneDeployment.STATIC_POD);
  }

  if (context.ipam) {
    setPath(input, 'ipam', context.ipam.input);
    for (const [path, origin] of context.ipam.origins) origins.set(path, origin);
  }

  return {
    input,
    originOf: (path) => nearestOrigin(origins, path) ?? { source: workload.source, object: workload.name, field: path },
    findings,
    suppressed,
    egressInUse,
    kubeconfigPath,
  };
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
