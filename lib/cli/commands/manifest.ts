import { parseIp, IpFamily } from '../../net/ip';
import { renderObjects } from '../../render/objects';
import { booleanOption, OptionSpec, parseArgs } from '../args';
import { Command } from '../command';
import { ExitCode, usage } from '../errors';
import { HelpSection, optionRows } from '../help';
import { envForPath, knownEnv } from '../kube-vip-env';
import { explain } from '../manifest/explain';
import {
  envOfFlag,
  helpOfFlag,
  isIgnoredFlag,
  isRefusedFlag,
  KUBE_VIP_FLAGS,
  KubeVipFlag,
  ManifestKind,
  OWN_FLAGS,
} from '../manifest/kube-vip-flags';
import { flagSpecs, readFlags } from '../manifest/read-flags';
import { mapFlags } from '../manifest/to-values';
import { hasErrors, reportProblems, writeErr, writeOut, yamlStream } from '../output';
import { validateMerged } from '../validate';
import { Json } from '../json';

const PREFIX = 'cdk8s-kube-vip manifest';
const KINDS: readonly ManifestKind[] = ['daemonset', 'pod'];

/** The deprecated spelling, on request: `address` becomes `vip_address` plus the host prefix kube-vip then needs. */
function useLegacyVipAddress(objects: Json[]): void {
  const addressEnv = envForPath('controlPlane.address');
  for (const object of objects) {
    const spec = object.kind === 'Pod' ? object.spec : object.spec?.template?.spec;
    for (const container of spec?.containers ?? []) {
      const env: Json[] = container.env ?? [];
      const at = env.findIndex((e) => e.name === addressEnv);
      if (at < 0) continue;
      const prefixes = String(env[at].value)
        .split(',')
        .map((a) => (parseIp(a.trim())?.family === IpFamily.IPV6 ? '128' : '32'));
      env.splice(
        at,
        1,
        { name: knownEnv('vip_address'), value: env[at].value },
        { name: knownEnv('vip_subnet'), value: prefixes.join(',') },
      );
    }
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, flagSpecs());
  const [kind, ...extra] = args.positionals;
  if (kind === 'rbac')
    throw usage('manifest rbac is not needed: manifest daemonset writes the ServiceAccount and the RBAC its features need');
  if (!KINDS.includes(kind as ManifestKind)) {
    throw usage(
      kind === undefined
        ? 'say which manifest: manifest daemonset or manifest pod'
        : `"${kind}" is not a manifest kind; use daemonset or pod`,
    );
  }
  if (extra.length > 0) throw usage(`unexpected argument "${extra[0]}"; kube-vip's settings are flags, e.g. --address 192.168.0.100`);

  const flags = readFlags(args, process.env);
  const mapped = mapFlags(kind as ManifestKind, flags);
  const { values, problems } = validateMerged(mapped.input, mapped.locate);
  const all = [...mapped.problems, ...problems];
  reportProblems(PREFIX, all);
  if (!values || hasErrors(all)) return ExitCode.PROBLEMS;

  const { cluster, staticPods } = renderObjects(values);
  const objects = kind === 'pod' ? staticPods : cluster;
  if (booleanOption(args, 'legacy-vip-address')) useLegacyVipAddress(objects);
  if (booleanOption(args, 'explain')) {
    const decisions = explain(kind as ManifestKind, flags, values);
    writeErr(PREFIX, [
      `explain: ${decisions.length} decision(s) differ from \`kube-vip manifest ${kind}\` with these flags:`,
      ...decisions.map((d) => `explain: ${d.what}: ${d.why}`),
    ]);
  }
  writeOut(yamlStream(objects));
  return ExitCode.OK;
}

function rows(flags: readonly KubeVipFlag[]): string[] {
  const specs: OptionSpec[] = flagSpecs()
    .filter((spec) => flags.some((f) => f.name === spec.name))
    .map((spec) => {
      const flag = flags.find((f) => f.name === spec.name)!;
      const env = envOfFlag(flag);
      return { ...spec, description: `${helpOfFlag(flag)}${env ? ` [env ${env}]` : ''}` };
    });
  return optionRows(specs);
}

function help(): Command['help'] {
  const accepted = KUBE_VIP_FLAGS.filter((f) => !isRefusedFlag(f) && !isIgnoredFlag(f));
  const sections: HelpSection[] = [
    { title: "kube-vip's flags, accepted (env var read when the flag is absent; the flag wins)", lines: rows(accepted) },
    { title: "kube-vip's flags, accepted and without effect", lines: rows(KUBE_VIP_FLAGS.filter(isIgnoredFlag)) },
    { title: "kube-vip's flags, refused with the reason", lines: rows(KUBE_VIP_FLAGS.filter(isRefusedFlag)) },
    {
      title: 'Examples',
      lines: [
        '  cdk8s-kube-vip manifest daemonset --interface eth0 --address 192.168.0.100 --inCluster --taint \\',
        '      --controlplane --services --arp --leaderElection | kubectl apply -f -',
        '  cdk8s-kube-vip manifest pod --address 192.168.0.100 --controlplane --arp --leaderElection \\',
        '      --k8sConfigPath /etc/kubernetes/super-admin.conf > /etc/kubernetes/manifests/kube-vip.yaml',
      ],
    },
    { title: 'Exit codes', lines: ['  0 written, 1 the flags describe a deployment that would fail, 2 a bad or refused flag'] },
  ];
  return {
    usage: ['cdk8s-kube-vip manifest daemonset|pod [kube-vip manifest flags] [--explain]'],
    summary: [
      "Takes the flags of `kube-vip manifest daemonset|pod` and prints a manifest kube-vip runs correctly: the kube-vip-iptables image where a feature needs it (P1, P2), env address rather than the deprecated vip_address, super-admin.conf mounted where kube-vip reads its kubeconfig when --k8sConfigPath names it (P5), every address checked, and none of the upstream generator's known quirks.",
      'A flag left out means what it means to kube-vip, except that ARP mode turns on leader election. daemonset writes the ServiceAccount and RBAC as well; pod writes the static pod only.',
    ],
    options: OWN_FLAGS.map((f) => flagSpecs().find((s) => s.name === f.name)!),
    sections,
  };
}

export const manifestCommand: Command = {
  get help() {
    return help();
  },
  run,
};
