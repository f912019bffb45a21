import { existsSync } from 'fs';
import { join } from 'path';

/** Where test/tools/install.sh puts the pinned tools (git-ignored). */
export const TOOLS_BIN = join(__dirname, '..', '..', '.tools', 'bin');

export type Tool = 'helm3' | 'helm4' | 'kube-apiserver-test';

const INSTALL_HINT = 'run test/tools/install.sh to build it';

/**
 * The path of a pinned tool, or undefined when it is missing. Under CI (CI=true) a missing
 * tool is an error, since no test may skip there; locally the caller skips and we say so loudly.
 */
export function toolPath(tool: Tool): string | undefined {
  const path = join(TOOLS_BIN, tool);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') {
    throw new Error(`${tool} is missing from .tools/bin and CI=true forbids skipping: ${INSTALL_HINT}`);
  }
  process.stderr.write(`\n*** SKIPPING tests that need ${tool}: it is not in .tools/bin (${INSTALL_HINT}) ***\n\n`);
  return undefined;
}

/** `describe` when every tool is present, `describe.skip` (with a loud notice) otherwise. */
export function describeWithTools(tools: readonly Tool[]): jest.Describe {
  const missing = tools.filter((tool) => toolPath(tool) === undefined);
  return missing.length === 0 ? describe : describe.skip;
}
