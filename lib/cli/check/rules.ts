import { NODE_KUBECONFIGS } from '../../kube-vip/distributions';
import { KUBE_VIP_DEFAULTS, KUBE_VIP_KUBECONFIG_PATH, KUBECONFIG_HOST_PATHS, StaticPodKubeconfig } from '../../kube-vip/defaults';
import { GrantScope, RBAC_GRANTS } from '../../kube-vip/rbac';
import { dialsKubeconfigServer, IN_PROCESS_NFTABLES, KUBECONFIG_SERVER_FIRST, releaseAtLeast } from '../../kube-vip/releases';
import { KubeVipValues } from '../../model/values';
import { SECURITY_CONTEXTS } from '../../kube-vip/pod';
import { planWorkloads } from '../../model/workloads';
import { Severity } from '../../model/problem';
import { parseGoBool } from '../args';
import { knownEnv } from '../kube-vip-env';
import { EnvEntry, listenPort } from './container-env';
import { objectName, SourcedObject } from './documents';
import { FieldOrigin, Finding } from './findings';
import { KubeVipContainer } from './workloads';
import { Json } from '../json';

/**
 * Rules only a manifest can break: what the model renders right by construction (RBAC, the
 * kubeconfig mount, the security context) can be wrong in a manifest from elsewhere.
 */

export interface KubeadmFacts {
  /** major, minor */
  readonly version?: readonly [number, number];
  /** The static pods are for nodes that join, not for the one that runs `kubeadm init`. */
  readonly joining: boolean;
}

const SUPER_ADMIN = KUBECONFIG_HOST_PATHS[StaticPodKubeconfig.SUPER_ADMIN];
const ADMIN = KUBECONFIG_HOST_PATHS[StaticPodKubeconfig.ADMIN];

function atLeast129(version: readonly [number, number]): boolean {
  return version[0] > 1 || (version[0] === 1 && version[1] >= 29);
}

/**
 * P5: kubeadm >= 1.29 gives admin.conf its rights only after `kubeadm init`, so the static pod
 * on the first node must use super-admin.conf, which exists on that node only and only since 1.29.
 */
export function kubeconfigFindings(hostPath: string | undefined, where: FieldOrigin, kubeadm: KubeadmFacts): Finding[] {
  const finding = (severity: Severity, message: string, fix: string): Finding[] => [
    { rule: 'P5-static-pod-kubeconfig', severity, ...where, value: hostPath, message, fix },
  ];
  const useSuperAdmin = `for the node that runs kubeadm init, mount ${SUPER_ADMIN} where kube-vip reads its kubeconfig (controlPlane.kubeconfig: superAdmin; manifest pod --k8sConfigPath ${SUPER_ADMIN})`;
  if (hostPath === undefined) {
    return finding(
      Severity.ERROR,
      'is no kubeconfig: the static pod has no ServiceAccount, so kube-vip cannot reach the API server',
      `mount ${ADMIN} (or ${SUPER_ADMIN}, see P5) from the host`,
    );
  }
  // k3s and rke2 write their node kubeconfig with its rights from the start: P5 is kubeadm's.
  if (Object.values(NODE_KUBECONFIGS).includes(hostPath)) return [];
  if (hostPath === SUPER_ADMIN) {
    if (kubeadm.joining)
      return finding(
        Severity.ERROR,
        'exists only on the node that ran kubeadm init; on joining nodes the pod cannot start',
        `mount ${ADMIN} on joining nodes`,
      );
    if (kubeadm.version && !atLeast129(kubeadm.version)) {
      return finding(Severity.ERROR, `does not exist before kubeadm 1.29 (this cluster: ${kubeadm.version.join('.')})`, `mount ${ADMIN}`);
    }
    return [];
  }
  if (kubeadm.joining) return [];
  if (!kubeadm.version) {
    return finding(
      Severity.WARNING,
      'has no rights during kubeadm init on kubeadm >= 1.29, so on the first control-plane node kube-vip cannot hold the VIP the init waits for',
      `${useSuperAdmin}; pass --kubeadm-version (and --kubeadm-join for the other nodes) to check it`,
    );
  }
  if (atLeast129(kubeadm.version)) {
    return finding(
      Severity.ERROR,
      `has no rights during kubeadm init on kubeadm ${kubeadm.version.join('.')}, so on the first control-plane node kube-vip cannot hold the VIP the init waits for`,
      `${useSuperAdmin}; pass --kubeadm-join if these pods are for joining nodes`,
    );
  }
  return [];
}

