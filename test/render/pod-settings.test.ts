import { Chart } from 'cdk8s';
import { KubeVip, KubeVipControlPlane, KubeVipImage, KubeVipServicesLB, checkValues } from '../../lib';
import { byKey, HELMS, parseStream, runHelm, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';
import { containerOf, envOf, find, refusals, synthValues, synthWith } from '../support/synth';
import { IMAGES } from '../../lib/kube-vip/defaults';

/**
 * The pod settings people bring from the upstream chart and from kubeadm, kubespray, k3s and
 * rke2 setups: each one reaches the objects on every route (values, constructs, chart), and
 * what they can break is refused or warned about with the reason.
 */

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const cp = { controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: false } };
const staticPod = { controlPlane: { enabled: true, address: '192.168.0.100', deployment: 'staticPod' }, services: { enabled: true } };

const settings = {
  image: { variant: 'standard', digest: DIGEST, pullSecrets: ['registry'] },
  pod: {
    labels: { 'example.com/team': 'edge' },
    annotations: { 'prometheus.io/scrape': 'true' },
    hostAliases: [{ ip: '192.168.0.11', hostnames: ['cp-1.example.com'] }],
    volumes: [{ name: 'k3s-kubeconfig', hostPath: { path: '/etc/rancher/k3s/k3s.yaml', type: 'File' } }],
    volumeMounts: [{ name: 'k3s-kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true }],
  },
  serviceAccount: { annotations: { 'example.com/owner': 'platform' } },
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%' } },
  metrics: { bindAddress: '127.0.0.1' },
};

const warnings = (...values: unknown[]) => checkValues(...values).warnings.map((w) => `${w.rule} ${w.path}`);

describe('pod settings on the DaemonSet', () => {
  const { cluster } = synthValues(cp, settings);
  const ds = find(cluster, 'DaemonSet');
  const template = ds.spec.template;

  it('pins the image by digest, keeping the tag', () => {
    expect(containerOf(ds).image).toBe(`ghcr.io/kube-vip/kube-vip:${IMAGES.tag}@${DIGEST}`);
  });
  it('pulls with the named Secrets', () => {
    expect(template.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
  });
  it('adds pod labels next to its own, and pod annotations', () => {
    expect(template.metadata.labels).toMatchObject({ 'example.com/team': 'edge', 'app.kubernetes.io/name': 'kube-vip' });
    expect(ds.spec.selector.matchLabels).not.toHaveProperty('example.com/team');
    expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
  });
  it('adds host aliases, volumes and mounts', () => {
    expect(template.spec.hostAliases).toEqual(settings.pod.hostAliases);
    expect(template.spec.volumes).toEqual(settings.pod.volumes);
    expect(containerOf(ds).volumeMounts).toEqual(settings.pod.volumeMounts);
  });
  it('annotates the ServiceAccount, and only it', () => {
    expect(find(cluster, 'ServiceAccount').metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
    expect(find(cluster, 'Role').metadata.annotations).toBeUndefined();
  });
  it('takes the update strategy, one node at a time by default', () => {
    expect(ds.spec.updateStrategy).toEqual(settings.updateStrategy);
    expect(find(synthValues(cp).cluster, 'DaemonSet').spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1 },
    });
  });
  it('binds the metrics server to the address, an IPv6 one in brackets', () => {
    expect(envOf(ds).prometheus_server).toBe('127.0.0.1:2112');
    const v6 = find(synthValues(cp, { metrics: { bindAddress: 'fd00::1' } }).cluster, 'DaemonSet');
    expect(envOf(v6).prometheus_server).toBe('[fd00::1]:2112');
    expect(envOf(find(synthValues(cp).cluster, 'DaemonSet')).prometheus_server).toBe('[$(KUBE_VIP_NODE_ADDRESS)]:2112');
  });
  it('leaves out what is not set (no empty lists or maps)', () => {
    const plain = find(synthValues(cp).cluster, 'DaemonSet').spec.template;
    for (const key of ['imagePullSecrets', 'hostAliases', 'volumes']) expect(plain.spec).not.toHaveProperty(key);
    expect(plain.metadata).not.toHaveProperty('annotations');
    expect(containerOf({ kind: 'DaemonSet', spec: { template: plain } })).not.toHaveProperty('volumeMounts');
    expect(plain.spec).not.toHaveProperty('priority');
  });
});

describe('pod settings on the static pod', () => {
  const { staticPods, cluster } = synthValues(staticPod, settings, { scheduling: {} });
  const pod = staticPods[0];

  it('keeps its own host alias, volume and mount first, then the extra ones', () => {
    expect(pod.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['kubernetes'] }, ...settings.pod.hostAliases]);
    expect(pod.spec.volumes.map((v: { name: string }) => v.name)).toEqual(['kubeconfig', 'k3s-kubeconfig']);
    expect(containerOf(pod).volumeMounts.map((m: { name: string }) => m.name)).toEqual(['kubeconfig', 'k3s-kubeconfig']);
  });
  it('carries the pod labels and annotations in its own metadata', () => {
    expect(pod.metadata.labels['example.com/team']).toBe('edge');
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
  });
  it('gets no pull Secrets (a static pod cannot use them), the DaemonSet does, and a warning says so', () => {
    expect(pod.spec).not.toHaveProperty('imagePullSecrets');
    expect(find(cluster, 'DaemonSet').spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(warnings(staticPod, settings)).toContain('pull-secrets-static-pod image.pullSecrets');
  });
  it.each([
    ['system-node-critical', 0, 2000001000],
    ['system-cluster-critical', 0, 2000000000],
    ['kube-vip-critical', 1000000, 1000000],
  ])('with class %s and priority %d runs at priority %d, as kubeadm writes it', (priorityClassName, priority, expected) => {
    const [p] = synthValues(staticPod, { scheduling: { priorityClassName, priority } }).staticPods;
    expect(p.spec.priorityClassName).toBe(priorityClassName);
    expect(p.spec.priority).toBe(expected);
  });
  it('warns that a custom class without a priority runs the static pod at 0', () => {
    const values = { ...staticPod, scheduling: { priorityClassName: 'kube-vip-critical' } };
    expect(synthValues(values).staticPods[0].spec).not.toHaveProperty('priority');
    expect(warnings(values)).toContain('static-pod-priority scheduling.priorityClassName');
  });
  it('refuses a priority that differs from a built-in class, which the API server refuses', () => {
    expect(refusals(staticPod, { scheduling: { priority: 5 } })).toEqual([
      "- scheduling.priority: 5 differs from 2000001000, the value of system-node-critical: the API server refuses a pod whose priority is not its class's, so the static pod's mirror pod is refused; remove scheduling.priority (0 takes 2000001000 from the class), or set 2000001000",
    ]);
  });
  it('warns that a priority does nothing without a static pod', () => {
    expect(warnings(cp, { scheduling: { priority: 5 } })).toContain('priority-daemonset scheduling.priority');
  });
  it('refuses an extra volume named like its own kubeconfig volume', () => {
    expect(refusals(staticPod, { pod: { volumes: [{ name: 'kubeconfig', emptyDir: {} }] } })).toEqual([
      '- pod.volumes[0].name: "kubeconfig" is the name of the volume that mounts the node\'s kubeconfig; the kubelet refuses a pod with two volumes of one name; give this volume another name',
    ]);
    expect(refusals(cp, { pod: { volumes: [{ name: 'kubeconfig', emptyDir: {} }] } })).toEqual([]);
  });
});

describe('what the pod settings refuse', () => {
  it('refuses our own label keys, each at its key', () => {
    expect(refusals(cp, { pod: { labels: { 'app.kubernetes.io/instance': 'x', 'helm.sh/chart': 'y', tier: 'z' } } })).toEqual([
      '- pod.labels.app.kubernetes.io/instance: "x" is a label this toolkit sets itself (the app.kubernetes.io/ and helm.sh/ keys; each DaemonSet selects its pods by two of them); remove it from pod.labels, or use a key of your own such as example.com/team',
      '- pod.labels.helm.sh/chart: "y" is a label this toolkit sets itself (the app.kubernetes.io/ and helm.sh/ keys; each DaemonSet selects its pods by two of them); remove it from pod.labels, or use a key of your own such as example.com/team',
    ]);
  });
  it('refuses malformed label and annotation keys and label values, as the API server would', () => {
    const problems = refusals(cp, {
      pod: { labels: { 'bad key': 'x', ok: 'not valid!' }, annotations: { '-x': 'anything goes here' } },
      serviceAccount: { annotations: { 'a/b/c': 'v' } },
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      '- pod.labels.bad key',
      '- pod.labels.ok',
      '- pod.annotations.-x',
      '- serviceAccount.annotations.a/b/c',
    ]);
    expect(problems[0]).toContain('is not a valid key here; write a key such as example.com/team');
    expect(problems[1]).toContain('is not well formed; write at most 63 letters');
  });
  it('refuses a digest when image.variant auto would choose the image', () => {
    expect(refusals(cp, { image: { digest: DIGEST } })).toEqual([
      `- image.digest: "${DIGEST}" names one image, but image.variant auto picks the standard or the iptables image from the enabled features, and their digests differ; set image.variant to the image the digest is of: standard or iptables`,
    ]);
  });
  it('refuses a digest that is not one', () => {
    expect(refusals(cp, { image: { variant: 'standard', digest: 'sha256:abc' } })[0]).toMatch(
      /^- image.digest: "sha256:abc" is not well formed/,
    );
  });
  it('checks the named fields of volumes, mounts and host aliases, and passes the rest through', () => {
    expect(refusals(cp, { pod: { volumes: [{ hostPath: { path: '/x' } }], hostAliases: [{ ip: 'x', hostnames: [] }] } })).toEqual([
      '- pod.volumes[0].name: (unset) is required; set pod.volumes[0].name (Volume name.)',
      '- pod.hostAliases[0].ip: "x" is not well formed; write an IPv4 or IPv6 address',
    ]);
  });
});

describe('PodMonitors (test/e2e/pod-monitor.test.ts runs them against the real CRD)', () => {
  const podMonitor = { metrics: { podMonitor: { enabled: true, labels: { release: 'prometheus' }, interval: '30s' } } };

  it('are rendered only when asked', () => {
    expect(synthValues(cp).cluster.filter((o) => o.kind === 'PodMonitor')).toEqual([]);
    const [monitor] = synthValues(cp, podMonitor).cluster.filter((o) => o.kind === 'PodMonitor');
    expect(monitor.metadata.labels).toMatchObject({ release: 'prometheus', 'app.kubernetes.io/instance': 'kube-vip' });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'kube-vip', 'app.kubernetes.io/instance': 'kube-vip' } },
      podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }],
    });
  });
  it.each(['127.0.0.1', '::1'])('warn that a metrics server bound to %s cannot be scraped', (bindAddress) => {
    expect(warnings(cp, podMonitor, { metrics: { bindAddress } })).toContain('pod-monitor-loopback metrics.bindAddress');
    expect(warnings(cp, podMonitor, { metrics: { bindAddress: '192.168.0.11' } })).toEqual([]);
  });
  it('refuse our own label keys and a malformed interval', () => {
    const problems = refusals(cp, {
      metrics: { podMonitor: { enabled: true, labels: { 'app.kubernetes.io/part-of': 'x' }, interval: '30 s' } },
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['- metrics.podMonitor.interval']);
    expect(refusals(cp, { metrics: { podMonitor: { labels: { 'app.kubernetes.io/part-of': 'x' } } } })).toEqual([
      '- metrics.podMonitor.labels.app.kubernetes.io/part-of: "x" is a label this toolkit sets itself (the app.kubernetes.io/ and helm.sh/ keys; each DaemonSet selects its pods by two of them); remove it from metrics.podMonitor.labels, or use a key of your own such as example.com/team',
    ]);
  });
});

