import { App, Chart } from 'cdk8s';
import { KubeVip, KubeVipControlPlane, KubeVipImage, KubeVipServicesLB } from '../../lib';
import { testApp } from '../support/synth';

/**
 * Issue 13, class 3: two deployments of ours that each pass on their own but cannot run side by
 * side on one node. Where the toolkit sees both (one chart: one cluster's objects) it refuses them;
 * across files `cdk8s-kube-vip check` finds the same (test/cli/check.test.ts).
 */

function servicesOnly(
  chart: Chart,
  id: string,
  props: { name?: string; nodeSelector?: Record<string, string>; servicesPort?: number } = {},
) {
  const kubeVip = new KubeVip(chart, id, {
    image: KubeVipImage.standard('v1.2.2'),
    name: props.name,
    scheduling: props.nodeSelector ? { nodeSelector: props.nodeSelector } : undefined,
    metrics: props.servicesPort ? { servicesPort: props.servicesPort } : undefined,
  });
  new KubeVipServicesLB(kubeVip, 'lb');
  return kubeVip;
}

function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (error) {
    return String((error as Error).message);
  }
}

describe('two deployments in one chart', () => {
  it('on one metrics port on nodes they share: the second never schedules beside the first', () => {
    const app = testApp();
    const chart = new Chart(app, 'site');
    servicesOnly(chart, 'a', { name: 'lb-a' });
    servicesOnly(chart, 'b', { name: 'lb-b' });
    expect(synthError(app)).toContain(
      "[site/b] metrics.servicesPort: 2113 is also site/a's metrics port: lb-b and site/a's lb-a can run on one node (their node selectors allow it), both in the host network, so the scheduler never places the second beside the first; give site/b another metrics.servicesPort, or node selectors that keep the two apart",
    );
  });
  it('of one name: one nftables instance name', () => {
    const app = testApp();
    const chart = new Chart(app, 'site');
    servicesOnly(chart, 'a');
    servicesOnly(chart, 'b', { servicesPort: 2115 });
    expect(synthError(app)).toContain('[site/b] name: "kube-vip" gives the instance name kube-vip, as site/a does');
  });
  it('of one name on nodes kept apart: every object of one name, which an apply keeps once', () => {
    const app = testApp();
    const chart = new Chart(app, 'site');
    servicesOnly(chart, 'rack-a', { nodeSelector: { rack: 'a' } });
    servicesOnly(chart, 'rack-b', { nodeSelector: { rack: 'b' } });
    const error = synthError(app);
    expect(error).toContain(
      '[site/rack-b] name: "kube-vip" writes ServiceAccount kube-system/kube-vip, ClusterRole kube-vip, ClusterRoleBinding kube-vip, DaemonSet kube-system/kube-vip, as site/rack-a does:',
    );
    expect(error).not.toContain('instance name'); // their nodes are apart: only the names collide
  });
  it('on one lease: on a node both run, both elect as that node and both announce', () => {
    const app = testApp();
    const chart = new Chart(app, 'site');
    for (const [id, port] of [
      ['a', 2112],
      ['b', 2114],
    ] as const) {
      const kubeVip = new KubeVip(chart, id, { image: KubeVipImage.standard('v1.2.2'), name: `cp-${id}`, metrics: { port } });
      new KubeVipControlPlane(kubeVip, 'cp', { address: '192.168.0.100', leaderElection: { leaseName: 'plndr-cp-lock' } });
    }
    expect(synthError(app)).toContain(
      '[site/b] controlPlane.leaderElection.leaseName: "kube-system/plndr-cp-lock" is also a lease of site/a',
    );
  });
  it('are accepted with their own names and ports, or on nodes kept apart', () => {
    const app = testApp();
    const site = new Chart(app, 'site');
    servicesOnly(site, 'a', { name: 'lb-a' });
    servicesOnly(site, 'b', { name: 'lb-b', servicesPort: 2115 });
    const zones = new Chart(app, 'zones');
    servicesOnly(zones, 'c', { name: 'lb-c', nodeSelector: { zone: 'a' } });
    servicesOnly(zones, 'd', { name: 'lb-d', nodeSelector: { zone: 'b' } });
    expect(synthError(app)).toBe('');
  });
  it('in different charts (a fleet: one chart per cluster) are not compared', () => {
    const app = testApp();
    servicesOnly(new Chart(app, 'site-1'), 'kube-vip');
    servicesOnly(new Chart(app, 'site-2'), 'kube-vip');
    expect(synthError(app)).toBe('');
  });
});

/**
 * cdk8s validates the whole app once per chart it synthesises, so validation answers from its
 * last answer (issue 14); whatever changes after a first validation must still be seen.
 */
describe('validation after the app changed', () => {
  it('sees a deployment added to the chart after a first synthesis', () => {
    const app = testApp();
    const chart = new Chart(app, 'site');
    servicesOnly(chart, 'a');
    expect(synthError(app)).toBe('');
    servicesOnly(chart, 'b', { servicesPort: 2115 });
    expect(synthError(app)).toContain('[site/b] name: "kube-vip" gives the instance name kube-vip, as site/a does');
  });
  it('answers for a later deployment again when an earlier one changes (the later one reports the collision)', () => {
    const app = testApp();
    const chart = new Chart(app, 'site');
    const a = new KubeVip(chart, 'a', { image: KubeVipImage.standard('v1.2.2'), name: 'cp-a', metrics: { port: 2112 } });
    new KubeVipServicesLB(a, 'lb');
    const b = new KubeVip(chart, 'b', { image: KubeVipImage.standard('v1.2.2'), name: 'cp-b', metrics: { port: 2114 } });
    new KubeVipControlPlane(b, 'cp', { address: '192.168.0.100', leaderElection: { leaseName: 'plndr-cp-lock' } });
    expect(synthError(app)).toBe('');
    new KubeVipControlPlane(a, 'cp', { address: '192.168.0.100', leaderElection: { leaseName: 'plndr-cp-lock' } });
    expect(synthError(app)).toContain(
      '[site/b] controlPlane.leaderElection.leaseName: "kube-system/plndr-cp-lock" is also a lease of site/a',
    );
  });
  it("sees a feature added to a deployment after a first synthesis, and another chart's changes", () => {
    const app = testApp();
    const kubeVip = new KubeVip(new Chart(app, 'site'), 'a', { image: KubeVipImage.standard('v1.2.2') });
    expect(synthError(app)).toContain('are both off');
    new KubeVipServicesLB(kubeVip, 'lb');
    expect(synthError(app)).toBe('');
    const other = new Chart(app, 'other');
    servicesOnly(other, 'a');
    servicesOnly(other, 'b', { servicesPort: 2115 });
    expect(synthError(app)).toContain('[other/b] name: "kube-vip" gives the instance name kube-vip, as other/a does');
  });
});