/** The host file mounted at the container's kubeconfig path, if any. */
export function mountedKubeconfig(workload: KubeVipContainer, containerPath: string): string | undefined {
  const mount = (workload.container.volumeMounts ?? []).find((m: Json) => m?.mountPath === containerPath);
  const volume = mount && (workload.podSpec.volumes ?? []).find((v: Json) => v?.name === mount.name);
  return volume?.hostPath?.path;
}

/** SYS_TIME and privileged beyond need, and the capabilities kube-vip cannot work without. */
export function securityFindings(workload: KubeVipContainer, values: KubeVipValues | undefined): Finding[] {
  const context: Json = workload.container.securityContext ?? {};
  const at = (field: string) => ({
    source: workload.source,
    object: workload.name,
    field: `container ${workload.container.name}, securityContext.${field}`,
  });
  const added: string[] = context.capabilities?.add ?? [];
  const dropped: string[] = context.capabilities?.drop ?? [];
  const findings: Finding[] = [];
  if (added.includes('SYS_TIME')) {
    findings.push({
      rule: 'security-sys-time',
      severity: Severity.WARNING,
      ...at('capabilities.add'),
      value: added,
      message: "includes SYS_TIME, which kube-vip has not needed since v0.4.1; it lets the container set the node's clock",
      fix: 'remove SYS_TIME',
    });
  }
  const needsPrivileged = values ? planWorkloads(values).some((w) => w.privileged) : false;
  if (context.privileged === true && values && !needsPrivileged) {
    findings.push({
      rule: 'security-privileged',
      severity: Severity.WARNING,
      ...at('privileged'),
      value: true,
      message: 'gives the container every device and capability of the node, but only IPVS masquerade forwarding needs that',
      fix: `remove privileged and use ${JSON.stringify(SECURITY_CONTEXTS.unprivileged)}`,
    });
  }
  if (context.privileged !== true && needsPrivileged) {
    findings.push({
      rule: 'security-privileged',
      severity: Severity.ERROR,
      ...at('privileged'),
      value: context.privileged,
      message: 'is off, but IPVS masquerade forwarding needs a privileged container',
      fix: `set ${JSON.stringify(SECURITY_CONTEXTS.privileged)}`,
    });
  }
  if (context.privileged !== true) {
    const missing = SECURITY_CONTEXTS.unprivileged.capabilities.add.filter(
      (cap) => !added.includes(cap) && (cap !== 'NET_RAW' || dropped.includes('ALL') || dropped.includes(cap)),
    );
    if (missing.length > 0) {
      findings.push({
        rule: 'security-capabilities',
        severity: Severity.ERROR,
        ...at('capabilities.add'),
        value: added,
        message: `lacks ${missing.join(' and ')}: kube-vip cannot add the address to the interface or send ARP and BGP packets`,
        fix: `add ${SECURITY_CONTEXTS.unprivileged.capabilities.add.join(' and ')}`,
      });
    }
  }
  return findings;
}

/** The verb on the resource, granted by an RBAC rule (wildcards included). */
function grants(rule: Json, verb: string, resource: string): boolean {
  const has = (list: unknown, item: string) => Array.isArray(list) && (list.includes(item) || list.includes('*'));
  return has(rule.apiGroups, '') && has(rule.resources, resource) && has(rule.verbs, verb);
}

function boundTo(binding: Json, account: string, namespace: string): boolean {
  return (binding.subjects ?? []).some(
    (s: Json) =>
      (s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? binding.metadata?.namespace) === namespace) ||
      (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name === `system:serviceaccounts:${namespace}`)),
  );
}

