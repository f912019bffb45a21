import { OptionSpec, parseGoBool, ParsedArgs } from '../args';
import { UsageError } from '../errors';
import { envOfFlag, helpOfFlag, KUBE_VIP_FLAGS, KubeVipFlag, OWN_FLAGS } from './kube-vip-flags';

export type FlagScalar = boolean | string | number | string[];

export interface FlagValue {
  readonly value: FlagScalar;
  /** `--name`, or `env NAME` when the value came from kube-vip's env var. */
  readonly origin: string;
  /** An env var that was set as well, and lost to the flag. */
  readonly shadowedEnv?: { readonly name: string; readonly value: string };
}

export type FlagValues = ReadonlyMap<string, FlagValue>;

const ALL_FLAGS: readonly KubeVipFlag[] = [...KUBE_VIP_FLAGS, ...OWN_FLAGS];

export function flagSpecs(): OptionSpec[] {
  return ALL_FLAGS.map((flag) => ({
    name: flag.name,
    short: flag.short,
    kind: flag.kind === 'integer' ? 'string' : flag.kind,
    valueName: flag.kind === 'integer' ? 'N' : flag.kind === 'boolean' ? undefined : 'VALUE',
    description: helpOfFlag(flag),
  }));
}

function convert(flag: KubeVipFlag, raw: string | boolean | string[], shown: string): FlagScalar | string {
  switch (flag.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const parsed = parseGoBool(raw as string);
      return parsed ?? `${shown}: "${raw}" is not a boolean (true, false, 1, 0)`;
    }
    case 'integer':
      return /^[+-]?[0-9]+$/.test(raw as string) ? Number(raw) : `${shown}: "${raw}" is not a whole number`;
    case 'list':
      // pflag's string slices split each value at commas, as kube-vip splits its env var.
      return (Array.isArray(raw) ? raw : [raw as string])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
    default:
      return raw as string;
  }
}

/**
 * The flags given, and for the others kube-vip's env vars (an empty one counts as unset, as in
 * kube-vip). A flag wins over its env var, as in kube-vip's newest releases (v1.2 let the env win).
 */
export function readFlags(args: ParsedArgs, env: NodeJS.ProcessEnv): FlagValues {
  const values = new Map<string, FlagValue>();
  const errors: string[] = [];
  for (const flag of ALL_FLAGS) {
    const envName = envOfFlag(flag);
    const envText = envName ? env[envName] : undefined;
    const envValue = envName && envText ? { name: envName, value: envText } : undefined;
    const given = args.options.get(flag.name);
    if (given !== undefined) {
      const value = convert(flag, given, `--${flag.name}`);
      if (typeof value === 'string' && flag.kind !== 'string') errors.push(value);
      else values.set(flag.name, { value, origin: `--${flag.name}`, shadowedEnv: envValue });
    } else if (envValue) {
      const value = convert(flag, envValue.value, `env ${envValue.name}`);
      if (typeof value === 'string' && flag.kind !== 'string') errors.push(value);
      else values.set(flag.name, { value, origin: `env ${envValue.name}` });
    }
  }
  if (errors.length > 0) throw new UsageError(errors);
  return values;
}
