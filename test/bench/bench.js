#!/usr/bin/env node
// `npm run bench`: the project's performance record, measured in one run on one machine.
//   1. The CLI (synth, manifest, check) against `helm template` of our chart on the same values,
//      with Node's bare start as the floor: whole processes, runs interleaved, medians and the
//      median of the per-round ratios.
//   2. Fleet synthesis: N sites in one cdk8s App built with our constructs against the same
//      objects as plain ApiObjects (what cdk8s itself costs) and as plain ApiObjects in our tree's
//      shape (what cdk8s costs for the construct nodes alone), and with one App per site, for 10,
//      100 and 1,000 sites, with the peak memory of each process.
//   3. `cdk8s synth` of the default app, as `npm run build` runs it.
//   4. The chart's address checks at scale: `helm template` and `synth` with 250, 1,000 and 2,000
//      pool ranges (the time per range should stay flat: the checks are linear).
// Timings are printed, never asserted: machines are noisy, this output is the record.
// Usage: npm run bench [-- --runs N] (builds first; needs the pinned helm from test/tools/install.sh).
const { spawnSync } = require('child_process');
const { cpus, totalmem, tmpdir } = require('os');
const { mkdtempSync, rmSync, writeFileSync } = require('fs');
const { join } = require('path');
const { performance } = require('perf_hooks');

const root = join(__dirname, '..', '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21;
const cli = join(root, 'dist', 'cli', 'cdk8s-kube-vip.js');
const helm = join(root, '.tools', 'bin', 'helm3');
const chart = join(root, 'dist', 'chart');

const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// Control plane and Services with the cluster's facts, so every check runs.
const values = join(scratch, 'values.yaml');
writeFileSync(
  values,
  [
    'controlPlane:',
    '  enabled: true',
    '  address: 192.168.0.100',
    'services:',
    '  enabled: true',
    'cluster:',
    '  apiServerAddresses: [192.168.0.11, 192.168.0.12, 192.168.0.13]',
    '  nodeAddresses: [192.168.0.11/24, 192.168.0.12/24, 192.168.0.13/24]',
    '  podCIDRs: [10.244.0.0/16]',
    '  serviceCIDRs: [10.96.0.0/12]',
    '',
  ].join('\n'),
);
const manifestOut = join(scratch, 'manifest.yaml');

// Node reads the file NODE_EXTRA_CA_CERTS names at every start (tens of milliseconds for a system
// CA bundle), before any of our code runs; helm reads its certificates only when it connects. It
// is the environment's setting, not the CLI's: the runs are made without it, and when it is set
// Node's floor is also shown with it.
const ENV = { ...process.env };
delete ENV.NODE_EXTRA_CA_CERTS;

/** Wall time of one process, start to exit; it must succeed. */
function time(command, args, env = ENV) {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, env });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t) => `${Math.round(t)} ms`.padStart(8);

function machine() {
  const helmVersion = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout.trim();
  return [
    `machine: ${cpus().length} x ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}`,
    `node ${process.version}, helm ${helmVersion}, ${new Date().toISOString().slice(0, 10)}`,
  ];
}

function cliBench() {
  const tasks = {
    'node -e 0 (floor)': [process.execPath, ['-e', '0']],
    'helm template (our chart)': [helm, ['template', 'kube-vip', chart, '-n', 'kube-system', '-f', values]],
    'synth -f values.yaml': [process.execPath, [cli, 'synth', '-f', values]],
    'manifest daemonset': [
      process.execPath,
      [cli, 'manifest', 'daemonset', '--controlplane', '--services', '--arp', '--address', '192.168.0.100', '--leaderElection'],
    ],
    'check (the synth output)': [process.execPath, [cli, 'check', manifestOut]],
  };
  if (process.env.NODE_EXTRA_CA_CERTS) tasks['node -e 0, NODE_EXTRA_CA_CERTS set'] = [process.execPath, ['-e', '0'], process.env];
  writeFileSync(manifestOut, time(process.execPath, [cli, 'synth', '-f', values]).stdout);
  // Warm the file cache, then interleave: each round runs every task once, in a rotating order.
  for (const task of Object.values(tasks)) time(...task);
  const names = Object.keys(tasks);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < RUNS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      samples[name].push(time(...tasks[name]).ms);
    }
  }
  const helmName = 'helm template (our chart)';
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = [
    `CLI, whole processes, ${RUNS} interleaved rounds:`,
    `  ${'task'.padEnd(width)}  median       min   vs helm (median of per-round ratios)`,
  ];
  for (const name of names) {
    const ratios = samples[name].map((t, i) => t / samples[helmName][i]);
    const vsHelm = name === helmName ? '' : `   ${median(ratios).toFixed(2)}x`;
    lines.push(`  ${name.padEnd(width)}${ms(median(samples[name]))}  ${ms(Math.min(...samples[name]))}${vsHelm}`);
  }
  return lines;
}