describe("Helm's global values (test/chart/subchart.test.ts shows them through an umbrella chart)", () => {
  const image = (...values: unknown[]) => containerOf(find(synthValues(cp, ...values).cluster, 'DaemonSet')).image;

  it.each([
    ['ghcr.io/kube-vip/kube-vip', `mirror.example.com/kube-vip/kube-vip:${IMAGES.tag}`],
    ['localhost/kube-vip', `mirror.example.com/kube-vip:${IMAGES.tag}`],
    ['registry.example.com:5000/team/kube-vip', `mirror.example.com/team/kube-vip:${IMAGES.tag}`],
    ['plndr/kube-vip', `mirror.example.com/plndr/kube-vip:${IMAGES.tag}`],
  ])('global.imageRegistry takes the place of the registry of %s', (repository, expected) => {
    expect(image({ image: { repository }, global: { imageRegistry: 'mirror.example.com' } })).toBe(expected);
  });
  it('global.imageRegistry applies to the iptables image too, and keeps a digest', () => {
    const values = { image: { variant: 'iptables', digest: DIGEST }, global: { imageRegistry: 'mirror.example.com' } };
    expect(image(values)).toBe(`mirror.example.com/kube-vip/kube-vip-iptables:${IMAGES.tag}@${DIGEST}`);
  });
  it('global.imagePullSecrets join image.pullSecrets, names or {name}, each once', () => {
    const { cluster } = synthValues(cp, {
      image: { pullSecrets: ['a'] },
      global: { imagePullSecrets: ['b', { name: 'a' }, { name: 'c' }] },
    });
    expect(find(cluster, 'DaemonSet').spec.template.spec.imagePullSecrets).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  });
  it('image.pullSecrets takes names and {name} alike, as global.imagePullSecrets does', () => {
    const pullSecrets = (entries: unknown[]) =>
      find(synthValues(cp, { image: { pullSecrets: entries } }).cluster, 'DaemonSet').spec.template.spec.imagePullSecrets;
    expect(pullSecrets([{ name: 'regcred' }, 'mirror'])).toEqual([{ name: 'regcred' }, { name: 'mirror' }]);
    expect(pullSecrets([{ name: 'regcred' }, 'mirror'])).toEqual(pullSecrets(['regcred', { name: 'mirror' }]));
    expect(pullSecrets([{ name: 'regcred' }, 'regcred'])).toEqual([{ name: 'regcred' }]);
  });
  it('other global keys are accepted and ignored', () => {
    expect(synthValues(cp, { global: { storageClass: 'fast' } })).toEqual(synthValues(cp));
  });
});

