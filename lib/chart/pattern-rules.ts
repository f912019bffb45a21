import { when } from '../expr/cond';
import { Rule } from '../expr/rule';
import { Field, MapField, StringField } from '../model/schema';
import { valuesSchema } from '../model/values';

/**
 * Helm prints a refused pattern whole: an address pattern is some 2,000 characters, which buries
 * the message. For such patterns the chart's schema holds a short superset (the characters an
 * address may have), and the exact pattern is checked by the templates, with checkTypes' own
 * words (schema-pattern, "is not well formed; write <hint>"). Fields the rule language cannot
 * reach (inside two collections) keep the exact pattern in the schema.
 */

/** Patterns longer than this are loosened in the schema. */
const LONG = 200;

/** The characters an address, a CIDR, a range or a list of them is written with. */
const LOOSE = '^[0-9A-Fa-f:.,/-]+$';

interface PatternField {
  /** Path in the model, without `values.`; `[]` for the items of an array. */
  readonly path: string;
  readonly field: StringField;
}

/** Every field of the model with its path (`[]` for an array's items, `.*` for a map's values). */
function everyField(node: Field, path: string, out: { path: string; node: Field }[] = []): { path: string; node: Field }[] {
  out.push({ path, node });
  switch (node.kind) {
    case 'object':
    case 'record':
      for (const [key, child] of Object.entries(node.fields)) everyField(child, path ? `${path}.${key}` : key, out);
      break;
    case 'array':
      everyField(node.items, `${path}[]`, out);
      break;
    case 'map':
      everyField(node.values, `${path}.*`, out);
      break;
  }
  return out;
}

const ALL_FIELDS = everyField(valuesSchema, '');

/** A rule for one field, or undefined where it sits deeper than one array (or in a map). */
function ruleFor({ path, field }: PatternField): Rule | undefined {
  if (path.includes('.*')) return undefined;
  const parts = path.split('[]');
  if (parts.length > 2) return undefined;
  const [list, rest] = parts;
  const common = {
    rule: 'schema-pattern',
    severity: 'error' as const,
    message: 'is not well formed',
    fix: `write ${field.patternHint ?? 'a value of the right form'}`,
    chartOnly: true,
  };
  if (rest === undefined) {
    const at = `values.${path}`;
    return { ...common, path, when: when.all(when.set(at), when.not(when.matches(at, field.pattern!))) };
  }
  const sub = rest.replace(/^\./, '');
  const at = sub ? `item.${sub}` : 'item';
  return { ...common, path: sub, each: `values.${list}`, when: when.all(when.set(at), when.not(when.matches(at, field.pattern!))) };
}

const FIELDS: PatternField[] = ALL_FIELDS.flatMap(({ path, node }) =>
  node.kind === 'string' && node.pattern && node.pattern.length > LONG ? [{ path, field: node }] : [],
);

/**
 * Maps whose keys have a form (label keys, namespace names). Helm names a refused key at a wrong
 * field (its JSON schema library reports propertyNames at another property), so the templates
 * check the keys of the maps they can reach, in checkTypes' words (schema-key), and the schema
 * keeps the check only for maps inside a list.
 */
const KEY_FIELDS = ALL_FIELDS.filter(
  ({ path, node }) => node.kind === 'map' && node.keys && !path.includes('[]') && !path.includes('.*'),
).map(({ path }) => path);

function keyRuleFor(path: string): Rule {
  const { keys } = fieldAt(path) as MapField;
  return {
    rule: 'schema-key',
    severity: 'error',
    each: `values.${path}`,
    path: 'key',
    when: when.not(when.matches('item.key', keys!.pattern)),
    message: 'is not a valid key here',
    fix: `write ${keys!.hint}`,
    chartOnly: true,
  };
}

function fieldAt(path: string): Field {
  return path.split('.').reduce<Field>((node, key) => (node as { fields: Record<string, Field> }).fields[key], valuesSchema);
}

/** The templates' exact checks of the loosened fields, and of the keys of the maps they reach. */
export const SCHEMA_PATTERN_RULES: readonly Rule[] = [...FIELDS.flatMap((f) => ruleFor(f) ?? []), ...KEY_FIELDS.map(keyRuleFor)];

/** Maps whose keys the templates check, so the schema does not (as everyField writes paths). */
export const KEYS_IN_TEMPLATES: ReadonlySet<string> = new Set(KEY_FIELDS);

/** Schema paths (as everyField writes them) whose pattern the schema loosens, with the loose pattern. */
export const LOOSENED: ReadonlyMap<string, string> = new Map(FIELDS.filter((f) => ruleFor(f)).map((f) => [f.path, LOOSE]));
