import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { ContainerFiles, ContainerProcess, startContainer, tail } from './kubelet';
import { Lab } from './netns';

/**
 * A node with a kernel of its own: a QEMU virtual machine on the lab's bridge, for what this
 * machine's kernel lacks (IPVS). The guest boots the Debian kernel and initramfs that
 * test/tools/vm/build.sh builds; its /init (test/tools/vm/init) mounts the host's root
 * read-only over 9p, runs one script chrooted into it and powers off. So the guest runs the
 * host's programs (the project's .tools/bin, iptables, nft, ip) on its own kernel, and the
 * harness hands it files by writing them on the host, under a folder the guest sees at the same
 * path. The serial console is the only way back: the script's output is read from it.
 */

/** Where test/tools/vm/build.sh puts the kernel and the initramfs (git-ignored). */
const VM_DIR = join(__dirname, '..', '..', '..', '.tools', 'vm');
const QEMU = ['/usr/bin/qemu-system-x86_64', '/usr/local/bin/qemu-system-x86_64'].find((p) => existsSync(p));

/** Whether a VM node can start here (root, qemu, the built kernel), and if not, why. */
export function vmUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'it needs root (a tap device on the lab bridge)';
  if (!QEMU) return 'it needs qemu-system-x86_64: run test/tools/vm/build.sh';
  if (!existsSync(join(VM_DIR, 'vmlinuz')) || !existsSync(join(VM_DIR, 'initrd.gz')))
    return 'the VM kernel is not built: run test/tools/vm/build.sh';
  return undefined;
}

export interface VmOptions {
  /** The guest's hostname. */
  readonly name: string;
  /** Its address on the lab's LAN is `<prefix>.<octet>/24`, its gateway `<prefix>.1`. */
  readonly octet: number;
  /**
   * The shell script the guest runs as root, chrooted into the host's (read-only) root, given
   * the VM's shared folder: a host folder the guest sees at the same path (see podCommand).
   */
  readonly script: (folder: string) => string;
  /** Modules to load besides the ones /init always loads (netfilter, IPVS with rr). */
  readonly modules?: readonly string[];
}

/** The guest's exit line, written by /init when the script ends: `vm-node: exited <status>`. */
const EXITED = /^vm-node: (?:exited (\d+)|failed: .*)$/m;

/**
 * At most two VMs at a time (a node and a backend it forwards to): emulated (TCG, see build.sh)
 * guests each take a whole core, and this is sized for two.
 */
const MAX_RUNNING = 2;
const running = new Set<VmNode>();

