import { Cond } from './cond';

/**
 * A problem written as data: when `when` holds, report `message` and `fix` at `path`. Tables of
 * rules are evaluated by lib/validation and compiled into the chart's checks by lib/chart, so the
 * two routes say the same thing in the same words.
 */
export interface Rule {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /**
   * The model field reported, without `values.`. With `each`, relative to the item (empty:
   * the item itself), reported as `<each>[<index>].<path>`.
   */
  readonly path: string;
  readonly when: Cond;
  /**
   * A list or a map in the model (a `values.` path): the rule is checked for each item, which
   * `item.` paths read. A map's item is `{ key, value }`, reported at `<each>.<key>` with the
   * value at `path` (empty: its value). `a[].b` is the lists (or maps) at b of every item of the
   * list a, reported at `a[<index>].b[<index>]`: lists in lists, as a pod's affinity has.
   */
  readonly each?: string;
  /**
   * With `each` over a list: checked for each item against every earlier one (`other.` paths
   * read the earlier), reported at the later item.
   */
  readonly pairs?: boolean;
  /** Checked once per kube-vip workload of the config, which `workload.` paths read. */
  readonly perWorkload?: boolean;
  readonly message: Text;
  readonly fix: Text;
  /** Only the chart checks it (a fact about Helm, not about the config). */
  readonly chartOnly?: boolean;
}

/** Plain words, or printf-style words whose `%s` verbs read paths (`%%` for a percent sign). */
export type Text = string | { readonly format: string; readonly args: readonly string[] };

export function format(text: string, ...args: string[]): Text {
  return { format: text, args };
}
