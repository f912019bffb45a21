import { KUBECONFIG_HOST_PATHS, StaticPodKubeconfig } from '../../kube-vip/defaults';
import { IPTABLES_NEEDS } from '../../kube-vip/iptables';
import { checkTypes, mergeValues, resolveValues } from '../../model/resolve';
import { KubeVipValues } from '../../model/values';
import { validateValues } from '../../validation/validate';
import { formatProblem, Problem } from '../../model/problem';
import { booleanOption, listOption, OptionSpec, parseArgs, parseGoBool, stringOption } from '../args';
import { objectName, readCheckInput, SourcedObject } from '../check/documents';
import { ContainerEnv, containerEnv } from '../check/container-env';
import { countBySeverity, dedupe, FieldOrigin, fieldInContainer, Finding, formatFinding } from '../check/findings';
import { ipamFromConfigMap } from '../check/ipam';
import { kubeProxyFromConfigMap } from '../check/kube-proxy';
import {
  egressRbacFindings,
  hostPortFindings,
  objectNameFindings,
  KubeadmFacts,
  leaseFindings,
  kubeconfigFindings,
  mountedKubeconfig,
  portSecurityPathFindings,
  securityFindings,
  staticPodApiServerFindings,
} from '../check/rules';
import { deriveValues, EGRESS_ANNOTATION } from '../check/to-values';
import { findKubeVipContainers, IMAGE_NAMES, KubeVipContainer } from '../check/workloads';
import { Command } from '../command';
import { ExitCode, InputError, usage } from '../errors';
import { knownEnv } from '../kube-vip-env';
import { writeOut } from '../output';
import { mergeSources, originOf, typeProblemsOf, ValuesSource } from '../values-sources';

const FORMATS = ['text', 'json'] as const;

/** Cluster facts by flag; the same facts a values file's `cluster:` section holds. */
const FACT_FLAGS = [
  { name: 'api-server-address', path: 'apiServerAddresses', valueName: 'IP' },
  { name: 'node-address', path: 'nodeAddresses', valueName: 'IP[/PREFIX]' },
  { name: 'pod-cidr', path: 'podCIDRs', valueName: 'CIDR' },
  { name: 'service-cidr', path: 'serviceCIDRs', valueName: 'CIDR' },
] as const;

const OPTIONS: OptionSpec[] = [
  { name: 'output', short: 'o', kind: 'string', valueName: 'FORMAT', description: 'text (the default) or json.' },
  ...FACT_FLAGS.map((f) => ({
    name: f.name,
    kind: 'list' as const,
    valueName: f.valueName,
    description: `Cluster fact for the address checks (P4), repeatable or comma separated: cluster.${f.path}.`,
  })),
  {
    name: 'kubeadm-version',
    kind: 'string',
    valueName: 'VERSION',
    description: 'The kubeadm version of the cluster, e.g. v1.30.2, for the static-pod kubeconfig check (P5).',
  },
  {
    name: 'kubeadm-join',
    kind: 'boolean',
    description: 'The static pods are for control-plane nodes that join, not for the one that runs kubeadm init (P5).',
  },
  { name: 'help', short: 'h', kind: 'boolean', description: 'This help.' },
];

/** Rules of the model that say nothing about a manifest from elsewhere. */
const MODEL_ONLY_RULES = new Set(['name-length', 'extra-env', 'extra-env-managed', 'P5-kubeconfig-static-pod-only']);

function parseKubeadmVersion(text: string | undefined): KubeadmFacts['version'] {
  if (text === undefined) return undefined;
  const match = /^v?([0-9]+)\.([0-9]+)(\.[0-9]+)?$/.exec(text);
  if (!match) throw usage(`--kubeadm-version "${text}" is not a version; write e.g. v1.30.2`);
  return [Number(match[1]), Number(match[2])];
}

interface ClusterFacts {
  readonly cluster: Record<string, unknown>;
  originOf(path: string): FieldOrigin | undefined;
  /** Malformed facts of a values file: findings of that file, as synth reports them. */
  readonly findings: readonly Finding[];
}

