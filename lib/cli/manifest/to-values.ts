import {
  AnnounceMode,
  ControlPlaneDeployment,
  IMAGES,
  ImageVariant,
  KUBE_VIP_DEFAULTS as KV,
  KUBECONFIG_HOST_PATHS,
} from '../../kube-vip/defaults';
import { CONTROL_PLANE_SCHEDULING } from '../../kube-vip/pod';
import { Severity } from '../../model/problem';
import { parseBgpPeer } from '../bgp-peers';
import { UsageError } from '../errors';
import { kubeVipDefaultsInput, MANIFEST_OWN_DEFAULTS } from '../kube-vip-semantics';
import { LocatedProblem } from '../output';
import { isPathFlag, isRefusedFlag, KUBE_VIP_FLAGS, KubeVipFlag, ManifestKind, OWN_DEFAULT_FLAGS } from './kube-vip-flags';
import { FlagValue, FlagValues } from './read-flags';
import { setPath } from '../../model/plain';

/**
 * kube-vip's flags onto the config model. Where a flag is left out, kube-vip's default applies
 * (a drop-in must not change behaviour silently); the few places where we do differ on purpose
 * are listed by --explain (explain.ts).
 */

export interface MappedFlags {
  /** A values input, as a values file would hold it. */
  readonly input: Record<string, unknown>;
  /** The flag (or env var) a model path came from, for messages. */
  locate(path: string): string | undefined;
  /** Combinations of flags that cannot work, reported with the model's problems. */
  readonly problems: readonly LocatedProblem[];
}

/** The iptables image's repository is the standard one's with this suffix, in any registry. */
const IPTABLES_SUFFIX = IMAGES.iptablesRepository.startsWith(IMAGES.standardRepository)
  ? IMAGES.iptablesRepository.slice(IMAGES.standardRepository.length)
  : '-iptables';

class ValuesBuilder {
  public readonly input = kubeVipDefaultsInput();
  private readonly origins = new Map<string, string>();

  public set(path: string, value: unknown, origin: string): void {
    setPath(this.input, path, value);
    this.origins.set(path, origin);
  }

