#!/usr/bin/env node
// Wall time of whole CLI processes, start to exit, over several runs: the figure the README
// quotes. Run `npm run compile` first. Usage: node test/cli/measure-cold-start.js [runs]
const { spawnSync } = require('child_process');
const { mkdtempSync, writeFileSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');
const { performance } = require('perf_hooks');

const runs = Number(process.argv[2] ?? 10);
const main = join(__dirname, '..', '..', 'dist', 'js', 'lib', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
const values = join(dir, 'values.yaml');
writeFileSync(values, 'controlPlane:\n  enabled: true\n  address: 192.168.0.100\nservices:\n  enabled: true\n');

function measure(label, nodeArgs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, nodeArgs, { encoding: 'utf8' });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}: ${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  const ms = (t) => `${Math.round(t)} ms`;
  console.log(`${label.padEnd(28)} median ${ms(times[Math.floor(times.length / 2)])}, min ${ms(times[0])}, max ${ms(times[times.length - 1])} (${runs} runs)`);
}

measure('node -e 0 (no CLI at all)', ['-e', '0']);
measure('--version', [main, '--version']);
measure('synth -f values.yaml', [main, 'synth', '-f', values]);
measure('manifest daemonset', [main, 'manifest', 'daemonset', '--controlplane', '--arp', '--address', '192.168.0.100']);
measure('check values.yaml', [main, 'check', values]);
