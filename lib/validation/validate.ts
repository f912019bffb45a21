import { checkTypes, resolveValues } from '../model/resolve';
import { KubeVipValues, KubeVipValuesInput } from '../model/values';
import { checkAddresses } from './addresses';
import { checkFeatures } from './features';
import { errorsIn, KubeVipConfigError, Problem } from '../model/problem';
import { checkRules } from './check-rules';
import { Problems } from './problems';
import { CONFIG_RULES } from './rules';

/** Every semantic problem of a fully defaulted config, errors and warnings. */
export function validateValues(values: KubeVipValues): Problem[] {
  const problems = new Problems();
  checkRules(CONFIG_RULES, values, problems);
  checkFeatures(values, problems);
  checkAddresses(values, problems);
  return problems.all;
}

/** The rules about the image reference alone, for KubeVipImage to apply where an image is made. */
const IMAGE_RULES = CONFIG_RULES.filter((r) => r.severity === 'error' && !r.each && r.path.startsWith('image.'));

/**
 * What a values file with this image would be refused for, in the same words: the typed API
 * checks an image where it is made, and a values file at synthesis.
 */
export function imageProblems(image: NonNullable<KubeVipValuesInput['image']>): Problem[] {
  const types = checkTypes({ image });
  if (types.length > 0) return types;
  const problems = new Problems();
  checkRules(IMAGE_RULES, resolveValues({ image }), problems);
  return problems.all;
}

export interface Checked {
  readonly values: KubeVipValues;
  readonly warnings: readonly Problem[];
}

/**
 * Values files (several merge left to right) to a config that is safe to render. Type errors
 * stop here, since the semantic checks rely on the shapes; otherwise all errors are thrown together.
 */
export function checkValues(...inputs: unknown[]): Checked {
  const typeProblems = inputs.flatMap((input) => (input === undefined || input === null ? [] : checkTypes(input)));
  if (typeProblems.length > 0) throw new KubeVipConfigError(typeProblems);
  const values = resolveValues(...(inputs as KubeVipValuesInput[]));
  const problems = validateValues(values);
  const errors = errorsIn(problems);
  if (errors.length > 0) throw new KubeVipConfigError(errors);
  return { values, warnings: problems.filter((p) => !errors.includes(p)) };
}
