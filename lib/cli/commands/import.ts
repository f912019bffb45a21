import { writeFileSync } from 'fs';
import { KubeVipValuesInput, UNSET_DEFAULTS } from '../../model/values';
import { checkTypes, resolveValues } from '../../model/resolve';
import { errorsIn, formatProblem } from '../../model/problem';
import { validateValues } from '../../validation/validate';
import { OptionSpec, parseArgs, stringOption } from '../args';
import { readCheckInput } from '../check/documents';
import { containerEnv } from '../check/container-env';
import { bgpPeerPasswordEnvName, MANAGED_ENV_NAMES } from '../../kube-vip/env';
import { formatFinding } from '../check/findings';
import { ipamFromConfigMap } from '../check/ipam';
import { deriveValues } from '../check/to-values';
import { isRunningCopy } from '../check/rules';
import { findKubeVipContainers, KubeVipContainer } from '../check/workloads';
import { Command } from '../command';
import { knownEnv } from '../kube-vip-env';
import { ExitCode, InputError, reasonOf, usage } from '../errors';
import { writeOut } from '../output';

import { stringify } from 'yaml';
import { setPath } from '../../model/plain';

/**
 * `import`: an existing kube-vip deployment (kube-vip's generated manifests, the upstream chart's
 * output, a `kubectl get -o yaml` dump) as our values file. It is `check`'s reading of a
 * container (check/to-values.ts: the env table run backwards) written out: kube-vip's meaning of
 * what is left out is kept, lease names included, so that the old and the new deployment elect
 * on the same leases. Settings with no place in the model are reported, not dropped silently.
 */

const OPTIONS: OptionSpec[] = [
  { name: 'output', short: 'o', kind: 'string', valueName: 'FILE', description: 'Write the values file here (default: standard output).' },
  { name: 'help', short: 'h', kind: 'boolean', description: 'This help.' },
];

function one(containers: readonly KubeVipContainer[], paths: readonly string[]): KubeVipContainer {
  if (containers.length === 0) {
    throw new InputError(
      `found no kube-vip in ${paths.join(', ')}: no container whose image is kube-vip or that sets cp_enable or svc_enable`,
    );
  }
  if (containers.length > 1) {
    throw new InputError(
      `found ${containers.length} kube-vip workloads (${containers.map((c) => c.name).join(', ')}): import them one at a time, ` +
        'each as a release of its own, e.g. kubectl -n kube-system get ds NAME -o yaml | cdk8s-kube-vip import -',
    );
  }
  return containers[0];
}

/**
 * Env vars the model does not manage go to extraEnv as the container has them (a value or any
 * valueFrom), so nothing the old deployment set is lost.
 */
function carryUnmanagedEnv(values: Record<string, unknown>, env: readonly Record<string, unknown>[]): string[] {
  const bgpPassword = new RegExp(`^${bgpPeerPasswordEnvName('\\d+')}$`);
  const extraEnv = env
    .filter((e) => typeof e.name === 'string' && !MANAGED_ENV_NAMES.has(e.name) && !bgpPassword.test(e.name))
    .map((e) => ('valueFrom' in e ? { name: e.name, valueFrom: e.valueFrom } : { name: e.name, value: String(e.value ?? '') }));
  if (extraEnv.length > 0) setPath(values, 'extraEnv', extraEnv);
  return extraEnv.map((e) => String(e.name));
}

