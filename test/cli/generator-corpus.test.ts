import { spawnSync } from 'child_process';
import { dialsKubeconfigServer, IN_PROCESS_NFTABLES, releaseAtLeast } from '../../lib/kube-vip/releases';
import { KUBE_VIP_KUBECONFIG_PATH } from '../../lib/kube-vip/defaults';
import { join } from 'path';
import { describeWithTools, KUBE_VIP_RELEASES, KubeVipRelease, TOOLS_BIN } from '../support/tools';
import { cli, ensureCompiled } from './support/cli';
import { COMMON, FLAG_SETS } from './support/generator-flags';

/**
 * `check` on what kube-vip's own generator writes today: `kube-vip manifest pod|daemonset` run
 * by the real binaries of each release the tools script builds, for the flag sets its docs use.
 * Each case must give exactly the problems known to be real (each shown on real kube-vip in
 * test/kube-vip), and no other: a false error here is an error users would see on their
 * unchanged, working deployment.
 */

/** The real problems of a case, as severity:rule, from what real kube-vip showed. */
function expected(release: KubeVipRelease, kind: 'pod' | 'daemonset', flags: readonly string[]): string[] {
  const rules: string[] = [];
  const controlPlane = flags.includes('--controlplane');
  if (kind === 'pod' && controlPlane) {
    // v1.2.2 dials the kubeconfig's server (the VIP, not up yet) unless kubernetes_addr says
    // otherwise; v1.2.3 does again what v1.2.1 did for the default path, the generator's.
    if (dialsKubeconfigServer(release, KUBE_VIP_KUBECONFIG_PATH)) rules.push('error:static-pod-api-server');
    // admin.conf has no rights during kubeadm init >= 1.29; a warning until --kubeadm-version says.
    rules.push('warning:P5-static-pod-kubeconfig');
  }
  if (controlPlane && flags.includes('--leaderElection')) {
    // The generator writes kube-vip's lease timings, 15/10/2: a leader cut off from the API
    // server keeps the VIP while another node takes it (test/kube-vip/faults.test.ts).
    rules.push('warning:lease-two-holders');
  }
  if (flags.includes('masquerade')) {
    // The standard image: no iptables binary before v1.2.2; from v1.2.2 the node needs a nat/POSTROUTING chain.
    rules.push(releaseAtLeast(release, IN_PROCESS_NFTABLES.since) ? 'warning:P1-masquerade-nat-chain' : 'error:P1-masquerade-image');
  }
  return rules.sort();
}

describeWithTools(KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const))("check on kube-vip's own generated manifests", () => {
  beforeAll(() => ensureCompiled(), 150_000);

  const cases = KUBE_VIP_RELEASES.flatMap((release) =>
    (['pod', 'daemonset'] as const).flatMap((kind) =>
      Object.entries(FLAG_SETS).map(([name, flags]) => [`${release} manifest ${kind}: ${name}`, release, kind, flags] as const),
    ),
  );

  it.each(cases)('%s', (_name, release, kind, flags) => {
    const extra = kind === 'daemonset' ? ['--inCluster', '--taint'] : [];
    const generated = spawnSync(join(TOOLS_BIN, `kube-vip-${release}`), ['manifest', kind, ...COMMON, ...flags, ...extra], {
      encoding: 'utf8',
    });
    expect(generated.status).toBe(0);
    const { code, stdout, stderr } = cli(['check', '--output', 'json', '-'], { stdin: generated.stdout });
    expect(stderr).toBe('');
    const found = (JSON.parse(stdout).findings as { severity: string; rule: string }[]).map((f) => `${f.severity}:${f.rule}`).sort();
    expect(found).toEqual(expected(release, kind, flags));
    expect(code).toBe(found.some((f) => f.startsWith('error:')) ? 1 : 0);
  });
});
