import { asText, holds, lookup, Scope } from '../expr/cond';
import { Rule, Text } from '../expr/rule';
import { isPlainObject } from '../model/plain';
import { KubeVipValues } from '../model/values';
import { planWorkloads, Workload } from '../model/workloads';
import { Problems } from './problems';

/** One place a rule is checked: its scope, and the field and value it reports. */
interface Site {
  readonly scope: Scope;
  readonly path: string;
  readonly value: unknown;
}

/** The lists (or maps) a rule's `each` stands for, each with the path it is reported at: one, or one per item for `a[].b`. */
function eachLists(values: KubeVipValues, each: string): { list: unknown; at: string }[] {
  const [first, ...rest] = each.split('[].');
  let lists = [{ list: lookup({ values, workload: {} }, first), at: first.replace(/^values\./, '') }];
  for (const part of rest) {
    lists = lists.flatMap(({ list, at }) =>
      (Array.isArray(list) ? list : []).map((item, i) => ({
        list: lookup({ values, workload: {}, item }, `item.${part}`),
        at: `${at}[${i}].${part}`,
      })),
    );
  }
  return lists;
}

function sitesOf(rule: Rule, values: KubeVipValues, workloads: () => readonly Workload[]): Site[] {
  const at = (path: string) => ({ path, value: lookup({ values, workload: {} }, `values.${path}`) });
  if (rule.each) return eachLists(values, rule.each).flatMap(({ list, at: each }) => itemSites(rule, values, list, each));
  if (rule.perWorkload) return workloads().map((workload) => ({ scope: { values, workload }, ...at(rule.path) }));
  return [{ scope: { values, workload: {} }, ...at(rule.path) }];
}

/** The sites of a rule over one list or map, reported under `each`. */
function itemSites(rule: Rule, values: KubeVipValues, list: unknown, each: string): Site[] {
  if (isPlainObject(list)) {
    // A map: each entry is an item { key, value }, reported at <map>.<key>.
    return Object.keys(list)
      .sort()
      .map((key) => {
        const item = { key, value: list[key] };
        return {
          scope: { values, workload: {}, item },
          path: `${each}.${key}`,
          value: lookup({ values, workload: {}, item }, `item.${rule.path || 'value'}`),
        };
      });
  }
  const items: unknown[] = Array.isArray(list) ? list : [];
  const at = (i: number) => `${each}[${i}]${rule.path ? `.${rule.path}` : ''}`;
  if (rule.pairs) {
    return items.flatMap((item, i) =>
      items.slice(0, i).map((other) => ({
        scope: { values, workload: {}, item, other },
        path: at(i),
        value: rule.path ? lookup({ values, workload: {}, item }, `item.${rule.path}`) : item,
      })),
    );
  }
  return items.map((item, i) => ({
    scope: { values, workload: {}, item },
    path: at(i),
    value: rule.path ? lookup({ values, workload: {}, item }, `item.${rule.path}`) : item,
  }));
}

/** Words of a rule for one site: `%s` verbs read their paths, `%%` is a percent sign. */
export function textOf(text: Text, scope: Scope): string {
  if (typeof text === 'string') return text;
  const args = text.args.map((path) => asText(lookup(scope, path)));
  return text.format.replace(/%[s%]/g, (verb) => (verb === '%%' ? '%' : args.shift()!));
}

/** Reports every problem a table of rules finds in a config (chart-only rules are skipped). */
export function checkRules(rules: readonly Rule[], values: KubeVipValues, problems: Problems): void {
  // Planned once, and only if a per-workload rule asks (the metrics-port rules are 16 rows).
  let planned: readonly Workload[] | undefined;
  const workloads = () => (planned ??= planWorkloads(values));
  for (const rule of rules) {
    if (rule.chartOnly) continue;
    for (const { scope, path, value } of sitesOf(rule, values, workloads)) {
      if (holds(rule.when, scope)) problems[rule.severity](rule.rule, path, value, textOf(rule.message, scope), textOf(rule.fix, scope));
    }
  }
}
