import { testPattern } from '../net/patterns';
import { Problem, Severity } from './problem';
import { Field, NameRefField } from './schema';
import { defaultValues, KubeVipValues, KubeVipValuesInput, UNSET_DEFAULTS, valuesSchema } from './values';
import { deepFreeze, emptyMap, hasKey, isPlainObject, isReservedKey, own, RESERVED_KEY_TEXT, reservedKeyPaths, toOwnData } from './plain';

/**
 * Values files are merged the way Helm merges them: objects key by key, everything else
 * (lists, strings, numbers) replaced whole by the later file.
 */
export function mergeValues<T>(base: T, overlay: unknown): T {
  if (overlay === undefined) return base;
  // What a layer brings is copied into maps without prototypes: the model never holds a map the
  // caller can still change, or one whose lookups reach inherited members.
  if (!isPlainObject(base) || !isPlainObject(overlay)) return toOwnData(overlay) as T;
  const merged: Record<string, unknown> = Object.assign(emptyMap(), base);
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] = hasKey(merged, key) ? mergeValues(merged[key], value) : toOwnData(value);
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
  sharedDefaults ??= deepFreeze(toOwnData(defaultValues()));
  const merged = inputs.reduce<KubeVipValues>((acc, input) => mergeValues(acc, input ?? {}), sharedDefaults);
  return Object.assign(emptyMap(), merged, {
    name: merged.name || UNSET_DEFAULTS.name,
    namespace: merged.namespace || UNSET_DEFAULTS.namespace,
  }) as KubeVipValues;
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

/** A key JavaScript reserves, anywhere in the input (free-form maps included): refused before anything reads it. */
function reservedKeyProblem(path: string): Problem {
  return { rule: 'schema-key-reserved', severity: Severity.ERROR, path, value: path.split('.').pop(), ...RESERVED_KEY_TEXT };
}

function keyProblem(path: string, key: string, hint: string): Problem {
  return { rule: 'schema-key', severity: Severity.ERROR, path, value: key, message: 'is not a valid key here', fix: `write ${hint}` };
}

/**
 * The checks values.schema.json makes, for callers that do not go through Helm: types, enums,
 * ranges, patterns and unknown keys (a misspelt key would otherwise be silently ignored).
 */
export function checkTypes(input: unknown, node: Field = valuesSchema, path = ''): Problem[] {
  // Keys JavaScript reserves are refused wherever they stand, typed fields, free-form Kubernetes
  // data and values of the wrong type alike; the type checks then read only the other keys.
  return [...reservedKeyPaths(input, path).map(reservedKeyProblem), ...typeProblems(input, node, path)];
}

/**
 * A LocalObjectReference: a name, or {name: ...} as a pod spec writes it. The API server refuses
 * an entry with any other field ("only name may be set"), and one without a name names nothing.
 */
function nameRefProblems(input: unknown, node: NameRefField, path: string): Problem[] {
  if (typeof input === 'string') return typeProblems(input, node.name, path);
  if (!isPlainObject(input)) return [typeProblem(path, input, 'a name or a map with only name')];
  const hint = node.name.patternHint ?? 'a name';
  const problems: Problem[] = Object.keys(input)
    .filter((key) => key !== 'name' && !isReservedKey(key))
    .map((key) => ({
      rule: 'schema-unknown-key',
      severity: Severity.ERROR,
      path: `${path}.${key}`,
      value: input[key],
      message: 'is not a field of a reference: a LocalObjectReference has only name, and the API server refuses any other',
      fix: `remove it: write {name: <name>}, or just the name`,
    }));
  const at = `${path}.name`;
  if (!hasKey(input, 'name')) {
    problems.push({
      rule: 'schema-required',
      severity: Severity.ERROR,
      path: at,
      value: undefined,
      message: 'is required',
      fix: `set ${at} (${node.name.description}), or write just the name`,
    });
  } else if (input.name === '') {
    problems.push({
      rule: 'schema-pattern',
      severity: Severity.ERROR,
      path: at,
      value: '',
      message: 'is empty: a reference without a name names nothing, and the API server refuses it',
      fix: `write ${hint}, or remove the entry`,
    });
  } else if (input.name !== null) {
    problems.push(...typeProblems(input.name, node.name, at));
  } else {
    problems.push(typeProblem(at, null, 'a string'));
  }
  return problems;
}

function typeProblems(input: unknown, node: Field, path: string): Problem[] {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  switch (node.kind) {
    case 'object':
    case 'record': {
      if (!isPlainObject(input)) return [typeProblem(path || '(root)', input, 'a map')];
      const problems: Problem[] = [];
      for (const [key, value] of Object.entries(input)) {
        if (isReservedKey(key)) continue; // checkTypes reports it
        const child = own(node.fields, key);
        if (!child && node.open) {
          // A field the model passes through as it is: only its keys are checked here.
          continue;
        }
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
          problems.push(...typeProblems(value, child, at(key)));
        }
      }
      if (node.kind === 'record') {
        for (const key of node.required) {
          if (!hasKey(input, key)) {
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
      return Object.entries(input).flatMap(([key, value]) =>
        isReservedKey(key)
          ? [] // checkTypes reports it
          : [
              ...(node.keys && !testPattern(node.keys.pattern, key) ? [keyProblem(at(key), key, node.keys.hint)] : []),
              ...typeProblems(value, node.values, at(key)),
            ],
      );
    case 'array':
      if (!Array.isArray(input)) return [typeProblem(path, input, 'a list')];
      return input.flatMap((item, i) => typeProblems(item, node.items, `${path}[${i}]`));
    case 'nameRef':
      return nameRefProblems(input, node, path);
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
