import { testPattern } from '../net/patterns';
import { Problem, Severity } from './problem';
import { Field } from './schema';
import { defaultValues, KubeVipValues, KubeVipValuesInput, UNSET_DEFAULTS, valuesSchema } from './values';
import { deepFreeze, isPlainObject } from './plain';

/**
 * Values files are merged the way Helm merges them: objects key by key, everything else
 * (lists, strings, numbers) replaced whole by the later file.
 */
export function mergeValues<T>(base: T, overlay: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return (overlay === undefined ? base : overlay) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] = key in merged ? mergeValues(merged[key], value) : value;
  }
  return merged as T;
}

/**
 * The defaults, made once and frozen: mergeValues copies only the maps a values file changes,
 * so every resolved config shares the rest (a fleet of deployments resolves thousands of times).
 */
let sharedDefaults: KubeVipValues | undefined;

/**
 * The defaults with the user's values on top. Call checkTypes first: this trusts the shapes.
 * Parts the inputs leave alone are the frozen defaults: treat the result as read-only.
 */
export function resolveValues(...inputs: (KubeVipValuesInput | undefined)[]): KubeVipValues {
  sharedDefaults ??= deepFreeze(defaultValues());
  const merged = inputs.reduce<KubeVipValues>((acc, input) => mergeValues(acc, input ?? {}), sharedDefaults);
  return { ...merged, name: merged.name || UNSET_DEFAULTS.name, namespace: merged.namespace || UNSET_DEFAULTS.namespace };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

/** A setting written as null: Helm deletes it and its default, and then finds it missing. */
function nullProblem(path: string, key: string): Problem {
  return {
    rule: 'schema-type',
    severity: Severity.ERROR,
    path,
    value: null,
    message: 'deletes the setting and its default (null does in Helm), which leaves it without a value',
    fix: `leave ${key} out for its default, or give it a value`,
  };
}

function typeProblem(path: string, value: unknown, expected: string): Problem {
  return {
    rule: 'schema-type',
    severity: Severity.ERROR,
    path,
    value,
    message: `is ${typeName(value)}, not ${expected}`,
    fix: `write ${expected}`,
  };
}

function keyProblem(path: string, key: string, hint: string): Problem {
  return { rule: 'schema-key', severity: Severity.ERROR, path, value: key, message: 'is not a valid key here', fix: `write ${hint}` };
}

/**
 * The checks values.schema.json makes, for callers that do not go through Helm: types, enums,
 * ranges, patterns and unknown keys (a misspelt key would otherwise be silently ignored).
 */
export function checkTypes(input: unknown, node: Field = valuesSchema, path = ''): Problem[] {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  switch (node.kind) {
    case 'object':
    case 'record': {
      if (!isPlainObject(input)) return [typeProblem(path || '(root)', input, 'a map')];
      const problems: Problem[] = [];
      for (const [key, value] of Object.entries(input)) {
        const child = node.fields[key];
        if (!child && node.open) continue;
        if (!child) {
          problems.push({
            rule: 'schema-unknown-key',
            severity: Severity.ERROR,
            path: at(key),
            value,
            message: 'is not a setting of this chart',
            fix: `remove it, or use one of: ${Object.keys(node.fields).join(', ')}`,
          });
        } else if (value === null && child.kind !== 'opaque') {
          problems.push(nullProblem(at(key), key));
        } else {
          problems.push(...checkTypes(value, child, at(key)));
        }
      }
      if (node.kind === 'record') {
        for (const key of node.required) {
          if (!(key in input)) {
            problems.push({
              rule: 'schema-required',
              severity: Severity.ERROR,
              path: at(key),
              value: undefined,
              message: 'is required',
              fix: `set ${at(key)} (${node.fields[key].description})`,
            });
          }
        }
      }
      return problems;
    }
    case 'map':
      if (!isPlainObject(input)) return [typeProblem(path, input, 'a map')];
      return Object.entries(input).flatMap(([key, value]) => [
        ...(node.keys && !testPattern(node.keys.pattern, key) ? [keyProblem(at(key), key, node.keys.hint)] : []),
        ...checkTypes(value, node.values, at(key)),
      ]);
    case 'array':
      if (!Array.isArray(input)) return [typeProblem(path, input, 'a list')];
      return input.flatMap((item, i) => checkTypes(item, node.items, `${path}[${i}]`));
    case 'opaque':
      if (node.jsonType === 'array' ? !Array.isArray(input) : !isPlainObject(input)) {
        return [typeProblem(path, input, node.jsonType === 'array' ? 'a list' : 'a map')];
      }
      return [];
    case 'boolean':
      return typeof input === 'boolean' ? [] : [typeProblem(path, input, 'true or false')];
    case 'integer':
      if (typeof input !== 'number' || !Number.isInteger(input)) return [typeProblem(path, input, 'a whole number')];
      if (input < node.minimum || input > node.maximum) {
        return [
          {
            rule: 'schema-range',
            severity: Severity.ERROR,
            path,
            value: input,
            message: `is outside ${node.minimum}-${node.maximum}`,
            fix: `use a number from ${node.minimum} to ${node.maximum}`,
          },
        ];
      }
      return [];
    case 'enum':
      if (typeof input !== 'string' || !node.values.includes(input)) {
        return [
          {
            rule: 'schema-enum',
            severity: Severity.ERROR,
            path,
            value: input,
            message: 'is not an allowed value',
            fix: `use one of: ${node.values.join(', ')}`,
          },
        ];
      }
      return [];
    case 'string':
      if (typeof input !== 'string') return [typeProblem(path, input, 'a string')];
      if (input !== '' && node.pattern && !testPattern(node.pattern, input)) {
        return [
          {
            rule: 'schema-pattern',
            severity: Severity.ERROR,
            path,
            value: input,
            message: 'is not well formed',
            fix: `write ${node.patternHint ?? `a value matching ${node.pattern}`}`,
          },
        ];
      }
      return [];
  }
}
