import { PATTERNS, regexOf } from '../net/patterns';

/**
 * Kubernetes resource quantities compared as the API server compares a container's requests and
 * limits: parsed (k8s.io/apimachinery resource.ParseQuantity), which caps a value with a binary
 * suffix at 2^63-1 units but not a decimal one (16Ei equals 8Ei, 10Ei is less than 1e20); then
 * rounded up to a whole milli unit by the defaulting of every resource list
 * (SetDefaults_ResourceList) before validation compares them exactly (Quantity.Cmp).
 *
 * The chart has the same arithmetic in a Go template (lib/chart/go-template.ts, QUANTITY_HOLDS),
 * on digit strings; both are exact, so the routes agree on every input.
 */

const BINARY_BITS: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The largest quantity with a binary suffix, in milli units: 2^63-1 units. */
export const BINARY_CAP_MILLI = 9223372036854775807n * 1000n;

/** The parts of a quantity the pattern takes: digits before and after the point, and the suffix. */
const PARTS = /^\+?([0-9]*)(?:\.([0-9]*))?(.*)$/;

/** A quantity in milli units, rounded up; undefined for text that is no quantity. */
export function milliUnits(text: string): bigint | undefined {
  if (!regexOf(PATTERNS.quantity).test(text)) return undefined;
  const [, whole, fraction = '', suffix] = PARTS.exec(text)!;
  const bits = BINARY_BITS[suffix] ?? 0;
  const exponent = suffix in BINARY_BITS ? 0 : (DECIMAL_EXPONENT[suffix] ?? Number(suffix.slice(1)));
  // value = mantissa × 2^bits × 10^shift milli units; the pattern keeps |exponent| small.
  const mantissa = BigInt(whole + fraction || '0') << BigInt(bits);
  const shift = 3 - fraction.length + exponent;
  const milli = shift >= 0 ? mantissa * 10n ** BigInt(shift) : ceilDivide(mantissa, 10n ** BigInt(-shift));
  return bits > 0 && milli > BINARY_CAP_MILLI ? BINARY_CAP_MILLI : milli;
}

function ceilDivide(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** How two quantities compare (-1, 0, 1), or undefined when either is no quantity. */
export function compareQuantities(a: string, b: string): number | undefined {
  const [x, y] = [milliUnits(a), milliUnits(b)];
  if (x === undefined || y === undefined) return undefined;
  return x === y ? 0 : x > y ? 1 : -1;
}