describe('an existing ServiceAccount', () => {
  const existing = { serviceAccount: { create: false, name: 'platform-kube-vip' } };

  it('is not created; the DaemonSet runs as it and every binding names it', () => {
    const { cluster } = synthValues(cp, existing);
    expect(cluster.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    expect(find(cluster, 'DaemonSet').spec.template.spec.serviceAccountName).toBe('platform-kube-vip');
    const bindings = cluster.filter((o) => o.kind.endsWith('Binding'));
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings) expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'platform-kube-vip', namespace: 'kube-system' }]);
  });
  it('a name alone renames the ServiceAccount created', () => {
    const { cluster } = synthValues(cp, { serviceAccount: { name: 'kv' } });
    expect(find(cluster, 'ServiceAccount').metadata.name).toBe('kv');
    expect(find(cluster, 'DaemonSet').spec.template.spec.serviceAccountName).toBe('kv');
  });
  it('refuses create: false without a name, and warns that annotations are then not written', () => {
    expect(refusals(cp, { serviceAccount: { create: false } })).toEqual([
      '- serviceAccount.name: "" is empty while serviceAccount.create is false: the DaemonSet would run as a ServiceAccount nobody creates, and its pods would not start; name the existing ServiceAccount, or set serviceAccount.create: true',
    ]);
    expect(warnings(cp, existing, { serviceAccount: { annotations: { a: 'b' } } })).toEqual([
      'service-account-annotations-unused serviceAccount.annotations',
    ]);
  });
});

