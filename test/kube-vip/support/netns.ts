import { execFileSync, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';

/**
 * Network namespaces for the tests that run real kube-vip: one "LAN" namespace holding a
 * bridge, and hosts (API server, nodes, clients, routers), each a namespace of its own with an
 * `eth0` on that bridge. Nothing is added to the namespace the tests run in: the whole network
 * lives in namespaces the test made, and deleting them removes every link with them.
 */

/** Whether this process may make network namespaces (root and the `ip` tool), and if not, why. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'it needs root (network namespaces)';
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (ip.error) return 'it needs the ip tool (Debian package iproute2)';
  return undefined;
}

/** Runs a command, throwing with its stderr on failure. */
export function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error: any) {
    throw new Error(`${command} ${args.join(' ')}: ${(error.stderr || error.message).trim()}`, { cause: error });
  }
}

const NAME_PREFIX = 'kvt';

/**
 * Removes the namespaces (and kills what runs in them) of labs whose test process is gone: a
 * worker killed before its clean-up ran. Names carry the owner's pid: kvt<pid>x<random>-<role>.
 */
function sweepOrphans(): void {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const name of listed.split('\n').map((line) => line.split(' ')[0])) {
    const owner = new RegExp(`^${NAME_PREFIX}(\\d+)x`).exec(name)?.[1];
    if (!owner || isAlive(Number(owner))) continue;
    const pids = (spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('ip', ['netns', 'delete', name]);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Host {
  /** The namespace's name, for `ip netns exec`. */
  readonly netns: string;
  /** Its address on the LAN (without prefix length). */
  readonly address: string;
}

/**
 * A LAN of `<prefix>.0/24` (default 192.168.77.0/24) on a bridge. Hosts get `<prefix>.<n>`.
 * `destroy()` removes every namespace it made; call it in afterAll (it is safe to call twice,
 * and also runs when the test process exits without it).
 */
export class Lab {
  static create(prefix = '192.168.77'): Lab {
    sweepOrphans();
    // Random, not a counter: jest resets modules for each test file in a worker.
    return new Lab(`${NAME_PREFIX}${process.pid}x${randomBytes(3).toString('hex')}`, prefix);
  }

  readonly lan: string;
  private readonly namespaces: string[] = [];
  private readonly cleanups: (() => void)[] = [];
  private readonly onExit = () => this.destroy();
  private destroyed = false;

  private constructor(
    readonly id: string,
    readonly prefix: string,
  ) {
    process.once('exit', this.onExit);
    this.lan = this.addNamespace('lan');
    this.exec(this.lan, 'ip', ['link', 'add', 'br0', 'type', 'bridge']);
    this.exec(this.lan, 'ip', ['link', 'set', 'br0', 'up']);
  }

  /** A host on the LAN: a namespace with lo up and `eth0` at `<prefix>.<octet>/24`. */
  addHost(role: string, octet: number): Host {
    const netns = this.addNamespace(role);
    const port = `p${octet}`; // the bridge port's name in the LAN namespace
    this.exec(this.lan, 'ip', ['link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    this.exec(this.lan, 'ip', ['link', 'set', port, 'master', 'br0', 'up']);
    const address = `${this.prefix}.${octet}`;
    this.exec(netns, 'ip', ['addr', 'add', `${address}/24`, 'dev', 'eth0']);
    this.exec(netns, 'ip', ['link', 'set', 'eth0', 'up']);
    this.exec(netns, 'ip', ['link', 'set', 'lo', 'up']);
    this.exec(netns, 'ip', ['route', 'add', 'default', 'via', `${this.prefix}.1`, 'dev', 'eth0', 'onlink']);
    return { netns, address };
  }

  /** A namespace off the LAN (a pod's), with lo up; the caller wires it. */
  addIsolated(role: string): string {
    const netns = this.addNamespace(role);
    this.exec(netns, 'ip', ['link', 'set', 'lo', 'up']);
    return netns;
  }

  /** Runs a command inside a namespace and returns its stdout. */
  exec(netns: string, command: string, args: readonly string[]): string {
    return run('ip', ['netns', 'exec', netns, command, ...args]);
  }

  /** Like exec, but returns the exit status and output instead of throwing. */
  tryExec(netns: string, command: string, args: readonly string[]): { status: number; output: string } {
    const result = spawnSync('ip', ['netns', 'exec', netns, command, ...args], { encoding: 'utf8' });
    return { status: result.status ?? -1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
  }

  /** Something to undo at destroy(), before the namespaces go (processes to stop, files). */
  onDestroy(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.removeListener('exit', this.onExit);
    for (const cleanup of this.cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // keep cleaning up: one failure must not leave the namespaces behind
      }
    }
    for (const netns of this.namespaces.reverse()) spawnSync('ip', ['netns', 'delete', netns]);
  }

  private addNamespace(role: string): string {
    const name = `${this.id}-${role}`;
    run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    return name;
  }
}
