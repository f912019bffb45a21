import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { synthValues } from '../support/synth';
import { describeWithTools, toolPath } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { KubeObject } from './support/kube';

type Json = Record<string, any>;

/**
 * metrics.podMonitor against the Prometheus Operator's own PodMonitor CRD (from its release,
 * installed into the test API server): the objects are accepted by its schema with strict field
 * validation, and the selector finds the pods kube-vip runs.
 */
describeWithTools(['kube-apiserver-test', 'podmonitor-crd.yaml'])('PodMonitors on a real API server with the real CRD', () => {
  const server = useApiServer();
  const values = {
    name: 'monitored',
    namespace: 'kube-system',
    controlPlane: { enabled: true, address: '192.168.0.100', deployment: 'staticPod' },
    services: { enabled: true },
    metrics: { podMonitor: { enabled: true, labels: { release: 'prometheus' }, interval: '30s' } },
  };
  const output = synthValues(values);
  const podMonitors = output.cluster.filter((o) => o.kind === 'PodMonitor');

  beforeAll(async () => {
    const kube = server().admin;
    const crd = parse(readFileSync(toolPath('podmonitor-crd.yaml')!, 'utf8')) as KubeObject;
    await kube.apply(crd);
    // The kind is served once the CRD is established and discovery lists it.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await kube.list('monitoring.coreos.com/v1', 'PodMonitor');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }, 60_000);

  it('renders one PodMonitor per workload, the static pod included', () => {
    expect(podMonitors.map((o) => o.metadata.name)).toEqual(['monitored', 'monitored-services']);
  });

  it('the CRD accepts each, with strict field validation, and stores it', async () => {
    const kube = server().admin;
    for (const object of podMonitors) await expect(kube.apply(object as KubeObject)).resolves.toMatchObject({ status: 201 });
    const stored = (await kube.list('monitoring.coreos.com/v1', 'PodMonitor', 'kube-system')).body.items as Json[];
    expect(stored.map((o) => o.spec)).toEqual(podMonitors.map((o) => o.spec));
  });

  it('each selects exactly the pods of its workload, by labels those pods carry', () => {
    const pods = [
      ...output.cluster
        .filter((o) => o.kind === 'DaemonSet')
        .map((ds) => ({ labels: ds.spec.template.metadata.labels, spec: ds.spec.template.spec })),
      ...output.staticPods.map((p) => ({ labels: p.metadata.labels, spec: p.spec })),
    ];
    for (const monitor of podMonitors) {
      const selected = pods.filter((p) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => p.labels[k] === v));
      expect(selected).toHaveLength(1);
      expect(selected[0].spec.containers[0].ports.map((port: Json) => port.name)).toContain(monitor.spec.podMetricsEndpoints[0].port);
    }
  });

  it('the CRD refuses what it does not know, so acceptance means something', async () => {
    const wrong = structuredClone(podMonitors[0]) as Json;
    wrong.spec.podMetricsEndpoints[0].intervall = '30s';
    await expect(server().admin.apply(wrong as KubeObject, { dryRun: true })).rejects.toMatchObject({
      message: expect.stringContaining('intervall'),
    });
  });
});
