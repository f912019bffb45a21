import { ChildProcess, spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { toolPath } from '../../support/tools';

/**
 * What the kubelet and the container runtime do for kube-vip's container, played without
 * either: the env resolved as the kubelet resolves it, the files the pod mounts placed where the
 * container sees them, and the binary started in the node's network namespace with exactly
 * that env and those args.
 */

/** What the kubelet knows when it starts a pod on a node. */
export interface PodContext {
  readonly nodeName: string;
  /** The node's address: status.hostIP, and status.podIP for a hostNetwork pod. */
  readonly nodeAddress: string;
  readonly podName: string;
  readonly namespace: string;
  /** Secret and ConfigMap data (decoded), read from the API server; undefined when absent. */
  readonly secret: (namespace: string, name: string) => Promise<Record<string, string> | undefined>;
  readonly configMap: (namespace: string, name: string) => Promise<Record<string, string> | undefined>;
  /** Variables the kubelet adds before the container's own (the `kubernetes` Service's). */
  readonly serviceEnv: Readonly<Record<string, string>>;
  /** A static pod: the kubelet cannot read Secrets or ConfigMaps for it. */
  readonly staticPod: boolean;
}

/**
 * Kubernetes' `$(VAR)` expansion (k8s.io/kubernetes third_party/forked/golang/expansion):
 * `$(NAME)` becomes the value when NAME is defined, else stays as written; `$$` is one `$`;
 * any other `$` is kept.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 1;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i); // unclosed: kept literally
        break;
      }
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
    } else {
      out += '$' + next;
      i += 1;
    }
  }
  return out;
}

/** A container's env as the kubelet resolves it: service env, envFrom, then env in order. */
export async function resolveEnv(container: any, ctx: PodContext): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const defined = new Map<string, string>();
  const lookup = (name: string) => defined.get(name) ?? ctx.serviceEnv[name];
  const fail = (why: string): never => {
    throw new Error(`kubelet: container ${container.name}: ${why} (the pod would not start)`);
  };
  const source = async (kind: 'secret' | 'configMap', namespace: string, name: string, optional?: boolean) => {
    if (ctx.staticPod) fail(`a static pod cannot reference ${kind} ${name}`);
    const data = await (kind === 'secret' ? ctx.secret(namespace, name) : ctx.configMap(namespace, name));
    if (!data && !optional) fail(`${kind} ${namespace}/${name} not found`);
    return data ?? {};
  };
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    const data = await source(from.secretRef ? 'secret' : 'configMap', ctx.namespace, ref.name, ref.optional);
    for (const [key, value] of Object.entries(data)) defined.set(`${from.prefix ?? ''}${key}`, value);
  }
  for (const entry of container.env ?? []) {
    let value: string | undefined;
    if (entry.valueFrom === undefined) value = expand(entry.value ?? '', lookup);
    else if (entry.valueFrom.fieldRef)
      value = fieldValue(entry.valueFrom.fieldRef.fieldPath, ctx) ?? fail(`unsupported fieldRef ${entry.valueFrom.fieldRef.fieldPath}`);
    else {
      const ref = entry.valueFrom.secretKeyRef ?? entry.valueFrom.configMapKeyRef;
      const kind = entry.valueFrom.secretKeyRef ? 'secret' : 'configMap';
      const data = await source(kind, ctx.namespace, ref.name, ref.optional);
      value = data[ref.key];
      if (value === undefined && !ref.optional) fail(`${kind} ${ctx.namespace}/${ref.name} has no key ${ref.key}`);
    }
    if (value !== undefined) defined.set(entry.name, value);
  }
  for (const [name, value] of Object.entries(ctx.serviceEnv)) env[name] = value;
  for (const [name, value] of defined) env[name] = value;
  return env;
}

function fieldValue(path: string, ctx: PodContext): string | undefined {
  switch (path) {
    case 'spec.nodeName':
      return ctx.nodeName;
    case 'metadata.name':
      return ctx.podName;
    case 'metadata.namespace':
      return ctx.namespace;
    case 'status.hostIP':
    case 'status.podIP': // hostNetwork: the pod has the node's address
      return ctx.nodeAddress;
    default:
      return undefined;
  }
}

/** The files a container sees: container path -> content, a path on the node to copy, or an empty writable folder. */
export type ContainerFiles = Record<string, { content: string } | { fromNode: string } | { emptyDir: true }>;

/**
 * The files of a pod's volume mounts, read from the node's file system (`nodeRoot` stands for
 * the node's `/`): hostPath volumes, honouring their `type` as the kubelet does, emptyDir
 * volumes, and the ServiceAccount token where the pod mounts one. Other volume kinds are
 * refused, so a test never passes on a mount it did not make.
 */
