import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { MANAGED_ENV_NAMES, UNMODELLED_ENV } from '../../../lib/kube-vip/env';

/**
 * The CLI is tested as a process: the bin users run (the bundle `npm run compile` writes),
 * spawned with arguments, stdin and a clean environment. It is rebuilt first when any source is
 * newer than it, so a test run never exercises stale JavaScript (CI builds before jest anyway).
 */

export const ROOT = join(__dirname, '..', '..', '..');
export const MAIN = join(ROOT, 'dist', 'cli', 'cdk8s-kube-vip.js');
const LOCK = join(ROOT, 'dist', '.cli-compile-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The code cache is the build's last output: fresh when it is newer than every source. */
const LAST_OUTPUT = join(ROOT, 'dist', 'cli', 'cli.js.cache');

function isFresh(): boolean {
  return existsSync(LAST_OUTPUT) && statSync(LAST_OUTPUT).mtimeMs >= newestSource(join(ROOT, 'lib'));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Compiles once across jest's parallel workers: the first takes a lock directory, the others wait. */
export function ensureCompiled(): void {
  if (isFresh()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`waited 2 minutes for ${LOCK}; remove it if no compile is running`);
      sleep(200);
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    const result = spawnSync('npm', ['run', '--silent', 'compile'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm run compile failed:\n${result.stdout}${result.stderr}`);
  } finally {
    rmdirSync(LOCK);
  }
}

/** The environment without kube-vip's env vars, which `manifest` reads as kube-vip does. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...MANAGED_ENV_NAMES, ...Object.values(UNMODELLED_ENV)]) delete env[name];
  return { ...env, ...extra };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string; bin?: string } = {},
): CliResult {
  const result = spawnSync(options.bin ?? process.execPath, options.bin ? [...args] : [MAIN, ...args], {
    input: options.stdin ?? '',
    env: cleanEnv(options.env),
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: tests that run hundreds of commands start them in parallel. */
export function cliAsync(args: readonly string[], options: { stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

type Json = Record<string, any>;

export function yamlDocs(text: string): Json[] {
  const docs = parseAllDocuments(text, { version: '1.1' });
  return (Array.isArray(docs) ? docs : [docs]).map((d) => d.toJS() as Json).filter((d) => d !== null);
}

export function findObject(objects: Json[], kind: string, name?: string): Json {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

export function containerOf(object: Json): Json {
  return (object.kind === 'Pod' ? object.spec : object.spec.template.spec).containers[0];
}

export function envOf(object: Json): Record<string, any> {
  return Object.fromEntries(containerOf(object).env.map((e: Json) => [e.name, e.value ?? e.valueFrom]));
}

/** The lines of stderr that are not the command's prefix: a user mistake must show none (no stack trace). */
export function isCleanError(stderr: string): boolean {
  return stderr.trim() !== '' && !/\n\s+at |internal error/.test(stderr);
}
