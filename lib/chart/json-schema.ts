import { IPTABLES_NEEDS } from '../kube-vip/iptables';
import { ImageVariant } from '../kube-vip/defaults';
import { Cond } from '../model/expr';
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
  const [scope, ...keys] = cond.path.split('.');
  if (scope !== 'values') throw new Error(`${cond.path}: only values. paths can be checked by the schema`);
  // Truthy as expr.ts defines it, for the types a model leaf can have.
  let leaf: JsonSchema =
    cond.equals !== undefined
      ? { const: cond.equals }
      : { anyOf: [{ const: true }, { type: 'string', minLength: 1 }, { type: 'number', not: { const: 0 } }, { type: 'array', minItems: 1 }] };
  for (const key of keys.reverse()) leaf = { properties: { [key]: leaf }, required: [key] };
  return leaf;
}