/**
 * Facts from values files' `cluster:` sections, each flag replacing its list. A malformed flag
 * is a usage error; a malformed fact in a file is a finding of that file, and the files' facts
 * are then left out, so that nothing is judged by them.
 */
function clusterFacts(
  args: ReturnType<typeof parseArgs>,
  sources: readonly ValuesSource[],
  objects: readonly SourcedObject[],
): ClusterFacts {
  const kubeProxy = kubeProxyFromConfigMap(objects);
  const fromFiles = mergeValues(
    (mergeSources(sources).cluster ?? {}) as Record<string, unknown>,
    kubeProxy ? { kubeProxy: kubeProxy.facts } : {},
  );
  const fromFlags: Record<string, string[]> = {};
  for (const flag of FACT_FLAGS) {
    const values = listOption(args, flag.name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length > 0) fromFlags[flag.path] = values;
  }
  const cluster = mergeValues(fromFiles, fromFlags);
  const origin = (path: string): FieldOrigin | undefined => {
    if (kubeProxy && path.startsWith('cluster.kubeProxy')) return kubeProxy.origin;
    const flag = FACT_FLAGS.find((f) => path.startsWith(`cluster.${f.path}`) && fromFlags[f.path]);
    if (flag) return { source: 'command line', object: 'cluster facts', field: `--${flag.name}` };
    const file = originOf(sources, path);
    return file ? { source: file, object: 'values', field: path } : undefined;
  };
  const problems = checkTypes({ cluster });
  const byFlag = problems.filter((p) => origin(p.path)?.source === 'command line');
  if (byFlag.length > 0) throw usage(...byFlag.map((p) => `${origin(p.path)!.field}: ${formatProblem(p)}`));
  if (problems.length > 0) {
    const findings = problems.map((p) =>
      toFinding(p, origin(p.path) ?? { source: sources[0]?.label ?? '(input)', object: 'values', field: p.path }),
    );
    return { cluster: fromFlags, originOf: origin, findings };
  }
  return { cluster, originOf: origin, findings: [] };
}

function toFinding(problem: Problem, origin: FieldOrigin): Finding {
  return { rule: problem.rule, severity: problem.severity, ...origin, value: problem.value, message: problem.message, fix: problem.fix };
}

/**
 * The library's rules on one config. Cluster facts judge addresses only (P4): in a manifest they
 * are not rendered anywhere, so they must not stand in for, say, a missing egress CIDR env var.
 */
function modelFindings(
  input: Record<string, unknown>,
  facts: ClusterFacts,
  locate: (path: string) => FieldOrigin,
  skip: ReadonlySet<string>,
): { values?: KubeVipValues; findings: Finding[] } {
  const types = checkTypes(input);
  if (types.length > 0) return { findings: types.map((p) => toFinding(p, locate(p.path))) };
  const values = resolveValues(input);
  const withFacts = resolveValues(input, { cluster: facts.cluster });
  // Facts judge what they are about: addresses (P4) and the cluster's own settings (cluster.*).
  const problems = [
    ...validateValues(values),
    ...validateValues(withFacts).filter((p) => p.rule.startsWith('P4-') || p.path.startsWith('cluster.')),
  ];
  const findings = problems
    .filter((p) => !skip.has(p.rule))
    .map((p) => toFinding(p, (p.path.startsWith('cluster.') && facts.originOf(p.path)) || locate(p.path)));
  return { values, findings };
}

function checkValuesFiles(sources: readonly ValuesSource[], facts: ClusterFacts, kubeadm: KubeadmFacts): Finding[] {
  const locate = (path: string): FieldOrigin => ({ source: originOf(sources, path) ?? sources[0].label, object: 'values', field: path });
  const types = typeProblemsOf(sources);
  if (types.length > 0) return types.map((p) => toFinding(p, { source: p.origin!, object: 'values', field: p.path }));
  const input = mergeSources(sources);
  const { values, findings } = modelFindings(input, facts, locate, new Set());
  if (values?.controlPlane.enabled && values.controlPlane.deployment === 'staticPod') {
    findings.push(
      ...kubeconfigFindings(
        KUBECONFIG_HOST_PATHS[values.controlPlane.kubeconfig as StaticPodKubeconfig],
        locate('controlPlane.kubeconfig'),
        kubeadm,
      ),
    );
  }
  return findings;
}