export function mountedFiles(
  spec: any,
  container: any,
  nodeRoot: string,
  token?: { token: string; ca: string; namespace: string },
): ContainerFiles {
  const files: ContainerFiles = {};
  for (const mount of container.volumeMounts ?? []) {
    const volume = (spec.volumes ?? []).find((v: any) => v.name === mount.name);
    if (volume?.emptyDir) {
      files[mount.mountPath] = { emptyDir: true };
      continue;
    }
    if (!volume?.hostPath)
      throw new Error(`kubelet stand-in: volume ${mount.name} is neither hostPath nor emptyDir; nothing else is modelled`);
    const onNode = join(nodeRoot, volume.hostPath.path);
    const type = volume.hostPath.type ?? '';
    if ((type === 'File' || type === 'Directory') && !existsSync(onNode)) {
      throw new Error(`kubelet: hostPath ${volume.hostPath.path} (type ${type}) does not exist on the node: the pod would not start`);
    }
    if (type === 'File' && !statSync(onNode).isFile()) throw new Error(`kubelet: hostPath ${volume.hostPath.path} is not a file`);
    files[mount.mountPath] = { fromNode: onNode };
  }
  const automount = spec.automountServiceAccountToken !== false && spec.serviceAccountName !== undefined;
  if (token && automount) {
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    files[`${dir}/token`] = { content: token.token };
    files[`${dir}/ca.crt`] = { content: token.ca };
    files[`${dir}/namespace`] = { content: token.namespace };
  }
  return files;
}

