import { Field } from '../model/schema';
import { valuesSchema } from '../model/values';
import { KEYS_IN_TEMPLATES, LOOSENED } from './pattern-rules';

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
    ...fieldSchema(valuesSchema, ''),
  };
}

/** `path` as lib/chart/pattern-rules.ts writes it: dotted, `[]` for array items, `*` for map values. */
function fieldSchema(node: Field, path: string): JsonSchema {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const description = node.description;
  switch (node.kind) {
    case 'object':
      return {
        type: 'object',
        description,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, fieldSchema(v, at(k))])),
        // values.yaml sets every key, so a missing one was deleted with null: refuse that too.
        required: Object.keys(node.fields),
        ...(node.open ? {} : { additionalProperties: false }),
      };
    case 'record':
      return {
        type: 'object',
        description,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, v]) => [k, fieldSchema(v, at(k))])),
        required: [...node.required],
        ...(node.open ? {} : { additionalProperties: false }),
      };
    case 'map':
      return {
        type: 'object',
        description,
        ...(node.keys && !KEYS_IN_TEMPLATES.has(path) ? { propertyNames: { pattern: node.keys.pattern } } : {}),
        additionalProperties: fieldSchema(node.values, at('*')),
      };
    case 'array':
      return { type: 'array', description, items: fieldSchema(node.items, `${path}[]`) };
    case 'nameRef': {
      // The two forms in one schema: pattern binds a string, the object keywords an object.
      const name = fieldSchema(node.name, path);
      return {
        type: ['string', 'object'],
        description,
        ...(name.pattern ? { pattern: name.pattern } : {}),
        properties: { name: { ...name, minLength: 1 } },
        required: ['name'],
        additionalProperties: false,
      };
    }
    case 'opaque':
      return { type: node.jsonType, description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'integer':
      return { type: 'integer', description, minimum: node.minimum, maximum: node.maximum };
    case 'enum':
      return { type: 'string', description, enum: [...node.values] };
    case 'string':
      // Empty means "unset" throughout the model, so it always passes. A long pattern is loosened
      // here and checked exactly by the templates (pattern-rules.ts), so Helm's message stays short.
      return { type: 'string', description, ...(node.pattern ? { pattern: `^$|${LOOSENED.get(path) ?? node.pattern}` } : {}) };
  }
}
