import { Field } from '../model/schema';
import { valuesSchema } from '../model/values';

type JsonSchema = Record<string, unknown>;

/**
 * values.schema.json from the config model: the same types, enums, ranges, patterns and
 * unknown-key refusals as checkTypes. Rules between settings (the iptables image for P1-P3
 * among them) are the templates' (kube-vip.nodeRules), where a refusal can say why and how to fix it.
 */
export function valuesJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kube-vip chart values',
    ...fieldSchema(valuesSchema),
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
        ...(node.open ? {} : { additionalProperties: false }),
      };
    case 'record':
      return {
        type: 'object',
        description,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, fieldSchema(v)])),
        required: [...node.required],
        ...(node.open ? {} : { additionalProperties: false }),
      };
    case 'map':
      return {
        type: 'object',
        description,
        ...(node.keys ? { propertyNames: { pattern: node.keys.pattern } } : {}),
        additionalProperties: fieldSchema(node.values),
      };
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
