import { stringify } from 'yaml';
import { defaultsOf, Field, leavesOf } from '../model/schema';
import { valuesSchema } from '../model/values';

/** Word-wraps a description into comment lines. */
function comment(text: string, indent: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}# ${l}`);
}

function yamlOf(key: string, value: unknown, indent: string): string[] {
  return stringify({ [key]: value }, { lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((l) => indent + l);
}

function write(node: Field, key: string, indent: string, out: string[]): void {
  out.push(...comment(node.description, indent));
  if (node.kind === 'object') {
    out.push(`${indent}${key}:`);
    for (const [childKey, child] of Object.entries(node.fields)) write(child, childKey, `${indent}  `, out);
  } else {
    out.push(...yamlOf(key, defaultsOf(node), indent));
  }
}

/** values.yaml: the model's defaults, each key under its description. */
export function valuesYaml(): string {
  const out = [
    '# Default values of the kube-vip chart, generated from the config model (lib/model/values.ts).',
    '# values.schema.json checks every value; the chart README lists them in a table.',
  ];
  if (valuesSchema.kind !== 'object') throw new Error('the model root is an object');
  for (const [key, child] of Object.entries(valuesSchema.fields)) {
    out.push('');
    write(child, key, '', out);
  }
  return out.join('\n') + '\n';
}

function typeOf(node: Field): string {
  switch (node.kind) {
    case 'enum':
      return node.values.map((v) => `\`${v}\``).join(' | ');
    case 'array':
      if (node.items.kind === 'nameRef') return 'list of names or {name}';
      return node.items.kind === 'record' ? 'list of objects' : `list of ${typeOf(node.items)}s`;
    case 'map':
      return 'map';
    case 'opaque':
      return node.jsonType === 'array' ? 'list' : 'object';
    case 'integer':
      return `integer (${node.minimum}-${node.maximum})`;
    default:
      return node.kind;
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's values table: one row per leaf of the model. */
export function valuesTable(): string {
  const rows = ['| Key | Type | Default | Description |', '|---|---|---|---|'];
  for (const { path, field } of leavesOf(valuesSchema)) {
    const def = JSON.stringify(defaultsOf(field));
    rows.push(`| \`${path}\` | ${cell(typeOf(field))} | \`${cell(def)}\` | ${cell(field.description)} |`);
  }
  return rows.join('\n');
}
