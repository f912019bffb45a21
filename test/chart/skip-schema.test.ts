import { Field } from '../../lib/model/schema';
import { valuesSchema } from '../../lib/model/values';
import { mapConcurrently } from '../support/concurrently';
import { HELMS, runHelmAsync, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';

/**
 * `helm install --skip-schema-validation` turns the chart's schema off; what stays between a
 * value and the manifest is how the templates write it. A value written unquoted could add
 * fields (`IfNotPresent\n  injected: x`) or change a type. So every scalar setting of the
 * model, given text that YAML would read as a map (`a: b`), must be refused by the templates'
 * own checks or written as a string: never a YAML parse error, which shows a value went out
 * unquoted.
 */

type Setting = { readonly path: string; readonly kind: string };

/** Every scalar field reachable through objects (list items and map values are written whole, by toYaml). */
function scalarSettings(node: Field, path = ''): Setting[] {
  if (node.kind === 'object')
    return Object.entries(node.fields).flatMap(([key, child]) => scalarSettings(child, path ? `${path}.${key}` : key));
  return ['string', 'enum', 'integer', 'boolean'].includes(node.kind) ? [{ path, kind: node.kind }] : [];
}

function setAt(target: Record<string, any>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

/** Everything on that renders: every template writes its values. */
const BASE = {
  controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true } },
  services: { enabled: true },
  egress: { enabled: true },
  ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.210'] }, cloudProvider: { enabled: true } },
  health: { enabled: true },
  metrics: { podMonitor: { enabled: true } },
  cluster: { podCIDRs: ['10.244.0.0/16'], serviceCIDRs: ['10.96.0.0/12'] },
};

const PAYLOAD = 'a: b';
const SETTINGS = scalarSettings(valuesSchema);

describeWithTools(['helm3', 'helm4'])('the chart with --skip-schema-validation', () => {
  const chart = useTestChart();

  it('reaches every scalar setting of the model (at least 70)', () => expect(SETTINGS.length).toBeGreaterThanOrEqual(70));

  test.each(HELMS)(
    '%s writes no setting unquoted: text that reads as YAML is refused or stays a string',
    async (helm) => {
      const runs = await mapConcurrently(SETTINGS, 4, async ({ path }) => {
        const values = JSON.parse(JSON.stringify(BASE));
        setAt(values, path, PAYLOAD);
        const file = writeValues(chart().scratch, `${helm}-${path}.yaml`, values);
        const result = await runHelmAsync(helm, [
          'template',
          'kv',
          chart().dir,
          '-n',
          'kube-system',
          '--skip-schema-validation',
          '-f',
          file,
        ]);
        return { path, unquoted: /YAML parse error|error converting YAML/.test(result.stderr), stderr: result.stderr.split('\n')[0] };
      });
      expect(runs.filter((r) => r.unquoted)).toEqual([]);
    },
    600_000,
  );
});