describe('distribution: where a control-plane kube-vip finds the API server (test/kube-vip/distribution.test.ts runs it)', () => {
  const mountOf = (workload: Record<string, any>) => {
    const spec = workload.kind === 'Pod' ? workload.spec : workload.spec.template.spec;
    return {
      volume: spec.volumes?.find((v: { name: string }) => v.name === 'kubeconfig')?.hostPath,
      mount: containerOf(workload).volumeMounts?.find((m: { name: string }) => m.name === 'kubeconfig')?.mountPath,
      alias: spec.hostAliases?.[0],
      addr: envOf(workload).kubernetes_addr,
    };
  };

  it.each([
    ['k3s', '/etc/rancher/k3s/k3s.yaml'],
    ['rke2', '/etc/rancher/rke2/rke2.yaml'],
  ])(
    '%s: a control-plane DaemonSet mounts %s where kube-vip reads its kubeconfig, and reaches the local API server',
    (distribution, path) => {
      const ds = find(synthValues(cp, { distribution }).cluster, 'DaemonSet');
      expect(mountOf(ds)).toEqual({
        volume: { path, type: 'File' },
        mount: '/etc/kubernetes/admin.conf',
        alias: { ip: '127.0.0.1', hostnames: ['kubernetes'] },
        addr: 'kubernetes:6443',
      });
    },
  );
  it('kubeadm: a DaemonSet uses its ServiceAccount (no mount, no alias)', () => {
    expect(mountOf(find(synthValues(cp).cluster, 'DaemonSet'))).toEqual({
      volume: undefined,
      mount: undefined,
      alias: undefined,
      addr: undefined,
    });
  });
  it('a Services-only DaemonSet uses its ServiceAccount on any distribution (workers have no node kubeconfig)', () => {
    const ds = find(synthValues({ distribution: 'k3s', services: { enabled: true } }).cluster, 'DaemonSet');
    expect(mountOf(ds).volume).toBeUndefined();
  });
  it("the static pod mounts the distribution's kubeconfig", () => {
    const pod = synthValues(staticPod, { distribution: 'rke2' }).staticPods[0];
    expect(mountOf(pod).volume).toEqual({ path: '/etc/rancher/rke2/rke2.yaml', type: 'File' });
    expect(find(synthValues(staticPod, { distribution: 'rke2' }).cluster, 'DaemonSet').spec.template.spec.volumes).toBeUndefined();
  });
  it("refuses kubeadm's super-admin.conf on k3s and rke2", () => {
    expect(refusals(staticPod, { distribution: 'k3s', controlPlane: { kubeconfig: 'superAdmin' } })).toEqual([
      '- controlPlane.kubeconfig: "superAdmin" is kubeadm\'s super-admin.conf, which k3s does not write; its static pod reads the node kubeconfig of k3s; remove controlPlane.kubeconfig, or set distribution: kubeadm',
    ]);
  });
  it("refuses an extra volume named like the node kubeconfig's, where one is mounted", () => {
    const extra = { pod: { volumes: [{ name: 'kubeconfig', emptyDir: {} }] } };
    expect(refusals(cp, extra, { distribution: 'k3s' })).toHaveLength(1);
    expect(refusals(cp, extra)).toEqual([]);
  });
});

