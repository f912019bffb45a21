import { OptionSpec } from './args';

export interface HelpSection {
  readonly title: string;
  readonly lines: readonly string[];
}

export interface HelpText {
  readonly usage: readonly string[];
  readonly summary: readonly string[];
  readonly options: readonly OptionSpec[];
  readonly sections?: readonly HelpSection[];
}

const WIDTH = 100;

function optionLabel(spec: OptionSpec): string {
  const names = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}`;
  return spec.kind === 'boolean' ? names : `${names} ${spec.valueName ?? 'VALUE'}`;
}

/** Words filled to the width, continuation lines indented by `indent`. */
export function wrap(text: string, indent: number, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = line.length > 0 && !line.endsWith(' ') ? `${line} ${word}` : line + word;
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

/** `  --name VALUE   description` rows, descriptions aligned and wrapped. */
export function optionRows(specs: readonly OptionSpec[]): string[] {
  const labels = specs.map(optionLabel);
  const column = Math.min(34, Math.max(...labels.map((l) => l.length)) + 4);
  return specs.flatMap((spec, i) => {
    const label = `  ${labels[i]}`;
    const first = label.length + 2 > column ? [label] : [];
    const start = first.length > 0 ? ' '.repeat(column) : label.padEnd(column);
    return [...first, ...wrap(spec.description, column, start)];
  });
}

export function formatHelp(help: HelpText): string {
  const lines = [
    ...help.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}${u}`),
    '',
    ...help.summary.flatMap((p) => [...wrap(p, 0), '']),
    'Options:',
    ...optionRows(help.options),
  ];
  for (const section of help.sections ?? []) lines.push('', `${section.title}:`, ...section.lines);
  return `${lines.join('\n')}\n`;
}