/**
 * P3: egress CIDR discovery lists pods in kube-system; a kube-vip elsewhere needs a Role there.
 * Only when it has something to discover (a CIDR env var unset): kube-vip skips it otherwise.
 */
export function egressRbacFindings(workload: KubeVipContainer, cidrsComplete: boolean, objects: readonly SourcedObject[]): Finding[] {
  const grant = RBAC_GRANTS.find((g) => g.scope === GrantScope.KUBE_SYSTEM)!;
  const [verb] = grant.verbs;
  const [resource] = grant.resources;
  if (workload.isPod || workload.namespace === 'kube-system' || cidrsComplete) return [];
  const account: string = workload.podSpec.serviceAccountName ?? workload.podSpec.serviceAccount ?? 'default';
  const rbac = objects.map((o) => o.object).filter((o) => String(o.apiVersion).startsWith('rbac.authorization.k8s.io/'));
  const where = { source: workload.source, object: workload.name, field: `serviceAccountName ${account}` };
  const fix = `add a Role in kube-system granting ${verb} on ${resource}, and a RoleBinding of it to ServiceAccount ${workload.namespace}/${account}`;
  if (rbac.length === 0) {
    return [
      {
        rule: 'P3-egress-rbac',
        severity: Severity.WARNING,
        ...where,
        value: account,
        message: `could not be checked for ${verb} ${resource} in kube-system, which it needs (${grant.why}): the input has no RBAC objects`,
        fix: `give check the RBAC objects too; the ServiceAccount needs it unless both egress CIDRs are set`,
      },
    ];
  }
  const role = (kind: string, name: string, namespace?: string) =>
    rbac.find((o) => o.kind === kind && o.metadata?.name === name && (kind === 'ClusterRole' || o.metadata?.namespace === namespace));
  const allows = (r: Json | undefined) => (r?.rules ?? []).some((rule: Json) => grants(rule, verb, resource));
  const allowed = rbac.some((binding) => {
    if (binding.kind === 'ClusterRoleBinding')
      return boundTo(binding, account, workload.namespace) && allows(role('ClusterRole', binding.roleRef?.name));
    if (binding.kind === 'RoleBinding' && binding.metadata?.namespace === 'kube-system') {
      return boundTo(binding, account, workload.namespace) && allows(role(binding.roleRef?.kind, binding.roleRef?.name, 'kube-system'));
    }
    return false;
  });
  if (allowed) return [];
  return [
    {
      rule: 'P3-egress-rbac',
      severity: Severity.ERROR,
      ...where,
      value: account,
      message: `may not ${verb} ${resource} in kube-system, but kube-vip runs in ${workload.namespace} with egress and an egress CIDR unset: ${grant.why}`,
      fix,
    },
  ];
}

/**
 * P2 on kube-vip's nftables path: from IN_PROCESS_NFTABLES.since, port security goes through
 * in-process nftables unless egress_withnftables is "false" (the toolkit's output always writes it); there
 * it does not filter on a node without filter/INPUT and drops every port of the Service on one
 * with it (test/kube-vip/port-security.test.ts). The model cannot express that path, so only a
 * manifest from elsewhere can be on it.
 */
export function portSecurityPathFindings(
  workload: KubeVipContainer,
  values: KubeVipValues | undefined,
  env: ReadonlyMap<string, EnvEntry>,
): Finding[] {
  if (!values?.services.enabled || !values.services.onlyAllowTrafficServicePorts) return [];
  if (!releaseAtLeast(values.image.tag, IN_PROCESS_NFTABLES.since)) return [];
  const nftables = env.get('egress_withnftables')?.value;
  if (nftables !== undefined && parseGoBool(nftables) === false) return [];
  return [
    envFinding(
      workload,
      'P2-port-security-nftables-path',
      'egress_withnftables',
      nftables,
      `leaves port security on kube-vip's nftables path (${values.image.tag} turns it on unless this is "false"): it filters nothing on a node without filter/INPUT and drops every port of the Service on a node with it`,
      'set env egress_withnftables to "false" and run the kube-vip-iptables image',
    ),
  ];
}

