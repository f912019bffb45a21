import { IPTABLES_NEEDS } from '../kube-vip/iptables';
import { IMAGES, ImageVariant } from '../kube-vip/defaults';
import { parseRelease, releaseAtLeast, RELEASE_TAG_PATTERN } from '../kube-vip/releases';
import { Cond, RELEASE_TAG_PATH } from '../model/expr';
import { Field } from '../model/schema';
import { valuesSchema } from '../model/values';

type JsonSchema = Record<string, unknown>;

/**
 * values.schema.json from the config model: the same types, enums, ranges, patterns and
 * unknown-key refusals as checkTypes, plus the invariants JSON schema can state on its own.
 */
export function valuesJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kube-vip chart values',
    ...fieldSchema(valuesSchema),
    allOf: IPTABLES_NEEDS.map((need) => ({
      $comment: `${need.rule}: ${need.path} needs the kube-vip-iptables image (${need.why})`,
      if: condSchema(need.when),
      then: {
        properties: {
          image: { properties: { variant: { enum: [ImageVariant.AUTO, ImageVariant.IPTABLES] } } },
        },
      },
    })),
  };
}

function fieldSchema(node: Field): JsonSchema {
  const description = node.description;
  switch (node.kind) {
    case 'object':
      return {
        type: 'object',
        description,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, fieldSchema(v)])),
        // values.yaml sets every key, so a missing one was deleted with null: refuse that too.
        required: Object.keys(node.fields),
        additionalProperties: false,
      };
    case 'record':
      return {
        type: 'object',
        description,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, fieldSchema(v)])),
        required: [...node.required],
        additionalProperties: false,
      };
    case 'map':
      return { type: 'object', description, additionalProperties: fieldSchema(node.values) };
    case 'array':
      return { type: 'array', description, items: fieldSchema(node.items) };
    case 'opaque':
      return { type: node.jsonType, description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'integer':
      return { type: 'integer', description, minimum: node.minimum, maximum: node.maximum };
    case 'enum':
      return { type: 'string', description, enum: [...node.values] };
    case 'string':
      // Empty means "unset" throughout the model, so it always passes.
      return { type: 'string', description, ...(node.pattern ? { pattern: `^$|${node.pattern}` } : {}) };
  }
}

/** A condition over `values.` paths as a schema that matches exactly when it holds. */
export function condSchema(cond: Cond): JsonSchema {
  if ('all' in cond) return { allOf: cond.all.map(condSchema) };
  if ('any' in cond) return { anyOf: cond.any.map(condSchema) };
  if ('not' in cond) return { not: condSchema(cond.not) };
  if ('releaseAtLeast' in cond) {
    // As releases.ts reads a tag: one that is not a plain version counts as the default release.
    const newer: JsonSchema = { pattern: releaseAtLeastPattern(cond.releaseAtLeast) };
    const leaf = releaseAtLeast(IMAGES.tag, cond.releaseAtLeast) ? { anyOf: [newer, { not: { pattern: RELEASE_TAG_PATTERN } }] } : newer;
    return at(RELEASE_TAG_PATH, leaf);
  }
  // Truthy as expr.ts defines it, for the types a model leaf can have.
  const leaf: JsonSchema =
    cond.equals !== undefined
      ? { const: cond.equals }
      : { anyOf: [{ const: true }, { type: 'string', minLength: 1 }, { type: 'number', not: { const: 0 } }, { type: 'array', minItems: 1 }] };
  return at(cond.path, leaf);
}

/** A schema applying `leaf` to the value at a `values.` path, which must be present. */
function at(path: string, leaf: JsonSchema): JsonSchema {
  const [scope, ...keys] = path.split('.');
  if (scope !== 'values') throw new Error(`${path}: only values. paths can be checked by the schema`);
  let schema = leaf;
  for (const key of keys.reverse()) schema = { properties: { [key]: schema }, required: [key] };
  return schema;
}

/**
 * A regular expression (RE2 and ECMA-262 alike: helm 3 and 4 check schemas with Go's regexp)
 * matching release tags `since` or newer, as RELEASE_TAG_PATTERN writes them.
 */
export function releaseAtLeastPattern(since: string): string {
  const [major, minor, patch] = parseRelease(since)!;
  const n = '(0|[1-9][0-9]*)';
  const alternatives = [
    `${atLeastNumber(major + 1)}[.]${n}[.]${n}`,
    `${major}[.]${atLeastNumber(minor + 1)}[.]${n}`,
    `${major}[.]${minor}[.]${atLeastNumber(patch)}`,
  ];
  return `^v?(${alternatives.join('|')})$`;
}

/** Decimal numbers without leading zeros that are `n` or more. */
function atLeastNumber(n: number): string {
  const digits = String(n);
  if (n === 0) return '(0|[1-9][0-9]*)';
  // Longer numbers, or as long and, at the first digit that differs, greater.
  const alternatives = [`[1-9][0-9]{${digits.length},}`, digits];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d < 9) alternatives.push(`${digits.slice(0, i)}[${d + 1}-9]${'[0-9]'.repeat(digits.length - i - 1)}`);
  }
  return `(${alternatives.join('|')})`;
}