function fleetRun(mode, sites) {
  const { stdout } = time(process.execPath, [join(__dirname, 'fleet.js'), mode, String(sites)]);
  return JSON.parse(stdout);
}

function fleetBench() {
  const modes = ['constructs', 'shape', 'plain', 'apps'];
  const lines = [
    'Fleet: N sites, one chart each, in one App, app.synth() (control plane with masquerade + Services with port security).',
    '"plain" is the same objects as plain ApiObjects; "shape" is plain in our tree\'s shape (the objects under one empty',
    'construct beside two more, of three classes), what cdk8s costs for our tree without our code; "apps" is our',
    'constructs with one App per site, written to the same folder (the same files). Interleaved rounds: medians, and the',
    'median of the per-round ratios; "build" is the tree alone (our constructs resolve and render there).',
    `  ${'sites'.padStart(5)}  ${'constructs'.padStart(10)}  ${'shape'.padStart(8)}  ${'plain'.padStart(8)}  ${'apps'.padStart(8)}  constructs/plain  shape/plain  apps/plain  build/site  peak RSS constructs / plain`,
  ];
  for (const sites of [10, 100, 1000]) {
    const rounds = 5;
    const runs = Object.fromEntries(modes.map((mode) => [mode, []]));
    for (let i = 0; i < rounds; i++) {
      const order = [...modes.slice(i % modes.length), ...modes.slice(0, i % modes.length)];
      for (const mode of order) runs[mode].push(fleetRun(mode, sites));
    }
    const med = (mode, key) => median(runs[mode].map((r) => r[key]));
    const ratio = (a, b) => `${median(runs[a].map((r, i) => r.ms / runs[b][i].ms)).toFixed(2)}x`;
    lines.push(
      `  ${String(sites).padStart(5)}  ${ms(med('constructs', 'ms')).padStart(10)}  ${ms(med('shape', 'ms'))}  ${ms(med('plain', 'ms'))}  ${ms(med('apps', 'ms'))}` +
        `  ${ratio('constructs', 'plain').padStart(16)}  ${ratio('shape', 'plain').padStart(11)}  ${ratio('apps', 'plain').padStart(10)}  ${`${(med('constructs', 'buildMs') / sites).toFixed(3)} ms`.padStart(10)}` +
        `  ${med('constructs', 'maxRssMiB')} / ${med('plain', 'maxRssMiB')} MiB`,
    );
  }
  return lines;
}

function cdk8sSynthBench() {
  const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
  const outdir = join(scratch, 'manifests');
  const t = [1, 2, 3].map(() => time(cdk8s, ['synth', '--no-check-upgrade', '--output', outdir], process.env).ms);
  return [`cdk8s synth of the default app (main.ts, as npm run build runs it): median of 3 ${ms(median(t))}`];
}

/** Values with `n` pool ranges that overlap nothing: every address check runs on each. */
function poolValues(n) {
  const ranges = Array.from({ length: n }, (_, i) => {
    const [x, y] = [100 + Math.floor(i / 250), i % 250];
    return `10.${x}.${y}.1-10.${x}.${y}.9`;
  });
  const file = join(scratch, `pools-${n}.json`);
  writeFileSync(file, JSON.stringify({ services: { enabled: true }, ipam: { enabled: true, global: { ranges } } }));
  return file;
}

function poolBench() {
  const lines = ['Address checks at scale: median of 3, helm 3 `template` and our `synth`, N pool ranges.'];
  for (const n of [250, 1000, 2000]) {
    const file = poolValues(n);
    const h = median([1, 2, 3].map(() => time(helm, ['template', 'kv', chart, '-n', 'kube-system', '-f', file]).ms));
    const c = median([1, 2, 3].map(() => time(process.execPath, [cli, 'synth', '-f', file]).ms));
    lines.push(`  ${String(n).padStart(5)} ranges: helm ${ms(h)} (${(h / n).toFixed(2)} ms/range), synth ${ms(c)}`);
  }
  return lines;
}

for (const line of [...machine(), '', ...cliBench(), '', ...fleetBench(), '', ...cdk8sSynthBench(), '', ...poolBench()]) console.log(line);
