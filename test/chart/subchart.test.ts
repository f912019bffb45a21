import { cpSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderObjects } from '../../lib/render/objects';
import { resolveValues } from '../../lib/model/resolve';
import { byKey, HELMS, parseStream, runHelm, useTestChart } from '../support/helm';
import { describeWithTools } from '../support/tools';
import { IMAGES } from '../../lib/kube-vip/defaults';

/**
 * Platform teams install charts as dependencies of an umbrella chart. Helm then passes the
 * umbrella's `global` values to every subchart, so a schema that refuses unknown top-level
 * keys must still take `global`, with keys meant for other charts. The two that make sense for
 * kube-vip are read: imageRegistry and imagePullSecrets (names or {name}, as charts write them).
 */
describeWithTools(['helm3', 'helm4'])('the chart as a subchart of an umbrella chart', () => {
  const chart = useTestChart();
  const values = { controlPlane: { enabled: true, address: '192.168.0.100' }, image: { pullSecrets: ['kube-vip-pull'] } };
  const global = {
    imageRegistry: 'registry.example.com:5000/mirror',
    imagePullSecrets: ['platform-pull', { name: 'kube-vip-pull' }, { name: 'other' }],
    storageClass: 'fast', // for some other chart
  };

  function umbrella(): string {
    const dir = join(chart().scratch, 'platform');
    mkdirSync(join(dir, 'charts'), { recursive: true });
    cpSync(chart().dir, join(dir, 'charts', 'kube-vip'), { recursive: true });
    const meta = {
      apiVersion: 'v2',
      name: 'platform',
      version: '1.0.0',
      dependencies: [{ name: 'kube-vip', version: chart().version }],
    };
    writeFileSync(join(dir, 'Chart.yaml'), JSON.stringify(meta));
    writeFileSync(join(dir, 'values.yaml'), JSON.stringify({ global, 'kube-vip': values }));
    return dir;
  }

  test.each(HELMS)("%s renders it with the umbrella's global values, as the constructs do", (helm) => {
    const result = runHelm(helm, ['template', 'kube-vip', umbrella(), '-n', 'kube-system']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const objects = parseStream(result.stdout);
    expect(byKey(objects)).toEqual(byKey(renderObjects(resolveValues(values, { global })).cluster));
    const pod = objects.find((o) => o.kind === 'DaemonSet')!.spec.template.spec;
    expect(pod.containers[0].image).toBe(`registry.example.com:5000/mirror/kube-vip/kube-vip:${IMAGES.tag}`);
    expect(pod.imagePullSecrets).toEqual([{ name: 'kube-vip-pull' }, { name: 'platform-pull' }, { name: 'other' }]);
  });
});

/** image.pullSecrets in the form a pod spec writes it, as global.imagePullSecrets is taken. */
describeWithTools(['helm3', 'helm4'])("the chart's image.pullSecrets", () => {
  const chart = useTestChart();
  const values = {
    controlPlane: { enabled: true, address: '192.168.0.100' },
    image: { pullSecrets: [{ name: 'regcred' }, 'mirror', { name: 'mirror' }] },
  };

  test.each(HELMS)('%s renders names and {name} alike, as the constructs do', (helm) => {
    const file = join(chart().scratch, 'pull-secrets.yaml');
    writeFileSync(file, JSON.stringify(values));
    const result = runHelm(helm, ['template', 'kube-vip', chart().dir, '-n', 'kube-system', '-f', file]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const objects = parseStream(result.stdout);
    expect(byKey(objects)).toEqual(byKey(renderObjects(resolveValues(values)).cluster));
    const pod = objects.find((o) => o.kind === 'DaemonSet')!.spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'mirror' }]);
  });
});
