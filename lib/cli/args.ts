import { UsageError } from './errors';

/**
 * A small command-line parser with the conventions of Go's pflag, which kube-vip and Helm use:
 * `--name value`, `--name=value`, `-n value`, booleans as `--name` or `--name=false`, and `--`
 * to end the options. Every mistake on the line is reported at once.
 */

export type OptionKind = 'boolean' | 'string' | 'list';

export interface OptionSpec {
  /** Long name without the dashes, spelt as the user types it. */
  readonly name: string;
  /** One-letter alias. */
  readonly short?: string;
  readonly kind: OptionKind;
  /** Placeholder shown in --help, e.g. FILE. */
  readonly valueName?: string;
  readonly description: string;
}

export type OptionValue = string | boolean | string[];

export interface ParsedArgs {
  /** By long name; only the options given. */
  readonly options: ReadonlyMap<string, OptionValue>;
  /** Every option in the order given, for options whose order matters (--set after --set-string). */
  readonly sequence: readonly { readonly name: string; readonly value: string | boolean }[];
  readonly positionals: readonly string[];
}

/** Go's strconv.ParseBool, which kube-vip applies to boolean flags and env vars. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export function flagName(spec: Pick<OptionSpec, 'name'>): string {
  return `--${spec.name}`;
}

/** A value must not look like another option: `--address --port 6443` is a forgotten value. */
function looksLikeOption(arg: string): boolean {
  return arg.startsWith('--') || /^-[A-Za-z]/.test(arg);
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const options = new Map<string, OptionValue>();
  const sequence: { name: string; value: string | boolean }[] = [];
  const positionals: string[] = [];
  const errors: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-') || /^-[0-9]/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const key = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    const spec = long ? byLong.get(key) : byShort.get(key);
    if (!spec) {
      errors.push(unknownOption(arg.slice(0, arg.length - (inline === undefined ? 0 : inline.length + 1)), specs));
      continue;
    }
    const shown = long ? `--${key}` : `-${key}`;

    if (spec.kind === 'boolean') {
      if (inline === undefined) {
        record(options, sequence, errors, spec, shown, true);
      } else {
        const value = parseGoBool(inline);
        if (value === undefined) errors.push(`${shown}: "${inline}" is not a boolean; write ${shown} or ${shown}=false`);
        else record(options, sequence, errors, spec, shown, value);
      }
      continue;
    }

    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (looksLikeOption(next) && next !== '-')) {
        errors.push(
          `${shown} needs a value${next === undefined ? '' : `, but is followed by the option ${next}`}; write ${shown} ${spec.valueName ?? 'VALUE'}`,
        );
        continue;
      }
      value = next;
      i++;
    }
    record(options, sequence, errors, spec, shown, value);
  }

  if (errors.length > 0) throw new UsageError(errors);
  return { options, sequence, positionals };
}

function record(
  options: Map<string, OptionValue>,
  sequence: { name: string; value: string | boolean }[],
  errors: string[],
  spec: OptionSpec,
  shown: string,
  value: string | boolean,
): void {
  sequence.push({ name: spec.name, value });
  const previous = options.get(spec.name);
  if (spec.kind === 'list') {
    options.set(spec.name, [...((previous as string[] | undefined) ?? []), value as string]);
  } else if (previous !== undefined) {
    errors.push(`${shown} is given more than once; give it once`);
  } else {
    options.set(spec.name, value);
  }
}

function unknownOption(arg: string, specs: readonly OptionSpec[]): string {
  const near = closest(
    arg.replace(/^-+/, ''),
    specs.map((s) => s.name),
  );
  return `unknown option ${arg}${near ? ` (did you mean --${near}?)` : ''}; see --help`;
}

/** The known name within two edits of the typed one, case ignored (pflag names are case-sensitive). */
function closest(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name) as string | undefined;
}

export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  return (args.options.get(name) as string[] | undefined) ?? [];
}