describe('the constructs take the same settings', () => {
  it('renders what the values route renders', () => {
    const fromProps = synthWith((chart: Chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', {
        image: KubeVipImage.standard().withDigest(DIGEST),
        pullSecrets: settings.image.pullSecrets,
        pod: settings.pod,
        serviceAccount: settings.serviceAccount,
        updateStrategy: settings.updateStrategy,
        metrics: settings.metrics,
      });
      new KubeVipControlPlane(kubeVip, 'control-plane', { address: '192.168.0.100' });
    });
    expect(fromProps).toEqual(synthValues(cp, settings));
  });
  it('refuses a digest that is not one where the image is made', () => {
    expect(() => KubeVipImage.iptables().withDigest('latest')).toThrow(
      'image.digest: "latest" is not well formed; write a digest such as sha256: and 64 hex digits',
    );
  });
  it('keeps the image type through withDigest', () => {
    const image = KubeVipImage.iptables('v1.2.2').withDigest(DIGEST);
    expect(image.isIptables()).toBe(true);
    expect(image.reference).toBe(`ghcr.io/kube-vip/kube-vip-iptables:v1.2.2@${DIGEST}`);
    // Port security needs an IptablesImage: the pinned one still is.
    synthWith((chart: Chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', { image });
      new KubeVipServicesLB(kubeVip, 'services', { onlyAllowTrafficServicePorts: true });
    });
  });
  it('validates props as values files are validated', () => {
    expect(() =>
      synthWith((chart: Chart) => {
        const kubeVip = new KubeVip(chart, 'kube-vip', {
          image: KubeVipImage.standard(),
          pod: { labels: { 'app.kubernetes.io/name': 'x' } },
        });
        new KubeVipControlPlane(kubeVip, 'control-plane', { address: '192.168.0.100' });
      }),
    ).toThrow(/pod\.labels\.app\.kubernetes\.io\/name: "x" is a label this toolkit sets itself/);
  });
});