/** The managed /etc/hosts of a hostNetwork pod: the node's entries, then the pod's hostAliases. */
export function hostsFile(spec: any, nodeName: string, nodeAddress: string): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${nodeAddress}\t${nodeName}`];
  const aliases = spec.hostAliases ?? [];
  if (aliases.length > 0) lines.push('', '# Entries added by HostAliases.');
  for (const alias of aliases) lines.push(`${alias.ip}\t${alias.hostnames.join('\t')}`);
  return lines.join('\n') + '\n';
}

export interface ContainerProcess {
  readonly pid: number;
  /** Everything the process wrote so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves when a line matching `pattern` has been written; rejects at the timeout or exit. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after a grace period; resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
  /** SIGKILL at once, as when a node loses power: the process cleans nothing up. */
  kill(): Promise<number | string>;
}

export interface StartContainer {
  /** The network namespace of the node. */
  readonly netns: string;
  /** The binary that stands for the image's entrypoint. */
  readonly binary: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Files the container sees at these paths (mounts, /etc/hosts, the token). */
  readonly files: ContainerFiles;
  /** Directories the image puts on PATH: empty for a FROM-scratch image. */
  readonly pathDirs: readonly string[];
  /** Files in the process's (otherwise empty) HOME folder, by path relative to it. */
  readonly home?: Readonly<Record<string, string>>;
  /** The capabilities the container has (see containerCapabilities); undefined: all of root's. */
  readonly capabilities?: readonly string[];
  /** How the runtime confines the process (see containerConfinement); undefined: not at all. */
  readonly confinement?: Confinement;
}

/** What a container's securityContext asks of the runtime beyond capabilities. */
export interface Confinement {
  /** readOnlyRootFilesystem: everything but volumes, /proc, /sys and /dev is read-only. */
  readonly readOnlyRoot: boolean;
  /** seccompProfile RuntimeDefault: containerd's default profile for the container's capabilities. */
  readonly runtimeDefaultSeccomp: boolean;
  /** allowPrivilegeEscalation: false sets no_new_privs. */
  readonly noNewPrivileges: boolean;
}

/**
 * What the runtime does with a container's (and its pod's) securityContext. A privileged
 * container always runs with seccomp Unconfined (Kubernetes docs, "Restrict a Container's
 * Syscalls with seccomp"); its root file system is still read-only when asked.
 */
export function containerConfinement(spec: any, container: any): Confinement {
  const context = container.securityContext ?? {};
  const profile = context.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
  if (profile !== undefined && profile !== 'RuntimeDefault' && profile !== 'Unconfined')
    throw new Error(`kubelet stand-in: seccompProfile ${profile} is not modelled`);
  return {
    readOnlyRoot: context.readOnlyRootFilesystem === true,
    runtimeDefaultSeccomp: profile === 'RuntimeDefault' && context.privileged !== true,
    noNewPrivileges: context.allowPrivilegeEscalation === false,
  };
}

/** What containerd gives a container that neither drops nor adds capabilities. */
const RUNTIME_DEFAULT_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

/**
 * The capabilities a container runs with, as the runtime computes them from its
 * securityContext: the default set less `drop` (ALL drops every one) plus `add`; undefined for
 * a privileged container (all of them).
 */
export function containerCapabilities(container: any): string[] | undefined {
  const context = container.securityContext ?? {};
  if (context.privileged === true) return undefined;
  const name = (c: string) => c.toUpperCase().replace(/^CAP_/, '');
  const drop: string[] = (context.capabilities?.drop ?? []).map(name);
  const add: string[] = (context.capabilities?.add ?? []).map(name);
  const kept = drop.includes('ALL') ? [] : RUNTIME_DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  return [...new Set([...kept, ...add])].sort();
}

/** `ip` by absolute path: the container's env (and so its PATH) is what the child is spawned with. */
const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? 'ip';
const SH = '/usr/bin/sh';
const MOUNT = '/usr/bin/mount';
const MKDIR = '/usr/bin/mkdir';
const UNSHARE = '/usr/bin/unshare';
const SETPRIV = '/usr/bin/setpriv';
const FINDMNT = '/usr/bin/findmnt';
const CP = '/usr/bin/cp';

/**
 * Starts a container's process: in a private mount namespace inside the node's network
 * namespace, /etc gets a writable overlay with the container's files on top of the host's, so
 * the process sees its mounts at their container paths while nothing on the host changes; /run
 * (and an emptyDir at /etc) is a fresh tmpfs with the container's files in it. PATH is only the image's folders, and HOME an empty folder (kube-vip
 * reads ~/.kube/config if it exists). Then the confinement: every other mount read-only, the
 * seccomp filter (test/tools/seccomp), no_new_privs and the capabilities, in that order.
 */
export function startContainer(options: StartContainer): ContainerProcess {
  const state = mkdtempSync(join(tmpdir(), 'kube-vip-node-'));
  const tree = join(state, 'tree');
  const home = join(state, 'home');
  mkdirSync(home);
  for (const [path, content] of Object.entries(options.home ?? {})) {
    mkdirSync(dirname(join(home, path)), { recursive: true });
    writeFileSync(join(home, path), content);
  }
  const tops = new Set<string>();
  const emptyTops = new Set<string>();
  for (const [rawPath, file] of Object.entries(options.files)) {
    const path = rawPath.replace(/^\/var\/run\//, '/run/'); // /var/run is a link to /run
    const top = path.split('/')[1];
    if (top !== 'etc' && top !== 'run') throw new Error(`container stand-in: mounts under /${top} are not modelled (${rawPath})`);
    if ('emptyDir' in file) {
      if (path !== `/${top}`) throw new Error(`container stand-in: an emptyDir is modelled only at /etc or /run (${rawPath})`);
      emptyTops.add(top);
    }
    tops.add(top);
    const target = join(tree, path);
    mkdirSync('emptyDir' in file ? target : dirname(target), { recursive: true });
    if ('content' in file) writeFileSync(target, file.content);
    else if ('fromNode' in file) cpSync(file.fromNode, target, { recursive: true });
  }
  // The image's /run is empty (the host's holds its own state, e.g. iptables' lock file), so the
  // container's /run is always a fresh folder; read-only unless a volume is mounted there.
  tops.add('run');
  mkdirSync(join(tree, 'run'), { recursive: true });
  const mounts = [...tops].map((top) => {
    if (top === 'run' || emptyTops.has(top))
      return `${MOUNT} -t tmpfs -o mode=0755 tmpfs /${top} && ${CP} -a ${join(tree, top)}/. /${top}/`;
    const upper = join(state, `upper-${top}`);
    const work = join(state, `work-${top}`);
    return `${MKDIR} -p ${upper} ${work} && ${MOUNT} -t overlay overlay -o lowerdir=${join(tree, top)}:/${top},upperdir=${upper},workdir=${work} /${top}`;
  });
  const confinement = options.confinement;
  const readOnly = confinement?.readOnlyRoot ? readOnlyRoot([...emptyTops].map((top) => `/${top}`)) : [];
  // setpriv: the process dies with the test worker (a parent-death signal survives exec), and
  // has only the container's capabilities (bounding and inheritable sets: root keeps no more).
  const caps = options.capabilities?.map((c) => `+${c.toLowerCase()}`).join(',');
  const setpriv = [
    SETPRIV,
    '--pdeathsig',
    'KILL',
    ...(confinement?.noNewPrivileges ? ['--no-new-privs'] : []),
    ...(caps !== undefined ? ['--bounding-set', `-all${caps ? ',' + caps : ''}`, '--inh-caps', `-all${caps ? ',' + caps : ''}`] : []),
    '--',
  ];
  // The filter goes on first, while the shell still may install one; setpriv's own calls are allowed by it.
  const seccomp = confinement?.runtimeDefaultSeccomp ? [seccompExec(), '--caps', (options.capabilities ?? []).join(','), '--'] : [];
  const exec = ['exec', ...[...seccomp, ...setpriv, options.binary, ...options.args].map(shellQuote)].join(' ');
  const script = ['set -e', ...mounts, ...readOnly, exec].join('\n');
  const env = { ...options.env, PATH: options.pathDirs.length > 0 ? options.pathDirs.join(':') : join(state, 'empty-path'), HOME: home };
  const child = spawn(IP, ['netns', 'exec', options.netns, UNSHARE, '--mount', '--propagation', 'private', SH, '-c', script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watch(child, () => rmSync(state, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
}

/**
 * The confinement a running process actually has, read from /proc: its seccomp mode (2: a
 * filter), its no_new_privs bit, and whether its root and /run are mounted read-only.
 */
export function observedConfinement(pid: number): {
  seccompFilter: boolean;
  noNewPrivileges: boolean;
  readOnly: Record<'/' | '/run', boolean>;
} {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1];
  // mountinfo: the last mount at a path is the one the process sees; field 6 holds its options.
  const mounts = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  const readOnly = (path: string) =>
    mounts
      .filter((m) => m[4] === path)
      .at(-1)?.[5]
      .split(',')
      .includes('ro') ?? false;
  return {
    seccompFilter: field('Seccomp') === '2',
    noNewPrivileges: field('NoNewPrivs') === '1',
    readOnly: { '/': readOnly('/'), '/run': readOnly('/run') },
  };
}

/**
 * Shell lines that make every mount of this (private) namespace read-only but /proc, /sys,
 * /dev and the writable volumes, as readOnlyRootFilesystem does, then prove it: a mount hidden
 * under another cannot be remounted by its path, so each place the process could write to is
 * checked (EROFS answers access() even for root).
 */
function readOnlyRoot(writable: readonly string[]): string[] {
  const keep = ['/proc', '/sys', '/dev', ...writable].flatMap((p) => [p, `${p}/*`]).join('|');
  const mustBeReadOnly = ['/', '/etc', '/run', '/tmp', '/var', '/usr', '"$HOME"'].filter((p) => !writable.includes(p));
  return [
    `${FINDMNT} -rn -o TARGET | while read -r m; do case "$m" in ${keep}) ;; *) ${MOUNT} -o remount,bind,ro "$m" 2>/dev/null || true ;; esac; done`,
    `for d in ${mustBeReadOnly.join(' ')}; do if [ -w "$d" ]; then echo "container stand-in: $d is still writable under readOnlyRootFilesystem" >&2; exit 125; fi; done`,
  ];
}

/** The seccomp helper test/tools/install.sh builds: the runtime's default profile, as runc loads it. */
function seccompExec(): string {
  const path = toolPath('seccomp-exec');
  if (!path) throw new Error('seccomp-exec is not built: run test/tools/install.sh seccomp');
  return path;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const OUTPUT_LIMIT = 2_000_000;

function watch(child: ChildProcess, cleanup: () => void): ContainerProcess {
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let resolveExited: (status: number | string) => void = () => undefined;
  const exited = new Promise<number | string>((resolve) => (resolveExited = resolve));
  // Resolve first, clean up after, and never throw from here: an exception in an event
  // handler would leave `exited` pending and every stop() waiting for it.
  const finish = (status: number | string) => {
    process.removeListener('exit', killOnExit);
    resolveExited(status);
    try {
      cleanup();
    } catch (error) {
      process.stderr.write(`container stand-in: clean-up failed: ${(error as Error).message}\n`);
    }
    for (const listener of listeners) listener();
  };
  child.once('exit', (code, signal) => finish(code ?? signal ?? 'unknown'));
  child.once('error', (error) => {
    if (child.pid === undefined) finish(`not started: ${error.message}`);
  });
  let exitStatus: number | string | undefined;
  void exited.then((status) => (exitStatus = status));

  return {
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) return done(() => resolve(match));
          if (exitStatus !== undefined)
            return done(() => reject(new Error(`exited (${exitStatus}) before writing ${pattern}; output:\n${tail(output)}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs / 1000}s; output:\n${tail(output)}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (exitStatus === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    async kill() {
      if (exitStatus === undefined) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** The last lines of a process's output, for failure messages. */
export function tail(output: string, lines = 40): string {
  return output.split('\n').slice(-lines).join('\n');
}
