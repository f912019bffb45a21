#!/usr/bin/env node
// One fleet synthesis, measured inside this process: N sites, one cdk8s chart each, in one App,
// written with app.synth() as `cdk8s synth` would. `constructs` builds each site with our
// constructs; `plain` writes the same objects as plain ApiObjects, which is what cdk8s itself costs;
// `shape` is plain with our tree's shape: the objects under a construct, beside two more, all three
// empty and of three classes, as KubeVip, KubeVipControlPlane and KubeVipServicesLB are. It is what
// cdk8s costs for a tree like ours, without any of our code. `apps` is `constructs` with one App
// per site, written to the same folder: the same files, without cdk8s's once-per-chart walk of
// the whole app.
// Prints one JSON line: the whole time, the part spent building the tree, and peak memory.
// Usage: node test/bench/fleet.js constructs|plain|shape|apps N (after `npm run compile`).
// FLEET_OUTDIR=<folder> writes there and keeps it (to compare the routes' files).
const { mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');
const { performance } = require('perf_hooks');
const { ApiObject, App, Chart } = require('cdk8s');
const { Construct } = require('constructs');
const lib = require('../../dist/js/lib');

const [mode, countText] = process.argv.slice(2);
const count = Number(countText);
if (!['constructs', 'plain', 'shape', 'apps'].includes(mode) || !Number.isInteger(count) || count < 1) {
  console.error('usage: fleet.js constructs|plain|shape|apps N');
  process.exit(2);
}

/** Site i: its own API server VIP; control plane with masquerade, Services with port security. */
function site(i) {
  return { address: `10.${(i >> 8) & 255}.${i & 255}.100`, apiServer: `10.${(i >> 8) & 255}.${i & 255}.11` };
}

function constructsSite(chart, i) {
  const { address, apiServer } = site(i);
  const kubeVip = new lib.KubeVip(chart, 'kube-vip', {
    image: lib.KubeVipImage.iptables(),
    cluster: { apiServerAddresses: [apiServer], podCIDRs: ['10.244.0.0/16'], serviceCIDRs: ['10.96.0.0/12'] },
  });
  new lib.KubeVipControlPlane(kubeVip, 'control-plane', {
    address,
    loadBalancer: { forwardingMethod: lib.ForwardingMethod.MASQUERADE },
  });
  new lib.KubeVipServicesLB(kubeVip, 'services', { onlyAllowTrafficServicePorts: true });
}

// Three classes, as ours are: a tree walk's cost depends on how many classes it meets.
class Deployment extends Construct {}
class FirstFeature extends Construct {}
class SecondFeature extends Construct {}

function shapedSite(chart, objects) {
  const deployment = new Deployment(chart, 'kube-vip');
  new FirstFeature(deployment, 'control-plane');
  objects.forEach((o, j) => new ApiObject(deployment, `o${j}`, o));
  new SecondFeature(deployment, 'services');
}

// The plain and shape routes get each site's objects ready-made (rendered here, before the clock starts),
// so that it measures cdk8s alone.
function plainObjects() {
  return Array.from({ length: count }, (_, i) => {
    const app = new App({ outdir: tmpdir() });
    const chart = new Chart(app, 'probe', { disableResourceNameHashes: true });
    constructsSite(chart, i);
    return chart.toJson();
  });
}

const prepared = mode === 'plain' || mode === 'shape' ? plainObjects() : undefined;
const outdir = process.env.FLEET_OUTDIR || mkdtempSync(join(tmpdir(), 'fleet-'));
const start = performance.now();
let built = 0;
if (mode === 'apps') {
  for (let i = 0; i < count; i++) {
    const app = new App({ outdir });
    const before = performance.now();
    constructsSite(new Chart(app, `site-${i}`, { disableResourceNameHashes: true }), i);
    built += performance.now() - before;
    app.synth();
  }
} else {
  const app = new App({ outdir });
  for (let i = 0; i < count; i++) {
    const chart = new Chart(app, `site-${i}`, { disableResourceNameHashes: true });
    if (mode === 'plain') prepared[i].forEach((o, j) => new ApiObject(chart, `o${j}`, o));
    else if (mode === 'shape') shapedSite(chart, prepared[i]);
    else constructsSite(chart, i);
  }
  built = performance.now() - start;
  app.synth();
}
const ms = performance.now() - start;
if (!process.env.FLEET_OUTDIR) rmSync(outdir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    mode,
    sites: count,
    ms: Math.round(ms),
    buildMs: Math.round(built),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
