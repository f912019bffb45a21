import { renderObjects } from '../../render/objects';
import { booleanOption, listOption, OptionSpec, parseArgs, stringOption } from '../args';
import { Command } from '../command';
import { ExitCode, usage } from '../errors';
import { hasErrors, reportProblems, writeErr, writeOut, yamlStream } from '../output';
import { synthesizeToDirectory } from '../synthesize';
import { validateMerged } from '../validate';
import { mergeSources, originOf, readValuesFile, setSource, typeProblemsOf, ValuesSource } from '../values-sources';

const PREFIX = 'cdk8s-kube-vip synth';

const OUTPUT_PARTS = ['cluster', 'static-pods'] as const;

const OPTIONS: OptionSpec[] = [
  {
    name: 'values',
    short: 'f',
    kind: 'list',
    valueName: 'FILE',
    description:
      'A values file (`-` for standard input). Several merge left to right, as with Helm: maps key by key, lists and scalars replaced.',
  },
  {
    name: 'set',
    kind: 'list',
    valueName: 'KEY=VALUE',
    description:
      'Set a value, Helm syntax (a.b=c,d[0].e=f, lists as {x,y}); true/false/null and whole numbers are typed. Wins over the files.',
  },
  { name: 'set-string', kind: 'list', valueName: 'KEY=VALUE', description: 'Like --set, but every value stays a string.' },
  {
    name: 'output-dir',
    short: 'o',
    kind: 'string',
    valueName: 'DIR',
    description:
      'Write <name>.k8s.yaml (for kubectl apply) and, for a static pod, <name>-static-pod.k8s.yaml into DIR, as `cdk8s synth` does.',
  },
  {
    name: 'stdout',
    kind: 'boolean',
    description:
      'Write the objects for the API server to standard output, for kubectl apply (the default). A static pod never goes there unasked: see --only.',
  },
  {
    name: 'only',
    kind: 'string',
    valueName: 'PART',
    description: `The part for standard output: cluster (the objects for the API server, the default) or static-pods (the pod for /etc/kubernetes/manifests).`,
  },
  { name: 'help', short: 'h', kind: 'boolean', description: 'This help.' },
];

const STATIC_POD_NOTE = '# Static pod: copy it to /etc/kubernetes/manifests on the control-plane nodes; never kubectl apply it.\n';

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length > 0)
    throw usage(`synth takes no arguments, but got ${args.positionals.map((p) => `"${p}"`).join(' ')}; name values files with -f FILE`);
  const outputDir = stringOption(args, 'output-dir');
  const only = stringOption(args, 'only');
  const errors: string[] = [];
  if (outputDir !== undefined && booleanOption(args, 'stdout'))
    errors.push('-o/--output-dir and --stdout both choose the output; give one');
  if (only !== undefined && !(OUTPUT_PARTS as readonly string[]).includes(only))
    errors.push(`--only "${only}" is not a part; use ${OUTPUT_PARTS.join(' or ')}`);
  if (only !== undefined && outputDir !== undefined)
    errors.push('--only applies to standard output; -o writes each part to a file of its own');
  if (errors.length > 0) throw usage(...errors);

  // --set and --set-string apply in the order given, after every file.
  const sets = args.sequence
    .filter((o) => o.name === 'set' || o.name === 'set-string')
    .map((o) => ({ text: o.value as string, typed: o.name === 'set' }));
  const sources: ValuesSource[] = listOption(args, 'values').map(readValuesFile);
  const setLayer = setSource(sets);
  if (setLayer) sources.push(setLayer);

  const merged = mergeSources(sources);
  const typeProblems = typeProblemsOf(sources);
  const { values, problems } = validateMerged(merged, (path) => originOf(sources, path), typeProblems);
  reportProblems(PREFIX, problems);
  if (!values || hasErrors(problems)) return ExitCode.PROBLEMS;

  if (outputDir !== undefined) {
    const files = synthesizeToDirectory(values, outputDir);
    writeErr(
      PREFIX,
      files.map((f) => `wrote ${outputDir.replace(/\/$/, '')}/${f}`),
    );
    return ExitCode.OK;
  }
  const { cluster, staticPods } = renderObjects(values);
  if (only === 'static-pods') {
    writeOut(staticPods.length > 0 ? STATIC_POD_NOTE + yamlStream(staticPods) : '');
    if (staticPods.length === 0)
      writeErr(PREFIX, ['note: this configuration has no static pod (controlPlane.deployment is not staticPod)']);
    return ExitCode.OK;
  }
  // Standard output is what `kubectl apply -f -` may take: a static pod there would land on an
  // arbitrary node and wait for a kubeconfig that only control-plane nodes have.
  writeOut(yamlStream(cluster));
  if (staticPods.length > 0 && only === undefined) {
    writeErr(PREFIX, [
      'note: the control-plane static pod is not on standard output, which is for kubectl apply; write it with --only static-pods (to /etc/kubernetes/manifests on the control-plane nodes), or both parts with -o DIR',
    ]);
  }
  return ExitCode.OK;
}

export const synthCommand: Command = {
  help: {
    usage: ['cdk8s-kube-vip synth -f values.yaml [-f more.yaml] [--set key=value] [-o DIR | --stdout]'],
    summary: [
      'Renders a kube-vip deployment from values files with the renderer and every check of the library: the same values give the same manifests, byte for byte, as the TypeScript constructs, and the same objects as the Helm chart.',
      'Problems are printed on stderr, all at once, each with the file (or --set) the value came from, the setting, why it is wrong and the fix.',
    ],
    options: OPTIONS,
    sections: [
      {
        title: 'Examples',
        lines: [
          '  cdk8s-kube-vip synth -f values.yaml | kubectl apply -f -',
          '  cdk8s-kube-vip synth -f values.yaml --set controlPlane.address=192.168.0.100 -o manifests/',
          '  cdk8s-kube-vip synth -f values.yaml --only static-pods > /etc/kubernetes/manifests/kube-vip.yaml',
        ],
      },
      {
        title: 'Exit codes',
        lines: ['  0 written (warnings may be printed), 1 the values have errors, 2 bad options or unreadable input'],
      },
    ],
  },
  run,
};