/** A static pod on a release that dials its kubeconfig's server (dialsKubeconfigServer) needs kubernetes_addr. */
export function staticPodApiServerFindings(
  workload: KubeVipContainer,
  values: KubeVipValues | undefined,
  env: ReadonlyMap<string, EnvEntry>,
): Finding[] {
  if (!workload.isPod || !values?.controlPlane.enabled || env.get('kubernetes_addr')?.value) return [];
  const path = env.get('k8s_config_file')?.value ?? KUBE_VIP_KUBECONFIG_PATH;
  if (!dialsKubeconfigServer(values.image.tag, path)) return [];
  return [
    envFinding(
      workload,
      'static-pod-api-server',
      'kubernetes_addr',
      undefined,
      `is unset, so kube-vip ${values.image.tag} dials the server its kubeconfig at ${path} names; kubeadm's names the VIP, which this pod has not put up yet, so no VIP ever comes up (${KUBECONFIG_SERVER_FIRST.since}, and later releases for a kubeconfig elsewhere than ${KUBE_VIP_KUBECONFIG_PATH})`,
      `set env kubernetes_addr to "kubernetes:${values.controlPlane.port}" (the pod's host alias for its node's API server)`,
    ),
  ];
}

/** An error about one env var of a container. */
function envFinding(workload: KubeVipContainer, rule: string, env: string, value: unknown, message: string, fix: string): Finding {
  return {
    rule,
    severity: Severity.ERROR,
    source: workload.source,
    object: workload.name,
    field: `container ${workload.container.name}, env ${env}`,
    value,
    message,
    fix,
  };
}

/** The TCP port kube-vip's metrics server listens on in the host network, or undefined when it is off. */
function metricsPortOf(workload: KubeVipContainer, env: ReadonlyMap<string, EnvEntry>): { port: number; declared: boolean } | undefined {
  const address = env.get(knownEnv('prometheus_server'))?.value ?? `:${KUBE_VIP_DEFAULTS.metricsPort}`;
  const port = listenPort(address);
  if (port === undefined) return undefined;
  const ports: Json[] = workload.container.ports ?? [];
  return { port, declared: ports.some((p) => p.containerPort === port || p.hostPort === port) };
}

/** Whether two workloads can have a pod on one node: not when bound to different nodes or selectors disagree (affinity aside). */
function mayShareNodes(a: KubeVipContainer, b: KubeVipContainer): boolean {
  if (a.podSpec.nodeName && b.podSpec.nodeName && a.podSpec.nodeName !== b.podSpec.nodeName) return false;
  const [sa, sb]: Record<string, string>[] = [a.podSpec.nodeSelector ?? {}, b.podSpec.nodeSelector ?? {}];
  return Object.keys(sa).every((key) => !(key in sb) || sa[key] === sb[key]);
}

/**
 * A running copy of a definition rather than a deployment of its own: a pod some controller made
 * (ownerReferences) or the API server's mirror of a static pod. Compared among themselves only when
 * the input has no definitions, as a `kubectl get pods` dump, where each is bound to its node.
 */
export function isRunningCopy(workload: KubeVipContainer): boolean {
  const metadata: Json = workload.object.metadata ?? {};
  return workload.isPod && ((metadata.ownerReferences ?? []).length > 0 || 'kubernetes.io/config.mirror' in (metadata.annotations ?? {}));
}

/**
 * One entry per deployment: definitions rather than their running copies (compared among
 * themselves only when the input has no definitions, as a `kubectl get pods` dump), and the same
 * object read from two files once, since the API server holds one per name.
 */
function deploymentsOf<W extends { workload: KubeVipContainer }>(workloads: readonly W[]): W[] {
  const definitions = workloads.filter((w) => !isRunningCopy(w.workload));
  const judged = definitions.length > 0 ? definitions : workloads;
  const key = (w: KubeVipContainer) => `${w.object.kind}/${w.namespace}/${w.object.metadata?.name}/${w.container.name}`;
  return judged.filter((w, i) => judged.findIndex((v) => key(v.workload) === key(w.workload)) === i);
}

