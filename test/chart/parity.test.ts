import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KubeVipConfigError } from '../../lib';
import { buildTestChart, byKey, HELMS, parseStream, runHelm, writeValues } from '../support/helm';
import { matrixCases } from '../support/matrix';
import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * The chart's central claim: for every matrix case, `helm template` with the values file gives
 * the objects the constructs synthesise from it (only Helm's bookkeeping labels differ, see
 * withoutBookkeeping), on helm 3 and helm 4; and a case the toolkit refuses, helm refuses too,
 * naming the same rules.
 */
describeWithTools(['helm3', 'helm4'])('chart parity with the constructs', () => {
  let chart: ReturnType<typeof buildTestChart>;
  let valuesDir: string;
  beforeAll(() => {
    chart = buildTestChart();
    valuesDir = mkdtempSync(join(tmpdir(), 'kube-vip-values-'));
  });
  afterAll(() => {
    chart?.cleanup();
    if (valuesDir) rmSync(valuesDir, { recursive: true, force: true });
  });

  const cases = matrixCases();

  describe.each(HELMS)('%s', (helm) => {
    test.each(cases.map((c) => [c.name, c.values] as const))('%s', (name, values) => {
      let expected: Record<string, unknown> | undefined;
      let refusedRules: string[] = [];
      try {
        expected = byKey(synthValues(values).cluster);
      } catch (error) {
        if (!(error instanceof KubeVipConfigError)) throw error;
        refusedRules = [...new Set(error.problems.map((p) => p.rule))];
      }

      const file = writeValues(valuesDir, `${helm}-${name}`, values);
      const result = runHelm(helm, ['template', 'kube-vip', chart.dir, '--namespace', 'kube-system', '-f', file]);

      if (expected) {
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(byKey(parseStream(result.stdout))).toEqual(expected);
      } else {
        expect(result.status).not.toBe(0);
        for (const rule of refusedRules) expect(result.stderr).toContain(`[${rule}]`);
      }
    });
  });
});
