import { when } from '../expr/cond';
import { Rule } from '../expr/rule';
import { Field, StringField } from '../model/schema';
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

function longPatternFields(node: Field, path: string, out: PatternField[]): PatternField[] {
  switch (node.kind) {
    case 'object':
    case 'record':
      for (const [key, child] of Object.entries(node.fields)) longPatternFields(child, path ? `${path}.${key}` : key, out);
      break;
    case 'array':
      longPatternFields(node.items, `${path}[]`, out);
      break;
    case 'map':
      longPatternFields(node.values, `${path}.*`, out);
      break;
    case 'string':
      if (node.pattern && node.pattern.length > LONG) out.push({ path, field: node });
      break;
  }
  return out;
}

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

const FIELDS = longPatternFields(valuesSchema, '', []);

/** The templates' exact checks of the loosened fields. */
export const SCHEMA_PATTERN_RULES: readonly Rule[] = FIELDS.flatMap((f) => ruleFor(f) ?? []);

/** Schema paths (as longPatternFields writes them) whose pattern the schema loosens, with the loose pattern. */
export const LOOSENED: ReadonlyMap<string, string> = new Map(FIELDS.filter((f) => ruleFor(f)).map((f) => [f.path, LOOSE]));