export class VmNode {
  /**
   * Boots a guest on the lab's bridge: a tap port in the LAN namespace, qemu run in that
   * namespace (so nothing touches the host's network). It stops (qemu killed, the tap and the
   * shared folder removed) with stop(), with the lab, or when the test process exits.
   */
  static start(lab: Lab, options: VmOptions): VmNode {
    const unavailable = vmUnavailable();
    if (unavailable) throw new Error(`VM node: ${unavailable}`);
    if (running.size >= MAX_RUNNING)
      throw new Error(`VM node: ${[...running].map((vm) => vm.name).join(' and ')} still run; at most ${MAX_RUNNING} VMs run at a time`);
    const folder = mkdtempSync(join(tmpdir(), 'kube-vip-vm-'));
    let vm: VmNode;
    try {
      vm = new VmNode(lab, options, folder);
    } catch (error) {
      lab.tryExec(lab.lan, 'ip', ['link', 'delete', tapName(options.octet)]);
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    running.add(vm);
    return vm;
  }

  readonly name: string;
  readonly address: string;
  readonly process: ContainerProcess;
  /** When the VM was started (Date.now()), to report boot and run times. */
  readonly startedAt = Date.now();
  private readonly tap: string;
  private readonly folder: string;
  private stopped = false;

  private constructor(
    private readonly lab: Lab,
    options: VmOptions,
    folder: string,
  ) {
    this.name = options.name;
    this.address = `${lab.prefix}.${options.octet}`;
    this.tap = tapName(options.octet);
    this.folder = folder;
    const script = join(folder, 'run.sh');
    const text = options.script(folder);
    writeFileSync(script, text.startsWith('#!') ? text : `#!/bin/sh\n${text}`, { mode: 0o755 });
    chmodSync(folder, 0o755);
    lab.exec(lab.lan, 'ip', ['tuntap', 'add', this.tap, 'mode', 'tap']);
    lab.exec(lab.lan, 'ip', ['link', 'set', this.tap, 'master', 'br0', 'up']);
    const append = [
      'console=ttyS0',
      'quiet',
      'panic=-1', // a guest kernel panic powers off (-no-reboot) instead of hanging the test
      `vm_addr=${this.address}/24`,
      `vm_gw=${lab.prefix}.1`,
      `vm_hostname=${options.name}`,
      `vm_run=${script}`,
      ...(options.modules?.length ? [`vm_modules=${options.modules.join(',')}`] : []),
    ].join(' ');
    // startContainer gives the process handling the kube-vip pods have (output, waiting for a
    // line, SIGTERM then SIGKILL, killed with the test process); qemu needs none of its mounts.
    this.process = startContainer({
      netns: lab.lan,
      binary: QEMU!,
      args: [
        // KVM guests hang here after TSC calibration: emulate (about 8 s to the script).
        ...['-accel', 'tcg', '-m', '1024', '-smp', '1', '-nodefaults', '-display', 'none', '-serial', 'stdio', '-no-reboot'],
        ...['-kernel', join(VM_DIR, 'vmlinuz'), '-initrd', join(VM_DIR, 'initrd.gz'), '-append', append],
        ...['-virtfs', 'local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap'],
        // A MAC of its own per VM: qemu gives every guest the same one unless told.
        ...[
          '-netdev',
          `tap,id=n0,ifname=${this.tap},script=no,downscript=no`,
          '-device',
          `virtio-net-pci,netdev=n0,mac=${macOf(options.octet)}`,
        ],
      ],
      env: {},
      files: {},
      pathDirs: [],
    });
    if (process.env.KUBE_VIP_VM_CONSOLE) this.echoConsole();
    lab.onDestroy(() => {
      // Synchronous: the namespaces (and the tap) go right after this.
      if (!this.stopped) void this.process.kill();
      this.cleanUp();
    });
  }

  /** The console so far: the guest script's output and /init's `vm-node:` lines. */
  output(): string {
    return this.process.output().replace(/\r/g, '');
  }

  /** Resolves with the first console line matching `pattern`; rejects at the timeout, or when the guest ends first. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const line = new RegExp(pattern.source, pattern.flags.includes('m') ? pattern.flags : `${pattern.flags}m`);
    const either = new RegExp(`${line.source}|${EXITED.source}`, line.flags);
    await this.process.waitForOutput(either, timeoutMs).catch((error) => {
      throw new Error(`VM node ${this.name}: ${error.message}`);
    });
    const match = this.output().match(line);
    if (!match) throw new Error(`VM node ${this.name}: the guest ended before writing ${pattern}; console:\n${tail(this.output())}`);
    return match;
  }

  /** The guest script's exit status once it has ended (undefined while it runs, or if /init failed). */
  exitStatus(): number | undefined {
    const status = this.output().match(EXITED)?.[1];
    return status === undefined ? undefined : Number(status);
  }

  /** Powers the VM off (qemu quits on SIGTERM at once; the guest gets no shutdown) and removes the tap and folder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.process.stop(3_000);
    this.cleanUp();
  }

  /** KUBE_VIP_VM_CONSOLE=1: the console goes to stderr as it comes, to watch a guest boot or debug a script. */
  private echoConsole(): void {
    let shown = 0;
    const timer = setInterval(() => {
      const output = this.output();
      process.stderr.write(output.slice(shown));
      shown = output.length;
    }, 500);
    void this.process.exited.then(() => {
      clearInterval(timer);
      process.stderr.write(this.output().slice(shown));
    });
  }

  private cleanUp(): void {
    this.stopped = true;
    running.delete(this);
    this.lab.tryExec(this.lab.lan, 'ip', ['link', 'delete', this.tap]);
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** What a pod's container runs with, as TestCluster.podLaunch resolves it. */
export interface PodLaunch {
  readonly env: Readonly<Record<string, string>>;
  readonly files: ContainerFiles;
  readonly args: readonly string[];
}

/**
 * Shell lines for a guest script that start a pod's container as the kubelet stand-in would,
 * but on the guest: the files at their container paths (under /run, the guest's own tmpfs;
 * elsewhere bind-mounted over the host's file, which must exist), then `binary` with exactly
 * the resolved env (env -i) and args. The last line is the command itself, without `exec`, so
 * the caller can run it in the background and watch the guest meanwhile. PATH is the image's
 * (TestCluster.imagePath): an empty folder for the FROM-scratch image, so the host's programs
 * the guest sees stay out of kube-vip's reach as they would in the container.
 */
export function podCommand(folder: string, launch: PodLaunch, binary: string, imagePath: readonly string[]): string[] {
  const lines: string[] = [];
  const staged = join(folder, 'files');
  for (const [rawPath, file] of Object.entries(launch.files)) {
    const path = rawPath.replace(/^\/var\/run\//, '/run/'); // /var/run is a link to /run
    const source = join(staged, path);
    if ('emptyDir' in file) {
      if (!path.startsWith('/run')) throw new Error(`VM node: an emptyDir is modelled only under /run (${rawPath})`);
      lines.push(`mkdir -p ${quote(path)}`);
      continue;
    }
    mkdirSync(dirname(source), { recursive: true });
    if ('content' in file) writeFileSync(source, file.content);
    else cpSync(file.fromNode, source, { recursive: true });
    lines.push(
      path.startsWith('/run/')
        ? `mkdir -p ${quote(dirname(path))} && cp -r ${quote(source)} ${quote(path)}`
        : `mount --bind ${quote(source)} ${quote(path)}`,
    );
  }
  const env = { ...launch.env, PATH: imagePath.length > 0 ? imagePath.join(':') : '/run/empty-path', HOME: '/run/home' };
  lines.push('mkdir -p /run/home /run/empty-path');
  lines.push(['env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), binary, ...launch.args].map(quote).join(' '));
  return lines;
}

/** One IPVS virtual service as /proc/net/ip_vs lists it, addresses decoded. */
export interface IpvsService {
  /** TCP, UDP, SCTP, or FWM for a service that matches a firewall mark. */
  readonly protocol: string;
  /** `address:port`, or the decimal mark of an FWM service. */
  readonly address: string;
  readonly scheduler: string;
  readonly destinations: readonly IpvsDestination[];
}

export interface IpvsDestination {
  /** `address:port` */
  readonly address: string;
  /** Masq, Local, Tunnel, Route (direct routing) or Bypass. */
  readonly forward: string;
  readonly weight: number;
  /** Connections IPVS has scheduled to it and still tracks (ActiveConn + InActConn). */
  readonly connections: number;
}

/**
 * Shell lines that print /proc/net/ip_vs to the console each time it changes, every line
 * prefixed `ip_vs| ` and each copy ended by `ip_vs| --`: the harness reads the table from the
 * console (see ipvsTable), with no ipvsadm needed on either side.
 */
export function watchIpvs(): string[] {
  return [
    'last=',
    'while :; do',
    '  now=$(cat /proc/net/ip_vs 2>&1)',
    '  [ "$now" != "$last" ] && { printf "%s\\n" "$now" | sed "s/^/ip_vs| /"; echo "ip_vs| --"; last=$now; }',
    '  sleep 1',
    'done',
  ];
}

/** The last complete copy of /proc/net/ip_vs the guest printed (see watchIpvs), or undefined. */
export function ipvsTable(console: string): IpvsService[] | undefined {
  const lines = console.split('\n').filter((l) => l.startsWith('ip_vs| '));
  const end = lines.lastIndexOf('ip_vs| --');
  if (end < 0) return undefined;
  const start = lines.lastIndexOf('ip_vs| --', end - 1) + 1;
  const services: { protocol: string; address: string; scheduler: string; destinations: IpvsDestination[] }[] = [];
  for (const line of lines.slice(start, end).map((l) => l.slice('ip_vs| '.length))) {
    const service = /^(TCP|UDP|SCTP)\s+([0-9A-F]{8}:[0-9A-F]{4})\s+(\S+)/.exec(line);
    const marked = /^FWM\s+([0-9A-F]{8})\s+(\S+)/.exec(line);
    const destination = /^\s+->\s+([0-9A-F]{8}:[0-9A-F]{4})\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
    if (service) services.push({ protocol: service[1], address: hexAddress(service[2]), scheduler: service[3], destinations: [] });
    else if (marked) services.push({ protocol: 'FWM', address: String(parseInt(marked[1], 16)), scheduler: marked[2], destinations: [] });
    else if (destination && services.length > 0)
      services.at(-1)!.destinations.push({
        address: hexAddress(destination[1]),
        forward: destination[2],
        weight: Number(destination[3]),
        connections: Number(destination[4]) + Number(destination[5]),
      });
  }
  return services;
}

/** `C0A84DC9:192B` (how /proc/net/ip_vs writes IPv4) as `192.168.77.201:6443`. */
function hexAddress(hex: string): string {
  const [address, port] = hex.split(':');
  const octets = address.match(/../g)!.map((byte) => parseInt(byte, 16));
  return `${octets.join('.')}:${parseInt(port, 16)}`;
}

/** A locally administered MAC address from the VM's octet (52:54:00 is qemu's prefix). */
function macOf(octet: number): string {
  return `52:54:00:00:00:${octet.toString(16).padStart(2, '0')}`;
}

/** The VM's port on the bridge, in the LAN namespace (named like the veth ports, by octet). */
function tapName(octet: number): string {
  return `vt${octet}`;
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
