import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { toolPath } from '../../support/tools';
import { KubeClient } from './kube';

/**
 * A real kube-apiserver (test/tools/apiserver) for one test file: started on loopback with a
 * fresh etcd, certificates and admin token in a temporary folder, stopped and removed after.
 * Only the API server runs: objects are validated, defaulted, admitted and stored, but no
 * controller acts on them (no pods start, no default ServiceAccount appears).
 */
export interface ApiServer {
  /** Path of the admin kubeconfig: pass it to `helm --kubeconfig` or `kubectl --kubeconfig`. */
  readonly kubeconfig: string;
  /** Client for the admin user (group system:masters). */
  readonly admin: KubeClient;
  /** The last lines the server wrote to stderr (for failure messages). */
  logTail(): string;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The kube-apiserver-test binary; default: the one test/tools/install.sh built. */
  readonly binary?: string;
  /** Files to write into the server's folder before it starts (name -> content), e.g. an admission config. */
  readonly files?: Readonly<Record<string, string>>;
  /** Flags for kube-apiserver itself (passed after `--`); gets the folder the files are in. */
  readonly extraArgs?: (dataDir: string) => readonly string[];
  /** How long to wait for the READY line. */
  readonly timeoutMs?: number;
  /**
   * Run the server inside this network namespace (`ip netns exec`), serving on `port` of every
   * address there and on a Unix socket in its folder, through which `admin` (in the test's own
   * namespace) reaches it. `address` goes into the serving certificate and is what the server
   * advertises.
   */
  readonly netns?: {
    readonly name: string;
    readonly address: string;
    readonly port: number;
    /** Further addresses for the serving certificate (not advertised). */
    readonly extraAddresses?: readonly string[];
  };
}

const STDERR_TAIL_BYTES = 8_000;
const STOP_GRACE_MS = 10_000;

export async function startApiServer(options: StartOptions = {}): Promise<ApiServer> {
  const binary = options.binary ?? toolPath('kube-apiserver-test');
  if (!binary) throw new Error('kube-apiserver-test is not built: run test/tools/install.sh apiserver');
  const timeoutMs = options.timeoutMs ?? 90_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-vip-e2e-'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dataDir, name), content);
  const netns = options.netns;
  const socketPath = netns ? join(dataDir, 'api.sock') : undefined;
  const extraArgs = [
    ...(netns ? [`--bind-address=0.0.0.0`, `--advertise-address=${netns.address}`] : []),
    ...(options.extraArgs?.(dataDir) ?? []),
  ];
  const args = [
    '--data-dir',
    dataDir,
    ...(netns
      ? [
          '--port',
          String(netns.port),
          '--extra-san',
          [netns.address, ...(netns.extraAddresses ?? [])].join(','),
          '--unix-socket',
          socketPath!,
        ]
      : []),
    ...(extraArgs.length > 0 ? ['--', ...extraArgs] : []),
  ];
  // ip netns exec execs the server in place: the child's pid is the server's.
  const child = netns
    ? spawn('ip', ['netns', 'exec', netns.name, binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the jest worker exit without afterAll (a crash, a kill), take the server with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_BYTES);
  });
  const logTail = () => stderr;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      resolve(code ?? signal ?? 'unknown');
    });
    // A binary that cannot be started (missing, not executable) never emits 'exit'.
    child.once('error', (error) => {
      if (child.pid === undefined) {
        process.removeListener('exit', killOnExit);
        resolve(`not started: ${error.message}`);
      }
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const kubeconfig = await waitForReady(child, exited, timeoutMs, logTail);
    const admin = KubeClient.fromKubeconfig(kubeconfig, { socketPath });
    return {
      kubeconfig,
      admin,
      logTail,
      stop: async () => {
        admin.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the kubeconfig path of the `READY <path>` line; rejects with the stderr tail. */
function waitForReady(child: ChildProcess, exited: Promise<number | string>, timeoutMs: number, logTail: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(new Error(`kube-apiserver-test ${why}; last stderr:\n${logTail().split('\n').slice(-30).join('\n')}`));
    const timer = setTimeout(() => fail(`printed no READY line within ${timeoutMs / 1000}s`), timeoutMs);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^READY (.+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(`exited (${code}) before it was ready`); // no effect once resolved
    });
  });
}

/**
 * One API server for the enclosing describe block: started in beforeAll, stopped in afterAll
 * (also when tests fail). Returns a getter, since the server exists only once beforeAll ran.
 *
 *   const server = useApiServer();
 *   it('...', async () => { await server().admin.apply(obj); });
 */
export function useApiServer(options: StartOptions = {}): () => ApiServer {
  let server: ApiServer | undefined;
  beforeAll(
    async () => {
      server = await startApiServer(options);
    },
    (options.timeoutMs ?? 90_000) + 30_000,
  );
  afterAll(async () => {
    await server?.stop();
  }, STOP_GRACE_MS + 20_000);
  return () => {
    if (!server) throw new Error('the API server is not running (its beforeAll failed or has not run)');
    return server;
  };
}