/** In a manifest, the fix is a change to the manifest, not to a model field. */
function inManifestTerms(finding: Finding, workload: KubeVipContainer): Finding {
  const need = IPTABLES_NEEDS.find((n) => n.rule === finding.rule);
  if (need) {
    const image = String(workload.container.image);
    const iptables = image.replace(new RegExp(`${IMAGE_NAMES.standard}(?=[:@]|$)`), IMAGE_NAMES.iptables);
    return {
      ...finding,
      object: workload.name,
      field: `container ${workload.container.name}, image`,
      container: workload.container.name,
      env: undefined,
      value: image,
      message: `has no iptables binaries, but ${finding.object === workload.name ? fieldInContainer(finding) : `${finding.object} ${finding.field}`} turns on a feature that needs them on this release (${need.why}): ${need.withoutThem}`,
      fix: `run ${iptables}`,
    };
  }
  const env = finding.env;
  if (!env?.path) return finding;
  if (finding.rule === 'P3-egress-cidrs') return { ...finding, fix: `set env ${env.name} to the cluster's CIDR explicitly` };
  return { ...finding, fix: finding.fix.split(`${env.path}:`).join(`env ${env.name}:`) };
}

function checkContainer(
  workload: KubeVipContainer,
  env: ContainerEnv,
  objects: readonly SourcedObject[],
  facts: ClusterFacts,
  kubeadm: KubeadmFacts,
  ipam: ReturnType<typeof ipamFromConfigMap>,
): Finding[] {
  const egressService = objects.find(
    (o) => o.object.kind === 'Service' && String(o.object.metadata?.annotations?.[EGRESS_ANNOTATION]) === 'true',
  );
  const egressServices = egressService ? objectName(egressService.object) : undefined;
  const derived = deriveValues(workload, env.entries, { egressServices, ipam });
  const skip = new Set([...MODEL_ONLY_RULES, ...derived.suppressed]);
  const { values, findings: model } = modelFindings(derived.input, facts, derived.originOf, skip);
  const findings = model.map((f) => inManifestTerms(f, workload));
  const all = [
    ...env.findings,
    ...derived.findings,
    ...findings,
    ...securityFindings(workload, values),
    ...portSecurityPathFindings(workload, values, env.entries),
    ...staticPodApiServerFindings(workload, values, env.entries),
  ];
  if (values?.controlPlane.enabled && workload.isPod) {
    all.push(
      ...kubeconfigFindings(
        mountedKubeconfig(workload, derived.kubeconfigPath),
        { ...derived.originOf('controlPlane.kubeconfig'), field: `kubeconfig mounted at ${derived.kubeconfigPath}` },
        kubeadm,
      ),
    );
  }
  if (derived.egressInUse && values?.services.enabled) {
    const cidrsComplete = values.egress.podCIDR !== '' && values.egress.serviceCIDR !== '';
    all.push(...egressRbacFindings(workload, cidrsComplete, objects));
  }
  return all;
}

