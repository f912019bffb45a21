import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Command } from './command';
import { ExitCode, isUserError, reasonOf, usage } from './errors';
import { formatHelp, wrap } from './help';
import { own } from '../model/plain';

/**
 * The `cdk8s-kube-vip` command. Each subcommand module is loaded only when it runs, and none
 * loads cdk8s (the renderer is plain functions over the config model), so every command starts fast.
 */

const BIN = 'cdk8s-kube-vip';

// Each command is required when it runs, so `--help` or one command loads only its own code.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  synth: {
    summary:
      "Values files (merged as Helm merges them) to Kubernetes manifests, with the library's renderer and checks: the same bytes as the constructs.",
    load: () => require('./commands/synth').synthCommand,
  },
  manifest: {
    summary: "A drop-in for `kube-vip manifest daemonset|pod`: kube-vip's own flags, a manifest without its known traps.",
    load: () => require('./commands/manifest').manifestCommand,
  },
  check: {
    summary: "Reports the P1-P5 problems of existing kube-vip manifests (kube-vip's generator, the upstream chart, ours) or values files.",
    load: () => require('./commands/check').checkCommand,
  },
  import: {
    summary: 'Writes our values file for an existing kube-vip deployment (its manifests or a kubectl dump), keeping its leases.',
    load: () => require('./commands/import').importCommand,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

function version(): string {
  // The package root is a few folders up, from the bundle (dist/cli) and the compiled module
  // (dist/js/lib/cli) alike, in the repository and in an installed package.
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (manifest.name === 'cdk8s-kube-vip') return manifest.version;
  }
  throw new Error(`no package.json of cdk8s-kube-vip above ${__dirname}`);
}

function topHelp(): string {
  const rows = Object.entries(COMMANDS).flatMap(([name, c]) => wrap(c.summary, 14, `  ${name.padEnd(12)}`));
  return [
    `Usage: ${BIN} <command> [options]`,
    '',
    'Deploys kube-vip without the configurations that only fail on a node at run time.',
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    '  -h, --help     this help; `<command> --help` for a command',
    '  --version      the version of cdk8s-kube-vip',
    '',
    'Exit codes: 0 done (warnings may be printed), 1 the configuration or deployment has errors,',
    '2 bad options or input that cannot be read, 74 the output could not be written.',
    '',
  ].join('\n');
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(topHelp());
    return ExitCode.UNUSABLE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return ExitCode.OK;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${version()}\n`);
    return ExitCode.OK;
  }
  const entry = own(COMMANDS, name);
  if (!entry) {
    throw usage(`unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')} (see ${BIN} --help)`);
  }
  const command = entry.load();
  if (wantsHelp(rest)) {
    process.stdout.write(formatHelp(command.help));
    return ExitCode.OK;
  }
  return command.run(rest);
}

// Standard output that cannot be written (`> /dev/full`, a reader that went away) ends the run with
// one line and its own exit code, not an unhandled 'error' event.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(`${BIN}: error: cannot write to standard output: ${reasonOf(error)}\n`);
  process.exit(ExitCode.OUTPUT);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const command = own(COMMANDS, process.argv[2] ?? '') ? `${BIN} ${process.argv[2]}` : BIN;
    if (isUserError(error)) {
      for (const line of error.message.split('\n')) process.stderr.write(`${command}: error: ${line}\n`);
      process.exitCode = error.exitCode;
    } else {
      // Not the user's mistake: keep the stack, it is what a bug report needs.
      process.stderr.write(
        `${command}: internal error (a bug in ${BIN}, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
      );
      process.exitCode = 70;
    }
  },
);
