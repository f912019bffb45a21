import { KubeVipConfigError } from '../../../lib';
import { matrixCases } from '../../support/matrix';
import { synthValues } from '../../support/synth';

type Json = Record<string, any>;

export interface SynthesisedCase {
  readonly name: string;
  readonly output: { cluster: Json[]; staticPods: Json[] };
}

/**
 * The snapshot matrix's valid cases, synthesised. The refused ones are skipped here: the
 * snapshot test asserts that each is refused for its expected rule. `extraValues` is merged
 * last (e.g. a `name` per case, so that cases can share one API server).
 */
export function validMatrixCases(extraValues: (index: number) => unknown = () => ({})): SynthesisedCase[] {
  const valid: SynthesisedCase[] = [];
  matrixCases().forEach((c, index) => {
    try {
      valid.push({ name: c.name, output: synthValues(c.values, extraValues(index)) });
    } catch (error) {
      if (!(error instanceof KubeVipConfigError)) throw error;
    }
  });
  return valid;
}

/**
 * How many cases of the matrix the model accepts (test/snapshots/matrix.ts has the rest): 288
 * since IPVS bypass is refused (36 cases with a control plane).
 */
export const VALID_MATRIX_CASES = 288;