/** Env vars that differ between the node groups of one deployment (values.nodeGroups) by design. */
const PER_GROUP_ENV = new Set(['vip_interface', 'vip_servicesinterface', 'prometheus_server', 'instance_name'].map(knownEnv));

/**
 * The leases a kube-vip elects on, as `namespace/name`: the control plane's (ARP elects even
 * without vip_leaderelection on v1.2.x), and the one lease for all Services when per-Service
 * election is off in ARP and routing-table modes (pkg/manager/worker: GlobalLeader). The
 * Services lease is in the pod's own namespace (pkg/lease NamespaceName reads the ServiceAccount's).
 */
function leasesOf(workload: KubeVipContainer, env: ReadonlyMap<string, EnvEntry>): string[] {
  const on = (name: string) => parseGoBool(env.get(knownEnv(name))?.value ?? '') === true;
  const text = (name: string) => env.get(knownEnv(name))?.value || undefined;
  const cpNamespace = text('cp_namespace') ?? KUBE_VIP_DEFAULTS.leaseNamespace;
  const leases: string[] = [];
  if (on('cp_enable') && (on('vip_leaderelection') || on('vip_arp'))) {
    leases.push(`${cpNamespace}/${text('vip_leasename') ?? KUBE_VIP_DEFAULTS.controlPlaneLeaseName}`);
  }
  if (on('svc_enable') && !on('svc_election') && (on('vip_arp') || on('vip_routingtable'))) {
    leases.push(`${workload.isPod ? cpNamespace : workload.namespace}/${text('svc_leasename') ?? KUBE_VIP_DEFAULTS.servicesLeaseName}`);
  }
  return leases;
}

/** The first env var, other than the per-group ones, whose value two containers set differently. */
function firstDifference(
  a: ReadonlyMap<string, EnvEntry>,
  b: ReadonlyMap<string, EnvEntry>,
): { name: string; a: string; b: string } | undefined {
  const show = (e: EnvEntry | undefined) =>
    e === undefined ? '(unset)' : e.value !== undefined ? JSON.stringify(e.value) : JSON.stringify(e.secretKeyRef ?? e.fieldRef ?? null);
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((n) => !PER_GROUP_ENV.has(n)).sort();
  const name = names.find((n) => show(a.get(n)) !== show(b.get(n)));
  return name === undefined ? undefined : { name, a: show(a.get(name)), b: show(b.get(name)) };
}

/**
 * kube-vips in the input that elect on one lease. Where they can run on one node, both elect with
 * that node's name as their identity, so both believe they lead and both announce. Where they
 * cannot (node groups: selectors that exclude each other), they must agree on everything but
 * their interfaces, metrics port and instance name, or what is announced depends on who leads.
 */
export function leaseFindings(workloads: readonly { workload: KubeVipContainer; env: ReadonlyMap<string, EnvEntry> }[]): Finding[] {
  const findings: Finding[] = [];
  const distinct = deploymentsOf(workloads);
  const seen: { workload: KubeVipContainer; env: ReadonlyMap<string, EnvEntry>; lease: string }[] = [];
  for (const { workload, env } of distinct) {
    for (const lease of leasesOf(workload, env)) {
      const at = {
        source: workload.source,
        object: workload.name,
        field: `container ${workload.container.name}, lease ${lease}`,
        value: lease,
      };
      for (const first of seen.filter((s) => s.lease === lease)) {
        const other = `${first.workload.name} (${first.workload.source})`;
        if (mayShareNodes(first.workload, workload)) {
          findings.push({
            rule: 'lease-shared-node',
            severity: Severity.ERROR,
            ...at,
            message: `is also the lease of ${other}, and both can run on one node: there both elect with the node's name as their identity, so both believe they lead and both announce, and stopping one (a switch-over) can leave the address on two nodes until the lease runs out`,
            fix: 'run one of them per node: remove the old deployment before the new one starts, or give them node selectors with one label of different values (node groups), or a lease each',
          });
          continue;
        }
        const difference = firstDifference(first.env, env);
        if (difference) {
          findings.push({
            rule: 'lease-shared-config',
            severity: Severity.ERROR,
            ...at,
            message: `is also the lease of ${other}, on other nodes, but they differ in env ${difference.name} (${difference.b} here, ${difference.a} there): what is announced depends on which of them leads`,
            fix: 'give node groups of one deployment the same settings except their interfaces (nodeGroups does), or give each deployment a lease of its own',
          });
        }
      }
      seen.push({ workload, env, lease });
    }
  }
  return findings;
}

