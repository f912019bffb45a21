import * as fc from 'fast-check';
import { copyFileSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { compareQuantities, milliUnits } from '../../lib/expr/quantity';
import { runHelm, useTestChart, writeValues } from '../support/helm';
import { describeWithTools } from '../support/tools';

/**
 * How Kubernetes' own parser compares quantities (k8s.io/apimachinery v0.35.4,
 * resource.ParseQuantity then Quantity.Cmp, run once by hand): a binary quantity past 2^63-1
 * units is capped there while a decimal one is not. The API server also rounds every request
 * and limit up to a milli unit first; its answers for generated pairs are in
 * test/e2e/pass-through.test.ts.
 */
const APIMACHINERY: readonly [string, string, number][] = [
  ['1e40', '1e30', 1],
  ['9223372036854775808', '9223372036854775807', 1],
  ['16Ei', '8Ei', 0],
  ['1e19', '16Ei', 1],
  ['10Ei', '1e20', -1],
  ['1.0000000002', '1.0000000001', 0],
  ['1e-10', '1e-9', 0],
  ['0.1n', '1n', 0],
  ['999999999999999999999999999999', '1e29', 1],
  ['1e28', '16Ei', 1],
  ['0.5Ki', '512', 0],
  ['1.1Ki', '1126400m', 0],
  ['.5', '500m', 0],
  ['1.e3', '1k', 0],
  ['+1', '1000m', 0],
  ['12n', '11n', 0],
  ['1.0005', '1001m', 0],
  ['1.0015', '1001m', 1],
];

test.each(APIMACHINERY)('%s against %s compares as the API server compares (%d)', (a, b, order) => {
  expect(compareQuantities(a, b)).toBe(order);
});

test('text that is no quantity, or one past our bounds, has no value', () => {
  for (const text of ['', '-1', '1.5.5', '64MI', '1e2147483648', '1e1000', `1${'0'.repeat(40)}`, ' 1', 'Ki']) {
    expect(milliUnits(text)).toBeUndefined();
  }
  expect(milliUnits('1e999')).toBe(10n ** 1002n);
});

/** Quantities people write, and ones written to land on rounding and on the binary cap. */
const quantity = fc.oneof(
  fc
    .tuple(
      fc.bigInt({ min: 0n, max: 10n ** 15n }),
      fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'Ei', 'e3', 'e-12', 'E+2'),
    )
    .map(([n, suffix]) => `${n}${suffix}`),
  fc.tuple(fc.nat(99999), fc.nat(9999999), fc.constantFrom('', 'm', 'Ki', 'Ei', 'e-11', 'e25')).map(([w, f, s]) => `${w}.${f}${s}`),
  fc.constantFrom('0', '.5', '1.', '+3', '16Ei', '8Ei', '1e20', '0.0000000001', '0.0015', '0.0005', '9223372036854775807'),
);

describeWithTools(['helm3'])("the chart's Go template arithmetic (helm 3)", () => {
  const chart = useTestChart();

  /** A chart of only our generated helpers and a template that prints what they make of each quantity. */
  function helperChart(): string {
    const dir = join(chart().scratch, 'quantities');
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: quantities\nversion: 0.0.0\n');
    copyFileSync(join(chart().dir, 'templates', '_constants.generated.tpl'), join(dir, 'templates', '_constants.generated.tpl'));
    writeFileSync(
      join(dir, 'templates', 'out.yaml'),
      ['pairs:', '{{- range .Values.pairs }}', '- {{ include "kube-vip.milliUnits" (index . 0) | quote }}', '{{- end }}'].join('\n'),
    );
    return dir;
  }

  it('reads every quantity to the same milli units as lib/expr/quantity.ts', () => {
    const texts = fc.sample(quantity, { numRuns: 400, seed: 32 });
    const dir = helperChart();
    const values = writeValues(dir, 'values.json', { pairs: texts.map((t) => [t]) });
    const result = runHelm('helm3', ['template', dir, '-f', values]);
    expect(result.stderr).toBe('');
    const printed = [...result.stdout.matchAll(/^- "(.*)"$/gm)].map((m) => m[1]);
    expect(printed.map((digits, i) => `${texts[i]} ${digits}`)).toEqual(texts.map((t) => `${t} ${milliUnits(t)?.toString() ?? ''}`));
  });
});
