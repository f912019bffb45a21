import { KubeVipConfigError } from '../../lib';
import { mapConcurrently } from '../support/concurrently';
import { byKey, HelmResult, HELMS, parseStream, runHelmAsync, useTestChart, writeValues } from '../support/helm';
import { matrixCases } from '../support/matrix';
import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * The chart's central claim: for every matrix case, `helm template` with the values file gives
 * the objects the constructs synthesise from it (only Helm's bookkeeping labels differ, see
 * withoutBookkeeping), on helm 3 and helm 4; a case the toolkit refuses, helm refuses too,
 * naming the same rules. Every valid case also passes `helm lint --strict`.
 */
describeWithTools(['helm3', 'helm4'])('chart parity with the constructs', () => {
  const cases = matrixCases().map((c) => {
    try {
      return { ...c, expected: byKey(synthValues(c.values).cluster), refusedRules: [] as string[] };
    } catch (error) {
      if (!(error instanceof KubeVipConfigError)) throw error;
      return { ...c, expected: undefined, refusedRules: [...new Set(error.problems.map((p) => p.rule))] };
    }
  });
  const template = new Map<string, HelmResult>();
  const lint = new Map<string, HelmResult>();
  const chart = useTestChart();

  beforeAll(async () => {
    const { dir, scratch } = chart();
    const jobs = HELMS.flatMap((helm) =>
      cases.flatMap((c) => {
        const file = writeValues(scratch, c.name, c.values);
        const key = `${helm} ${c.name}`;
        const run = [
          async () => template.set(key, await runHelmAsync(helm, ['template', 'kube-vip', dir, '-n', 'kube-system', '-f', file])),
        ];
        if (c.expected) run.push(async () => lint.set(key, await runHelmAsync(helm, ['lint', '--strict', dir, '-f', file])));
        return run;
      }),
    );
    // helm is CPU bound: about two processes per core.
    await mapConcurrently(jobs, 4, (job) => job());
  }, 600_000);

  describe.each(HELMS)('%s', (helm) => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
      const result = template.get(`${helm} ${name}`)!;
      if (c.expected) {
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(byKey(parseStream(result.stdout))).toEqual(c.expected);
        const linted = lint.get(`${helm} ${name}`)!;
        expect({ status: linted.status, out: linted.stdout + linted.stderr }).toMatchObject({ status: 0 });
        expect(linted.stdout).toContain('0 chart(s) failed');
      } else {
        expect(result.status).not.toBe(0);
        for (const rule of c.refusedRules) expect(result.stderr).toContain(`[${rule}]`);
      }
    });
  });
});