describeWithTools(['helm3', 'helm4'])('the chart takes the same settings', () => {
  const chart = useTestChart();
  it.each(HELMS)('%s renders what synth renders', (helm) => {
    const file = writeValues(chart().scratch, 'pod-settings', { ...cp, ...settings });
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.stderr).toBe('');
    expect(byKey(parseStream(result.stdout))).toEqual(byKey(synthValues(cp, settings).cluster));
  });
  it.each(HELMS)("%s renders the PodMonitors synth renders, the static pod's included", (helm) => {
    const values = {
      controlPlane: { enabled: true, address: '192.168.0.100', deployment: 'staticPod' },
      services: { enabled: true },
      metrics: { podMonitor: { enabled: true, labels: { release: 'prometheus' }, interval: '30s' } },
    };
    const file = writeValues(chart().scratch, 'pod-monitor', values);
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.stderr).toBe('');
    const rendered = byKey(parseStream(result.stdout));
    expect(Object.keys(rendered).filter((k) => k.startsWith('PodMonitor/'))).toEqual([
      'PodMonitor/kube-system/kube-vip',
      'PodMonitor/kube-system/kube-vip-services',
    ]);
    expect(rendered).toEqual(byKey(synthValues(values).cluster));
  });
  it.each(HELMS)('%s binds an existing ServiceAccount as synth does', (helm) => {
    const values = { ...cp, serviceAccount: { create: false, name: 'platform-kube-vip' } };
    const file = writeValues(chart().scratch, 'existing-sa', values);
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.stderr).toBe('');
    expect(byKey(parseStream(result.stdout))).toEqual(byKey(synthValues(values).cluster));
  });
  it.each(HELMS)('%s renders a k3s control-plane DaemonSet as synth does', (helm) => {
    const values = { ...cp, ...settings, distribution: 'k3s' };
    const file = writeValues(chart().scratch, 'k3s', values);
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.stderr).toBe('');
    expect(byKey(parseStream(result.stdout))).toEqual(byKey(synthValues(values).cluster));
  });
  it.each(HELMS)('%s refuses a reserved pod label with the same words', (helm) => {
    const file = writeValues(chart().scratch, 'reserved-label', { ...cp, pod: { labels: { 'app.kubernetes.io/instance': 'x' } } });
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('[label-reserved] pod.labels.app.kubernetes.io/instance: "x" is a label this toolkit sets itself');
  });
  it.each(HELMS)('%s refuses a malformed label key in the schema', (helm) => {
    const file = writeValues(chart().scratch, 'bad-key', { ...cp, pod: { labels: { 'bad key': 'x' } } });
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/bad key/);
  });
});
