import { regexOf } from '../net/patterns';
import { Cond, holds, lookup, Scalar, Scope, truthy } from './cond';

/**
 * Values written as data, like conditions (cond.ts): a table of derived facts (the workload
 * plan, the image) is evaluated here and compiled into the chart's Go templates
 * (lib/chart/go-template.ts), so both routes derive them the same way.
 */
export type Expr =
  /** The value at a path. */
  | { readonly read: string }
  | { readonly literal: Scalar }
  /** printf-style: `%s` prints a value, `%d` an integer, `%%` a percent sign. */
  | { readonly format: string; readonly args: readonly Expr[] }
  | { readonly if: Cond; readonly then: Expr; readonly else: Expr }
  /** The first value unless it is empty (false, 0, "", an empty list), else the second: Helm's `default`. */
  | { readonly value: Expr; readonly orElse: Expr }
  /** The strings of the list at a path, joined. */
  | { readonly join: string; readonly separator: string }
  /** The text without a leading match of `prefix`, a regular expression JavaScript and RE2 read alike. */
  | { readonly value: Expr; readonly withoutPrefix: string }
  /** The sum of integers. */
  | { readonly sum: readonly Expr[] }
  /** Whether a condition holds. */
  | { readonly test: Cond };

export const expr = {
  read: (read: string): Expr => ({ read }),
  literal: (literal: Scalar): Expr => ({ literal }),
  format: (format: string, ...args: Expr[]): Expr => ({ format, args }),
  ifElse: (cond: Cond, then: Expr, otherwise: Expr): Expr => ({ if: cond, then, else: otherwise }),
  orElse: (value: Expr, orElse: Expr): Expr => ({ value, orElse }),
  join: (join: string, separator: string): Expr => ({ join, separator }),
  withoutPrefix: (value: Expr, prefix: string): Expr => ({ value, withoutPrefix: prefix }),
  sum: (...sum: Expr[]): Expr => ({ sum }),
  test: (test: Cond): Expr => ({ test }),
};

/** The verbs of a format, in order: `s` or `d` (`%%` is no verb). */
export function verbsOf(format: string): ('s' | 'd')[] {
  return [...format.matchAll(/%([sd%])/g)].map((m) => m[1]).filter((v): v is 's' | 'd' => v !== '%');
}

export function evaluate(e: Expr, scope: Scope): unknown {
  if ('read' in e) return lookup(scope, e.read);
  if ('literal' in e) return e.literal;
  if ('format' in e) {
    const args = e.args.map((a) => evaluate(a, scope));
    return e.format.replace(/%[sd%]/g, (verb) => {
      if (verb === '%%') return '%';
      const arg = args.shift();
      return verb === '%d' ? String(Math.trunc(Number(arg))) : String(arg);
    });
  }
  if ('if' in e) return holds(e.if, scope) ? evaluate(e.then, scope) : evaluate(e.else, scope);
  if ('orElse' in e) {
    const value = evaluate(e.value, scope);
    return truthy(value) ? value : evaluate(e.orElse, scope);
  }
  if ('withoutPrefix' in e) return String(evaluate(e.value, scope)).replace(regexOf(`^(?:${e.withoutPrefix})`), '');
  if ('sum' in e) return e.sum.reduce((total: number, x) => total + Math.trunc(Number(evaluate(x, scope) ?? 0)), 0);
  if ('join' in e) {
    const list = lookup(scope, e.join);
    return (Array.isArray(list) ? list : []).join(e.separator);
  }
  return holds(e.test, scope);
}
