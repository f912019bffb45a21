import { writeFileSync } from 'fs';
import { KubeVipValuesInput } from '../../model/values';
import { checkTypes, resolveValues } from '../../model/resolve';
import { errorsIn, formatProblem } from '../../model/problem';
import { validateValues } from '../../validation/validate';
import { OptionSpec, parseArgs, stringOption } from '../args';
import { readCheckInput } from '../check/documents';
import { containerEnv, EnvEntry } from '../check/container-env';
import { bgpPeerPasswordEnvName, MANAGED_ENV_NAMES } from '../../kube-vip/env';
import { formatFinding } from '../check/findings';
import { ipamFromConfigMap } from '../check/ipam';
import { deriveValues } from '../check/to-values';
import { findKubeVipContainers, KubeVipContainer } from '../check/workloads';
import { Command } from '../command';
import { ExitCode, InputError, usage } from '../errors';
import { writeOut, yamlStream } from '../output';
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

const DEFAULT_NAMESPACE = 'kube-system';

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
 * Env vars the model does not manage go to extraEnv, values and references alike, so nothing
 * the old deployment set is lost; only a reference of a form the input reader does not keep
 * (configMapKeyRef, resourceFieldRef) is reported instead.
 */
function carryUnmanagedEnv(
  values: Record<string, unknown>,
  entries: readonly EnvEntry[],
): { extraEnv: string[]; dropped: { name: string; why: string }[] } {
  const extraEnv: Record<string, unknown>[] = [];
  const dropped: { name: string; why: string }[] = [];
  const bgpPassword = new RegExp(`^${bgpPeerPasswordEnvName('\\d+')}$`);
  for (const entry of entries) {
    if (MANAGED_ENV_NAMES.has(entry.name) || bgpPassword.test(entry.name)) continue;
    if (entry.value !== undefined) extraEnv.push({ name: entry.name, value: entry.value });
    else if (entry.secretKeyRef) extraEnv.push({ name: entry.name, valueFrom: { secretKeyRef: entry.secretKeyRef } });
    else if (entry.fieldRef) extraEnv.push({ name: entry.name, valueFrom: { fieldRef: { fieldPath: entry.fieldRef } } });
    else dropped.push({ name: entry.name, why: 'its valueFrom is of a form import does not carry; add it to extraEnv by hand' });
  }
  if (extraEnv.length > 0) setPath(values, 'extraEnv', extraEnv);
  return { extraEnv: extraEnv.map((e) => String(e.name)), dropped };
}

/** The steps of a switch-over, as measured on real kube-vip (README: delete first, then apply). */
function steps(workload: KubeVipContainer, file: string): string[] {
  const [kind, name] = workload.name.split(' ');
  const [namespace, objectName] = name.split('/');
  const values = file === '-' ? 'values.yaml' : file;
  return [
    'next steps:',
    `  1. review ${values}; render and check it: cdk8s-kube-vip synth -f ${values} > kube-vip.yaml && cdk8s-kube-vip check kube-vip.yaml`,
    workload.isPod
      ? `  2. on each control-plane node, replace /etc/kubernetes/manifests/kube-vip.yaml with our static pod (synth -f ${values} --only static-pods)`
      : `  2. delete the old ${kind} and apply ours at once (never run both: on the leader's node both would act as leader):` +
        `\n       kubectl -n ${namespace} delete ${kind.toLowerCase()} ${objectName} && kubectl apply -f kube-vip.yaml` +
        `\n     or, with the chart: kubectl -n ${namespace} delete ${kind.toLowerCase()} ${objectName} && helm install kube-vip ./dist/chart -n ${namespace} -f ${values}`,
    "  3. the lease names are kube-vip's own, so the leader elected after the switch holds the same lease; watch: kubectl -n " +
      `${namespace} get lease`,
  ];
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length === 0) throw usage('name the files to import, or - for standard input: import FILE...');
  const output = stringOption(args, 'output');
  const input = readCheckInput(args.positionals);
  const workload = one(findKubeVipContainers(input.objects), args.positionals);
  const env = containerEnv(workload, input.objects);
  const derived = deriveValues(workload, env.entries, { ipam: ipamFromConfigMap(input.objects) });
  const values = structuredClone(derived.input);
  if (workload.namespace !== DEFAULT_NAMESPACE) setPath(values, 'namespace', workload.namespace);
  const carried = carryUnmanagedEnv(values, [...env.entries.values()]);

  const header = `# Imported by cdk8s-kube-vip import from ${workload.name} (${workload.source}).\n`;
  // YAML 1.1 as Helm reads it: a string such as `yes` or `on` is quoted, so it stays a string.
  const text = header + yamlStream([values]);
  if (output) writeFileSync(output, text);
  else writeOut(text);

  // What did not map, and what our toolkit refuses in the deployment as it stands.
  const notMapped = [...env.findings, ...derived.findings].map((f) => `  ${formatFinding(f)}`);
  const typeProblems = checkTypes(values);
  const problems = typeProblems.length > 0 ? typeProblems : validateValues(resolveValues(values as KubeVipValuesInput));
  const errors = errorsIn(problems);
  const lines = [`imported ${workload.name} (${workload.source})${output ? ` into ${output}` : ''}`];
  if (carried.extraEnv.length > 0) {
    lines.push(`carried as extraEnv (no model field for them; kube-vip reads them as before): ${carried.extraEnv.join(', ')}`);
  }
  notMapped.push(...carried.dropped.map((d) => `  env ${d.name}: ${d.why}`));
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