/**
 * Two kube-vips in the input on one host port (both run in the host network): where both declare
 * it, the scheduler never places the second on a node the first runs on; otherwise the second's
 * metrics server cannot bind (kube-vip logs the error and runs on without metrics).
 */
export function hostPortFindings(workloads: readonly { workload: KubeVipContainer; env: ReadonlyMap<string, EnvEntry> }[]): Finding[] {
  const findings: Finding[] = [];
  const seen: { workload: KubeVipContainer; port: number; declared: boolean }[] = [];
  const distinct = deploymentsOf(workloads);
  for (const { workload, env } of distinct) {
    if (workload.podSpec.hostNetwork !== true) continue;
    const metrics = metricsPortOf(workload, env);
    if (!metrics) continue;
    const first = seen.find((s) => s.port === metrics.port && mayShareNodes(s.workload, workload));
    if (first) {
      const scheduled = first.declared && metrics.declared;
      findings.push({
        rule: 'port-collision',
        severity: scheduled ? Severity.ERROR : Severity.WARNING,
        source: workload.source,
        object: workload.name,
        field: `container ${workload.container.name}, metrics port (env ${knownEnv('prometheus_server')})`,
        value: metrics.port,
        message: `is also the metrics port of ${first.workload.name} (${first.workload.source}), and both run in the host network on nodes they can share: ${
          scheduled
            ? 'the scheduler never places both on one node, so one of them is missing there'
            : 'the second to start cannot bind it there and runs without metrics'
        }`,
        fix: 'give each kube-vip deployment its own metrics port (metrics.port / metrics.servicesPort, or prometheus_server), or node selectors that keep them apart',
      });
    }
    seen.push({ workload, ...metrics });
  }
  return findings;
}

/** The fields the API server fills in, which say nothing of what an object is. */
const SERVER_FIELDS = new Set(['status', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']);

/** An object as text with its keys sorted and the server's own fields left out, to compare two. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const map = value as Json;
    const keys = Object.keys(map)
      .filter((k) => !SERVER_FIELDS.has(k))
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(map[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Two manifests of one kind, namespace and name with different contents (two deployments of one
 * name, in two files or one): applied together, one of each is kept, so one deployment runs with
 * the other's objects or not at all. The same object given twice is no problem, and objects read
 * from a cluster (`kubectl get`, with a uid) are left out: the API server's defaults make them
 * differ from the files they were applied from.
 */
export function objectNameFindings(objects: readonly SourcedObject[]): Finding[] {
  const findings: Finding[] = [];
  const first = new Map<string, { source: string; text: string }>();
  for (const { source, object } of objects) {
    if (object.metadata?.uid !== undefined) continue;
    const key = `${object.apiVersion?.split('/')[0] ?? ''}/${objectName(object)}`;
    const text = canonical(object);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, { source, text });
    } else if (earlier.text !== text) {
      findings.push({
        rule: 'object-name-collision',
        severity: Severity.ERROR,
        source,
        object: objectName(object),
        field: 'metadata.name',
        value: object.metadata?.name,
        message: `is also the name of a ${object.kind} with other contents in ${earlier.source}: applied together, one object of each name is kept, so one deployment runs with the other's objects, or not at all`,
        fix: 'give one of the deployments another name (name in values, or the KubeVip prop), or check the files of different clusters apart',
      });
    }
  }
  return findings;
}
