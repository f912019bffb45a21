import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { ENV_RULES, KUBELET_ONLY_ENV } from '../../lib/kube-vip/env';
import { ENV_SINCE, NEWEST_TESTED_RELEASE, OLDEST_TESTED_RELEASE, releaseAtLeast } from '../../lib/kube-vip/releases';
import { describeWithTools, KUBE_VIP_RELEASES } from '../support/tools';

/**
 * The source the suite built a release from (test/tools/install.sh): its unpacked source archive
 * where the module proxy refused the release, else the module in Go's module cache.
 */
function sourceOf(release: string): string {
  const unpacked = join(__dirname, '..', '..', '.tools', 'src', `kube-vip-${release}`);
  if (existsSync(unpacked)) return unpacked;
  const wrapper = join(__dirname, '..', 'tools', 'kube-vip', release);
  return execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/kube-vip/kube-vip'], { cwd: wrapper, encoding: 'utf8' }).trim();
}

/** The env var names a release reads: the string constants of its pkg/kubevip/config_envvar.go. */
function envNamesOf(release: string): Set<string> {
  const dir = sourceOf(release);
  const source = readFileSync(join(dir, 'pkg', 'kubevip', 'config_envvar.go'), 'utf8');
  return new Set([...source.matchAll(/=\s*"([A-Za-z0-9_]+)"/g)].map((m) => m[1]));
}

/**
 * ENV_SINCE and the env table, against the source of every release the suite runs: a variable
 * is read by a release exactly when ENV_SINCE says so, and every variable we write is read by
 * the release we write it for (but those only the kubelet reads, which kube-vip must not).
 */
test('the oldest and newest releases the library calls tested are those the suite runs', () => {
  const sorted = [...KUBE_VIP_RELEASES].sort((a, b) => (releaseAtLeast(a, b) ? 1 : -1));
  expect(sorted[0]).toBe(OLDEST_TESTED_RELEASE);
  expect(sorted.at(-1)).toBe(NEWEST_TESTED_RELEASE);
});

describeWithTools(KUBE_VIP_RELEASES.map((r) => `kube-vip-${r}` as const))('which release reads which env var (kube-vip source)', () => {
  it.each([...KUBE_VIP_RELEASES])('%s reads a listed variable exactly from its release on', (release) => {
    const names = envNamesOf(release);
    for (const [name, { since }] of Object.entries(ENV_SINCE)) {
      expect(`${name} ${names.has(name) ? 'read' : 'not read'}`).toBe(`${name} ${releaseAtLeast(release, since) ? 'read' : 'not read'}`);
    }
  });
  it.each([...KUBE_VIP_RELEASES])('%s reads every variable we write for it', (release) => {
    const names = envNamesOf(release);
    const written = ENV_RULES.filter((rule) => !ENV_SINCE[rule.name] || releaseAtLeast(release, ENV_SINCE[rule.name].since)).map(
      (rule) => rule.name,
    );
    expect(written.filter((name) => !names.has(name) && !KUBELET_ONLY_ENV.has(name))).toEqual([]);
  });
  it.each([...KUBE_VIP_RELEASES])('%s reads none of the variables we write only for the kubelet', (release) => {
    const names = envNamesOf(release);
    expect([...KUBELET_ONLY_ENV].filter((name) => names.has(name))).toEqual([]);
  });
});
