import { checkTypes, resolveValues } from '../model/resolve';
import { KubeVipValues } from '../model/values';
import { validateValues } from '../validation/validate';
import { LocatedProblem } from './output';

export interface Validated {
  /** Set when the shapes are right, so the semantic rules could run. */
  readonly values?: KubeVipValues;
  readonly problems: readonly LocatedProblem[];
}

/**
 * The library's checks on merged input, each problem told where its value came from.
 * Type problems stop here, since the semantic rules rely on the shapes.
 */
export function validateMerged(
  merged: Record<string, unknown>,
  locate: (path: string) => string | undefined,
  typeProblems: readonly LocatedProblem[] = checkTypes(merged).map((p) => ({ ...p, origin: locate(p.path) })),
): Validated {
  if (typeProblems.length > 0) return { problems: typeProblems };
  const values = resolveValues(merged);
  return { values, problems: validateValues(values).map((p) => ({ ...p, origin: locate(p.path) })) };
}
