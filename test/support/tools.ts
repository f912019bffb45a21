import { existsSync } from 'fs';
import { join } from 'path';
import { releaseAtLeast } from '../../lib/kube-vip/releases';

/** Where test/tools/install.sh puts the pinned tools (git-ignored). */
export const TOOLS_BIN = join(__dirname, '..', '..', '.tools', 'bin');

/** The kube-vip releases test/tools/install.sh builds (one wrapper module each in test/tools/kube-vip). */
export const KUBE_VIP_RELEASES = ['v1.2.3', 'v1.2.2', 'v1.2.1'] as const;
export type KubeVipRelease = (typeof KUBE_VIP_RELEASES)[number];

/** The releases the suite runs from `since` on: a scenario of one behaviour runs on each that has it. */
export function releasesSince(since: string): KubeVipRelease[] {
  return KUBE_VIP_RELEASES.filter((release) => releaseAtLeast(release, since));
}

/** The tools that run these releases, for describeOnNodes. */
export function kubeVipTools(releases: readonly KubeVipRelease[]): `kube-vip-${KubeVipRelease}`[] {
  return releases.map((release) => `kube-vip-${release}` as const);
}

export type Tool =
  | 'helm3'
  | 'helm4'
  | 'kube-apiserver-test'
  /** The CNCF distribution registry (an OCI registry), for helm push and pull. */
  | 'registry'
  | `kube-vip-${KubeVipRelease}`
  | 'kube-vip-cloud-provider-v0.0.12'
  /** The Prometheus Operator's PodMonitor CRD, from its release (not a program). */
  | 'podmonitor-crd.yaml'
  /** The manifest linter github.com/zegl/kube-score. */
  | 'kube-score'
  /** Runs a command under the runtime's default seccomp profile (test/tools/seccomp). */
  | 'seccomp-exec'
  /** A Debian package's program (test/tools/install.sh system), found on PATH. */
  | 'gpg';

/** Tools that come from the system's packages rather than .tools/bin. */
const ON_PATH: ReadonlySet<Tool> = new Set(['gpg']);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const INSTALL_HINT = 'run test/tools/install.sh to build or install it';
const where = (tool: Tool) => (ON_PATH.has(tool) ? 'PATH' : '.tools/bin');

/**
 * The path of a pinned tool, or undefined when it is missing. Under CI (CI=true) a missing
 * tool is an error, since no test may skip there; locally the caller skips and we say so loudly.
 */
export function toolPath(tool: Tool): string | undefined {
  const path = ON_PATH.has(tool) ? onPath(tool) : join(TOOLS_BIN, tool);
  if (path && existsSync(path)) return path;
  if (process.env.CI === 'true') {
    throw new Error(`${tool} is missing from ${where(tool)} and CI=true forbids skipping: ${INSTALL_HINT}`);
  }
  process.stderr.write(`\n*** SKIPPING tests that need ${tool}: it is not in ${where(tool)} (${INSTALL_HINT}) ***\n\n`);
  return undefined;
}

/** `describe` when every tool is present, `describe.skip` (with a loud notice) otherwise. */
export function describeWithTools(tools: readonly Tool[]): jest.Describe {
  const missing = tools.filter((tool) => toolPath(tool) === undefined);
  return missing.length === 0 ? describe : describe.skip;
}

/**
 * `describe` for tests that run real kube-vip on nodes made of network namespaces: they need
 * the tools and root. Locally a missing piece skips loudly; under CI it is an error.
 */
export function describeOnNodes(tools: readonly Tool[], netnsUnavailable: () => string | undefined): jest.Describe {
  const why = netnsUnavailable();
  if (why !== undefined) {
    if (process.env.CI === 'true')
      throw new Error(`tests that run kube-vip in network namespaces cannot run: ${why}, and CI=true forbids skipping`);
    process.stderr.write(`\n*** SKIPPING tests that run kube-vip in network namespaces: ${why} ***\n\n`);
    return describe.skip;
  }
  // Every pod on such a node runs under the kubelet stand-in, which confines it with seccomp-exec.
  return describeWithTools([...tools, 'seccomp-exec']);
}