/** The steps of a switch-over, as measured on real kube-vip (README: delete first, then apply). */
function steps(workload: KubeVipContainer, file: string): string[] {
  // Written to stdout, the values have no file yet: the steps name the one they are saved to.
  const values = file === '-' ? 'values.yaml' : file;
  const review = file === '-' ? 'save the values above as values.yaml and review them' : `review ${values}`;
  const kind = String(workload.object.kind);
  const name = String(workload.object.metadata?.name);
  const ns = workload.namespace;
  if (workload.isPod) {
    return [
      'next steps:',
      `  1. ${review}; render it: cdk8s-kube-vip synth -f ${values} -o manifests/ (the static pod, and a DaemonSet with its RBAC where Services are on)`,
      '  2. on each control-plane node, replace /etc/kubernetes/manifests/kube-vip.yaml with manifests/kube-vip-static-pod.k8s.yaml;',
      '     apply the rest once: kubectl apply -f manifests/kube-vip.k8s.yaml',
      `  3. check: cdk8s-kube-vip check manifests/*.yaml; watch the lease: kubectl -n ${ns} get lease`,
    ];
  }
  return [
    'next steps:',
    `  1. ${review}; render and check it: cdk8s-kube-vip synth -f ${values} > kube-vip.yaml && cdk8s-kube-vip check kube-vip.yaml`,
    `  2. delete the old ${kind} and apply ours at once (never run both: on the leader's node both would act as leader):`,
    `       kubectl -n ${ns} delete ${kind.toLowerCase()} ${name} && kubectl apply -f kube-vip.yaml`,
    `     or, with the chart: kubectl -n ${ns} delete ${kind.toLowerCase()} ${name} && helm install kube-vip ./dist/chart -n ${ns} -f ${values}`,
    `  3. the lease names are kube-vip's own, so the leader after the switch holds the same lease; watch: kubectl -n ${ns} get lease`,
  ];
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length === 0) throw usage('name the files to import, or - for standard input: import FILE...');
  const output = stringOption(args, 'output');
  const input = readCheckInput(args.positionals);
  // A kubectl dump holds the pods a DaemonSet made and a static pod's mirrors: copies, not deployments.
  const found = findKubeVipContainers(input.objects);
  const definitions = found.filter((w) => !isRunningCopy(w));
  const workload = one(definitions.length > 0 ? definitions : found.slice(0, 1), args.positionals);
  const env = containerEnv(workload, input.objects);
  const derived = deriveValues(workload, env.entries, { ipam: ipamFromConfigMap(input.objects) });
  const values = structuredClone(derived.input);
  // Ours keeps its control-plane lease in its own namespace: it goes where kube-vip's lease is.
  const leaseNamespace = env.entries.get(knownEnv('cp_namespace'))?.value;
  const namespace = leaseNamespace && derived.input.controlPlane ? leaseNamespace : workload.namespace;
  if (namespace !== UNSET_DEFAULTS.namespace) setPath(values, 'namespace', namespace);
  const carried = carryUnmanagedEnv(values, workload.container.env ?? []);

  const header = `# Imported by cdk8s-kube-vip import from ${workload.name} (${workload.source}).\n`;
  // Every string quoted: Helm's YAML reader takes `yes`, `on` or `0o17` unquoted for other types.
  const text = header + stringify(values, { version: '1.1', defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  if (output) {
    try {
      writeFileSync(output, text);
    } catch (error) {
      throw new InputError(`-o ${output}: cannot write it: ${reasonOf(error)}`);
    }
  } else writeOut(text);

  // What did not map, and what our toolkit refuses in the deployment as it stands.
  const notMapped = [...env.findings, ...derived.findings].map((f) => `  ${formatFinding(f)}`);
  // The model holds the VIP as one host address; kube-vip's wider mask is not carried over.
  for (const name of [knownEnv('vip_subnet'), knownEnv('vip_cidr')]) {
    const masks = (env.entries.get(name)?.value ?? '').split(',').filter((m) => m !== '' && m !== '32' && m !== '128');
    if (masks.length > 0) {
      notMapped.push(
        `  env ${name}: "${env.entries.get(name)!.value}" is not carried: ours adds the VIP as one host address (/32, /128), as kube-vip derives it without ${name}`,
      );
    }
  }
  const typeProblems = checkTypes(values);
  const problems = typeProblems.length > 0 ? typeProblems : validateValues(resolveValues(values as KubeVipValuesInput));
  const errors = errorsIn(problems);
  const lines = [`imported ${workload.name} (${workload.source})${output ? ` into ${output}` : ''}`];
  if (namespace !== workload.namespace) {
    lines.push(`namespace: ${namespace}, where kube-vip keeps its lease (cp_namespace): ours keeps it in its own namespace`);
  }
  if (carried.length > 0) {
    lines.push(`carried as extraEnv (no model field for them; kube-vip reads them as before): ${carried.join(', ')}`);
  }
  if (notMapped.length > 0) lines.push('not mapped, or mapped with a warning:', ...notMapped);
  if (problems.length > 0) {
    lines.push(
      errors.length > 0 ? 'the deployment as it stands has problems our toolkit refuses; fix them in the values first:' : 'warnings:',
      ...problems.map((p) => `  ${p.severity} [${p.rule}] ${formatProblem(p)}`),
    );
  }
  lines.push(...steps(workload, output ?? '-'));
  process.stderr.write(`${lines.join('\n')}\n`);
  return errors.length > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
}

export const importCommand: Command = {
  help: {
    usage: ['cdk8s-kube-vip import [-o FILE] FILE|- [FILE|-]...'],
    summary: [
      "Reads one existing kube-vip deployment (kube-vip's `manifest daemonset|pod` output, the upstream chart's rendered output, a `kubectl get -o yaml` dump, with the kube-vip-cloud-provider ConfigMap if you have one) and writes our values file for it.",
      "kube-vip's meaning of every setting is kept, lease names included (plndr-cp-lock, plndr-svcs-lock), so the new deployment elects on the old one's leases. Settings the model has no place for are reported with the reason, and the problems our toolkit refuses in the deployment as it stands are listed; then the steps of the switch-over.",
    ],
    options: OPTIONS,
    sections: [
      {
        title: 'Examples',
        lines: [
          '  kubectl -n kube-system get ds kube-vip-ds -o yaml | cdk8s-kube-vip import -o values.yaml -',
          '  cdk8s-kube-vip import /etc/kubernetes/manifests/kube-vip.yaml > values.yaml',
        ],
      },
      {
        title: 'Exit codes',
        lines: ['  0 imported, 1 imported but the deployment has problems to fix first, 2 bad options or input'],
      },
    ],
  },
  run,
};