  /** The origin of the path or of the nearest enclosing path that has one. */
  public locate(path: string): string | undefined {
    for (let p = path; p !== ''; p = p.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
      const origin = this.origins.get(p);
      if (origin) return origin;
      if (!/[.[]/.test(p)) break;
    }
    return undefined;
  }
}

/**
 * `repo`, `repo:tag`, `registry:5000/repo:tag`, or `repo:tag@sha256:...`. A digest names one
 * image, so it keeps the tag (the release the model judges by) and the image it names.
 */
export function parseImage(text: string): { repository: string; tag?: string; digest?: string } | string {
  const [name, digest, ...rest] = text.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const parsed = colon > slash ? { repository: name.slice(0, colon), tag: name.slice(colon + 1) } : { repository: name };
  if (digest === undefined) return parsed;
  if (rest.length > 0 || !/^sha256:[0-9a-f]{64}$/.test(digest)) return `--image ${text}: the digest is not sha256: and 64 hex digits`;
  if (parsed.tag === undefined) {
    return `--image ${text}: give the tag with the digest (repository:tag@digest): the tag says which release the digest is of, which decides what the manifest may use`;
  }
  return { ...parsed, digest };
}

export function mapFlags(kind: ManifestKind, flags: FlagValues): MappedFlags {
  const values = new ValuesBuilder();
  const usageErrors: string[] = [];
  const problems: LocatedProblem[] = [];
  const get = (name: string): FlagValue | undefined => flags.get(name);
  const on = (name: string): boolean => get(name)?.value === true;

  for (const flag of KUBE_VIP_FLAGS) {
    const given = get(flag.name);
    if (!given) continue;
    if (isRefusedFlag(flag) && given.value !== flag.harmless && given.value !== false) usageErrors.push(`${given.origin} ${flag.refused}`);
    if (isPathFlag(flag)) values.set(flag.path, flag.lowerCase ? String(given.value).toLowerCase() : given.value, given.origin);
    if ('only' in flag && flag.only && flag.only !== kind && given.value !== false) usageErrors.push(onlyFor(flag, kind));
  }

  mapMode(values, flags, problems);
  mapAddress(values, flags, usageErrors);
  mapBgpPeers(values, flags, usageErrors);
  mapImage(values, flags, usageErrors);
  mapMetrics(values, flags, usageErrors);

  const controlPlane = get('controlplane');
  if (kind === 'pod') {
    if (!on('controlplane')) {
      usageErrors.push(
        'manifest pod is kube-vip as a kubeadm static pod for the control plane: add --controlplane (for Services alone, use manifest daemonset --services)',
      );
    }
    if (on('services')) {
      usageErrors.push(
        `${get('services')!.origin}: a static pod cannot have the ServiceAccount and RBAC that Services need; leave it out here and run manifest daemonset --services for them`,
      );
    }
    values.set('controlPlane.deployment', ControlPlaneDeployment.STATIC_POD, 'manifest pod');
    const kubeconfig = get('k8sConfigPath');
    if (kubeconfig) {
      const entry = Object.entries(KUBECONFIG_HOST_PATHS).find(([, path]) => path === kubeconfig.value);
      if (entry) values.set('controlPlane.kubeconfig', entry[0], kubeconfig.origin);
      else
        usageErrors.push(
          `${kubeconfig.origin} ${kubeconfig.value}: a static pod mounts ${Object.values(KUBECONFIG_HOST_PATHS).join(' or ')} (the latter for the first node of kubeadm >= 1.29, P5)`,
        );
    }
  } else if (on('taint') && !on('controlplane')) {
    // A control-plane DaemonSet is kept on control-plane nodes anyway; a Services one only on request.
    values.set('scheduling.affinity', structuredClone(CONTROL_PLANE_SCHEDULING.affinity), '--taint');
    values.set('scheduling.tolerations', structuredClone(CONTROL_PLANE_SCHEDULING.tolerations), '--taint');
  }

  // kube-vip's third way for Services, one leader announcing all of them, exists with BGP and the
  // routing table only through --leaderElection (ARP always elects one); the model has per-Service
  // election or none, so say so rather than drop the flag.
  const mode = ['bgp', 'table'].find((m) => on(m));
  const election = get('leaderElection');
  if (mode && on('services') && !on('controlplane') && !on('servicesElection') && election?.value === true) {
    usageErrors.push(
      `${election.origin} with --services and --${mode}: kube-vip would elect one node to announce every Service (lease plndr-svcs-lock), which cdk8s-kube-vip does not model; ` +
        `add --servicesElection for a leader per Service, or leave --leaderElection out to let every node announce (${mode === 'bgp' ? 'ECMP' : 'a route on every node'})`,
    );
  }

  // ARP without leader election lets every node answer for the VIP: the one default we change.
  if (on('controlplane') && on('arp') && !get('leaderElection'))
    values.set('controlPlane.leaderElection.enabled', true, `ARP (${controlPlane!.origin})`);

  // kube-vip's lease timings put the VIP on two nodes when a leader loses the API server: ours,
  // unless a timing flag is given (then the others stay kube-vip's, as it would read them).
  if (OWN_DEFAULT_FLAGS.every((f) => !get(f.name)))
    for (const [path, value] of Object.entries(MANIFEST_OWN_DEFAULTS)) values.set(path, value, 'lease timings (ours, see --explain)');

  if (usageErrors.length > 0) throw new UsageError(usageErrors);
  return { input: values.input, locate: (path) => values.locate(path) ?? flagThatSets(path), problems };
}

/** For a problem with a setting no flag gave: the flag that would set it. */
function flagThatSets(path: string): string | undefined {
  const flag = KUBE_VIP_FLAGS.find(
    (f) => isPathFlag(f) && (path === f.path || path.startsWith(`${f.path}.`) || path.startsWith(`${f.path}[`)),
  );
  if (flag) return `--${flag.name} (not given)`;
  return path.startsWith('announce.bgp.peers') ? '--bgppeers (not given)' : undefined;
}

function onlyFor(flag: KubeVipFlag, kind: ManifestKind): string {
  if (flag.name === 'inCluster')
    return '--inCluster: a static pod cannot use a ServiceAccount (the kubelet refuses it); leave it out for manifest pod';
  return `--${flag.name} applies to manifest daemonset only, not to manifest ${kind}`;
}

function mapMode(values: ValuesBuilder, flags: FlagValues, problems: LocatedProblem[]): void {
  const modes = [
    { flag: 'arp', mode: AnnounceMode.ARP },
    { flag: 'bgp', mode: AnnounceMode.BGP },
    { flag: 'table', mode: AnnounceMode.ROUTING_TABLE },
  ].filter((m) => flags.get(m.flag)?.value === true);
  if (modes.length === 1) {
    values.set('announce.mode', modes[0].mode, flags.get(modes[0].flag)!.origin);
    return;
  }
  const origins = modes.map((m) => flags.get(m.flag)!.origin);
  problems.push({
    rule: 'announce-mode',
    severity: Severity.ERROR,
    path: 'announce.mode',
    value: modes.map((m) => m.mode),
    origin: origins.join(', ') || undefined,
    message:
      modes.length === 0
        ? 'is not chosen: kube-vip exits when no announcement mode is on'
        : 'has several modes on: kube-vip would use one of them without a word',
    fix: 'give exactly one of --arp, --bgp and --table',
  });
}

function mapAddress(values: ValuesBuilder, flags: FlagValues, usageErrors: string[]): void {
  const vip = flags.get('vip');
  if (vip && !flags.get('address')) values.set('controlPlane.address', vip.value, vip.origin);
  const subnet = flags.get('vipSubnet');
  if (
    subnet &&
    !String(subnet.value)
      .split(',')
      .every((p) => ['32', '128'].includes(p.trim()))
  ) {
    usageErrors.push(
      `${subnet.origin} ${subnet.value}: the VIP is announced as one host address (/32 or /128), which kube-vip derives from the address itself; leave --vipSubnet out`,
    );
  }
}

function mapBgpPeers(values: ValuesBuilder, flags: FlagValues, usageErrors: string[]): void {
  const peers: Record<string, unknown>[] = [];
  const listed = flags.get('bgppeers');
  for (const text of (listed?.value as string[] | undefined) ?? []) {
    const peer = parseBgpPeer(text);
    if (typeof peer === 'string') {
      usageErrors.push(`${listed!.origin}: ${peer}`);
    } else if (peer.password) {
      usageErrors.push(
        `${listed!.origin}: "${text}" would write a BGP password in plain text into the manifest; put it in a Secret and name it with --peerPassSecret NAME/KEY`,
      );
    } else {
      peers.push({ ...peer });
    }
  }
  const address = flags.get('peerAddress');
  if (address) {
    const as = flags.get('peerAS');
    const multihop = flags.get('multihop');
    peers.push({ address: address.value, as: as ? as.value : KV.bgpAs, ...(multihop ? { multihop: multihop.value } : {}) });
  }
  const secret = flags.get('peerPassSecret');
  if (secret) {
    const match = /^([^/]+)\/([^/]+)$/.exec(String(secret.value));
    if (!match) usageErrors.push(`--peerPassSecret ${secret.value}: write the Secret's name and key as NAME/KEY`);
    else if (peers.length === 0) usageErrors.push('--peerPassSecret: there is no BGP peer to use it; add --bgppeers or --peerAddress');
    else for (const peer of peers) peer.password = { name: match[1], key: match[2] };
  }
  if (peers.length > 0) {
    const origins = [listed?.origin, address?.origin].filter(Boolean).join(' and ');
    values.set('announce.bgp.peers', peers, origins);
  }
}

function mapImage(values: ValuesBuilder, flags: FlagValues, usageErrors: string[]): void {
  const image = flags.get('image');
  if (!image) return;
  const parsed = parseImage(String(image.value));
  if (typeof parsed === 'string') {
    usageErrors.push(parsed);
    return;
  }
  if (parsed.tag !== undefined) values.set('image.tag', parsed.tag, image.origin);
  if (parsed.repository.endsWith(IPTABLES_SUFFIX)) {
    // Asked for the iptables image by name: kube-vip would run it for everything, and so do we.
    values.set('image.iptablesRepository', parsed.repository, image.origin);
    values.set('image.repository', parsed.repository.slice(0, -IPTABLES_SUFFIX.length), image.origin);
    values.set('image.variant', ImageVariant.IPTABLES, image.origin);
  } else {
    values.set('image.repository', parsed.repository, image.origin);
    values.set('image.iptablesRepository', parsed.repository + IPTABLES_SUFFIX, image.origin);
    // A digest pins the standard image: a feature that needs iptables is then refused, not swapped.
    if (parsed.digest) values.set('image.variant', ImageVariant.STANDARD, image.origin);
  }
  if (parsed.digest) values.set('image.digest', parsed.digest, image.origin);
}

function mapMetrics(values: ValuesBuilder, flags: FlagValues, usageErrors: string[]): void {
  const server = flags.get('prometheusHTTPServer');
  if (!server) return;
  // HOST:PORT as Go's net.Listen takes it: an IPv6 host in brackets, no host = every address.
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]*)):([0-9]+)$/.exec(String(server.value));
  if (!match) {
    usageErrors.push(
      `${server.origin} "${server.value}": write :PORT, or ADDRESS:PORT ([ADDRESS]:PORT for IPv6) to listen on one address of the node`,
    );
    return;
  }
  const host = match[1] ?? match[2];
  // No host (kube-vip's default) takes ours, the node's address; an explicit 0.0.0.0 or :: is kept.
  if (host !== '') values.set('metrics.bindAddress', host, server.origin);
  // manifest renders one workload, so the port serves whichever the model picks for it.
  values.set('metrics.port', Number(match[3]), server.origin);
  values.set('metrics.servicesPort', Number(match[3]), server.origin);
}