function report(findings: readonly Finding[], checked: readonly string[], format: string): void {
  const { errors, warnings } = countBySeverity(findings);
  if (format === 'json') {
    writeOut(`${JSON.stringify({ checked, errors, warnings, findings }, null, 2)}\n`);
    return;
  }
  const lines = findings.map(formatFinding);
  const summary = findings.length === 0 ? 'no problems found' : `${errors} error(s), ${warnings} warning(s)`;
  lines.push(`${summary} in ${checked.join(', ')}`);
  writeOut(`${lines.join('\n')}\n`);
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const format = stringOption(args, 'output') ?? 'text';
  const errors: string[] = [];
  if (args.positionals.length === 0) errors.push('name the files to check, or - for standard input: check FILE... ');
  if (!(FORMATS as readonly string[]).includes(format)) errors.push(`--output "${format}" is not a format; use ${FORMATS.join(' or ')}`);
  if (errors.length > 0) throw usage(...errors);
  const kubeadm: KubeadmFacts = {
    version: parseKubeadmVersion(stringOption(args, 'kubeadm-version')),
    joining: booleanOption(args, 'kubeadm-join'),
  };

  const input = readCheckInput(args.positionals);
  const facts = clusterFacts(args, input.values, input.objects);
  const containers = findKubeVipContainers(input.objects);
  // A values file with nothing but cluster facts is there to inform the manifest checks.
  const deployment = input.values.some((s) => Object.keys(s.input).some((k) => k !== 'cluster'));
  if (containers.length === 0 && !deployment && facts.findings.length === 0) {
    throw new InputError(
      `found no kube-vip in ${args.positionals.join(', ')}: no container whose image is kube-vip or that sets ${knownEnv('cp_enable')} or ${knownEnv('svc_enable')}, and no values`,
    );
  }

  const findings: Finding[] = [...facts.findings];
  const checked: string[] = [];
  if (deployment) {
    findings.push(...checkValuesFiles(input.values, facts, kubeadm));
    checked.push(`values ${parenthesised(input.values.map((s) => s.label).join(', '))}`);
  }
  // The cloud provider's pools are announced by whichever workloads serve Services: judge them there
  // (or everywhere, when none does, which is then the problem).
  const envs = new Map(containers.map((c) => [c, containerEnv(c, input.objects)]));
  const servesServices = (c: KubeVipContainer) => parseGoBool(envs.get(c)!.entries.get(knownEnv('svc_enable'))?.value ?? '') === true;
  const poolsFor = new Set(containers.filter(servesServices));
  for (const container of containers) {
    const pools = poolsFor.size === 0 || poolsFor.has(container) ? ipamFromConfigMap(input.objects) : undefined;
    findings.push(...checkContainer(container, envs.get(container)!, input.objects, facts, kubeadm, pools));
    checked.push(`${container.name} ${parenthesised(container.source)}`);
  }
  const judged = containers.map((workload) => ({ workload, env: envs.get(workload)!.entries }));
  findings.push(...hostPortFindings(judged), ...leaseFindings(judged), ...objectNameFindings(input.objects));
  const unique = dedupe(findings);
  report(unique, checked, format);
  return countBySeverity(unique).errors > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
}

/** Text in parentheses, once: stdin's label, (stdin), has its own. */
function parenthesised(text: string): string {
  return /^\(.*\)$/.test(text) ? text : `(${text})`;
}

export const checkCommand: Command = {
  help: {
    usage: ['cdk8s-kube-vip check [options] FILE|- [FILE|-]...'],
    summary: [
      "Reads existing kube-vip manifests (from kube-vip's own generator, the upstream Helm chart, `helm template`, `kubectl get -o yaml`, or cdk8s-kube-vip) and values files, and reports every problem it can see of P1-P5: the standard image with masquerade, port security or egress (P1-P3); egress without its CIDRs, or outside kube-system without `list pods` there (P3); announced addresses on API-server or node addresses or in the pod and Service CIDRs (P4, given the cluster's facts); a static pod without super-admin.conf on the first node of kubeadm >= 1.29 (P5); SYS_TIME or privileged without need.",
      'Each finding names its rule, severity, file, object and field, and the fix. Give the RBAC objects, Services and the kube-vip-cloud-provider ConfigMap in the same input to have them checked too.',
    ],
    options: OPTIONS,
    sections: [
      {
        title: 'Examples',
        lines: [
          '  kubectl get ds,role,rolebinding,clusterrole,clusterrolebinding -A -o yaml | cdk8s-kube-vip check -',
          '  cdk8s-kube-vip check /etc/kubernetes/manifests/kube-vip.yaml --kubeadm-version v1.30.2 \\',
          '      --node-address 192.168.0.11/24 --pod-cidr 10.244.0.0/16 --service-cidr 10.96.0.0/12',
          '  helm template kube-vip kube-vip/kube-vip -f my-values.yaml | cdk8s-kube-vip check --output json -',
        ],
      },
      {
        title: 'Exit codes',
        lines: ['  0 no errors (warnings may be reported), 1 errors found, 2 bad options or input that cannot be used'],
      },
    ],
  },
  run,
};
