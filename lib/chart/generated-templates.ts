import { stringify } from 'yaml';
import { BGP_PASSWORDS_WHEN, bgpPeerPasswordEnvName, EnvRule, ENV_RULES, MANAGED_ENV_NAMES } from '../kube-vip/env';
import { IPTABLES_NEEDS, STANDARD_IMAGE_REFUSAL } from '../kube-vip/iptables';
import { Grant, GrantScope, RBAC_GRANTS } from '../kube-vip/rbac';
import { IMAGES, ImageVariant, KUBE_VIP_DEFAULTS, KUBECONFIG_HOST_PATHS } from '../kube-vip/defaults';
import {
  CONTROL_PLANE_SCHEDULING,
  DEFAULT_UPDATE_STRATEGY,
  HOST_KUBECONFIG_VOLUME,
  LOCAL_API_SERVER_ALIAS,
  SECURITY_CONTEXTS,
  RUN_VOLUME,
} from '../kube-vip/pod';
import { CLOUD_PROVIDER_ENV, CLOUD_PROVIDER_GRANTS, CLOUD_PROVIDER_SECURITY_CONTEXT, POOL_SHADOWED } from '../kube-vip/cloud-provider';
import { CLOUD_PROVIDER_PLAN } from '../render/cloud-provider';
import { Expr } from '../expr/value';
import { CONTAINER_PORTS, LIVENESS_PROBE } from '../render/pod';
import { ENV_NOT_READ, NODE_RULES, RELEASE_UNKNOWN } from '../kube-vip/node-rules';
import { ENV_SINCE, RELEASE_TAG_PATH, RELEASE_TAG_PATTERN } from '../kube-vip/releases';
import { Rule, Text } from '../expr/rule';
import { CONFIG_RULES } from '../validation/rules';
import { GROUP_METRICS_STEP, IMAGE_CHOICE, NO_GROUP, WORKLOAD_FACTS, WORKLOAD_SLOTS } from '../model/workloads';
import { ROLE_PLAN, RoleSlot } from '../render/rbac';
import { eachField, fieldAt } from '../model/schema';
import { valuesSchema } from '../model/values';
import { SCHEMA_PATTERN_RULES } from './pattern-rules';
import { addressTemplates } from './address-template';
import { IP_HELPERS } from './ip-template';
import { condExpr, DOT, LANGUAGE_HELPERS, pathExpr, Roots, stringExpr, valueExpr, versionAtLeastExpr } from './go-template';

/**
 * Chart templates generated from the tables (lib/kube-vip, lib/validation/rules.ts), so the
 * chart cannot drift from the TypeScript renderer and validator: the env list, the RBAC rules,
 * which features need the iptables image, the checks with their messages, and the constants
 * the hand-written templates use.
 */

const HEADER =
  '{{- /* Generated from the tables of lib/kube-vip and lib/validation by the chart build. Do not edit: change the tables instead. */ -}}\n';

function envEntry(rule: EnvRule, roots: Roots = DOT): string {
  const from = rule.from;
  if ('fieldRef' in from) return `- name: ${rule.name}\n  valueFrom:\n    fieldRef:\n      fieldPath: ${from.fieldRef}`;
  if ('literal' in from) return `- name: ${rule.name}\n  value: ${JSON.stringify(from.literal)}`;
  if ('test' in from) return `- name: ${rule.name}\n  value: {{ if ${condExpr(from.test, roots)} }}"true"{{ else }}"false"{{ end }}`;
  return `- name: ${rule.name}\n  value: {{ ${stringExpr(from.path, roots)} | quote }}`;
}

/** `kube-vip.env` (dict "values" .Values "workload" $workload): the container's env list. */
function envTemplate(): string {
  const parts = [
    '{{- define "kube-vip.env" -}}',
    '{{- /* BGP passwords first: bgp_peers refers to them, and Kubernetes expands only earlier vars. */}}',
    `{{- if ${condExpr(BGP_PASSWORDS_WHEN)} }}`,
    '{{- range $i, $peer := .values.announce.bgp.peers }}',
    '{{- with $peer.password }}',
    '- name: {{ include "kube-vip.bgpPasswordEnvName" $i }}',
    '  valueFrom:',
    '    secretKeyRef:',
    '      name: {{ .name | quote }}',
    '      key: {{ .key | quote }}',
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
  ];
  for (const rule of ENV_RULES) {
    if (rule.when) parts.push(`{{- if ${condExpr(rule.when)} }}`, envEntry(rule), '{{- end }}');
    else parts.push(envEntry(rule));
  }
  parts.push('{{- with .values.extraEnv }}', '{{ toYaml . }}', '{{- end }}', '{{- end }}');
  return parts.join('\n');
}

/**
 * `<define>` (dict "values" $values "scope" SCOPE): the rules of one role from a table of grants
 * (lib/kube-vip/rbac.ts, lib/kube-vip/cloud-provider.ts), each under its condition.
 */
function rbacTemplate(define: string, table: readonly Grant[], roots: Roots = DOT): string {
  const parts = [`{{- define ${JSON.stringify(define)} -}}`];
  for (const scope of Object.values(GrantScope)) {
    const grants = table.filter((g) => g.scope === scope);
    if (grants.length === 0) continue;
    parts.push(`{{- if eq .scope ${JSON.stringify(scope)} }}`);
    for (const grant of grants) {
      const names = grant.resourceNames
        ? [`  resourceNames: {{ list ${grant.resourceNames.map((n) => valueExpr(n, roots)).join(' ')} | toJson }}`]
        : [];
      const rule = [
        `- apiGroups: ${JSON.stringify(grant.apiGroups)}`,
        `  resources: ${JSON.stringify(grant.resources)}`,
        ...names,
        `  verbs: ${JSON.stringify(grant.verbs)}`,
      ].join('\n');
      const always = 'all' in grant.when && grant.when.all.length === 0;
      if (always) parts.push(`{{- /* ${grant.why} */}}`, rule);
      else parts.push(`{{- if ${condExpr(grant.when, roots)} }}`, `{{- /* ${grant.why} */}}`, rule, '{{- end }}');
    }
    parts.push('{{- end }}');
  }
  parts.push('{{- end }}');
  return parts.join('\n');
}

/**
 * `kube-vip.iptablesNeeds` (dict "values" .Values): JSON {"items": [{rule, path, why}]} of the
 * enabled features that need the iptables image.
 */
function iptablesTemplate(): string {
  const parts = ['{{- define "kube-vip.iptablesNeeds" -}}', '{{- $needs := list }}'];
  for (const need of IPTABLES_NEEDS) {
    const item = `(dict "rule" ${JSON.stringify(need.rule)} "path" ${JSON.stringify(need.path)} "why" ${JSON.stringify(need.why)})`;
    parts.push(`{{- if ${condExpr(need.when)} }}`, `{{- $needs = append $needs ${item} }}`, '{{- end }}');
  }
  parts.push('{{- dict "items" $needs | toJson }}', '{{- end }}');
  return parts.join('\n');
}

/**
 * `kube-vip.ipamProblems` (the chart's root context): JSON {"items": [...]} of the
 * ipam-pool-shadowed problems, with the validator's own texts (printf verbs stand for the
 * shadowing field and the namespace).
 */
function ipamProblemsTemplate(): string {
  const { rule, message, globalFix, namespaceFix } = POOL_SHADOWED;
  const q = JSON.stringify;
  const problem = (path: string, value: string, msg: string, fix: string) =>
    `{{- $p = append $p (include "kube-vip.problem" (dict "rule" ${q(rule)} "path" ${path} "value" ${value} "message" ${msg} "fix" ${fix})) }}`;
  return [
    '{{- define "kube-vip.ipamProblems" -}}',
    '{{- $ipam := .Values.ipam }}',
    '{{- $p := list }}',
    '{{- if $ipam.enabled }}',
    '{{- if and $ipam.global.cidrs $ipam.global.ranges }}',
    problem(q('ipam.global.ranges'), '$ipam.global.ranges', q(message('ipam.global.cidrs')), q(globalFix)),
    '{{- end }}',
    '{{- range $ns := keys $ipam.namespaces | sortAlpha }}',
    '{{- $pool := get $ipam.namespaces $ns }}',
    '{{- $shadow := "" }}',
    '{{- if $pool.cidrs }}{{ $shadow = printf "ipam.namespaces.%s.cidrs" $ns }}{{ else if $ipam.global.cidrs }}{{ $shadow = "ipam.global.cidrs" }}{{ end }}',
    '{{- if and $pool.ranges $shadow }}',
    problem(
      '(printf "ipam.namespaces.%s.ranges" $ns)',
      '$pool.ranges',
      `(printf ${q(message('%s'))} $shadow)`,
      `(printf ${q(namespaceFix('%[1]s', '%[2]s'))} $ns $shadow)`,
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
    '{{- dict "items" $p | toJson }}',
    '{{- end }}',
  ].join('\n');
}

/** A rule's words as a Go expression: plain words quoted, `%s` verbs given their paths. */
function textExpr(text: Text, roots: Roots): string {
  if (typeof text === 'string') return JSON.stringify(text);
  return `(printf ${JSON.stringify(text.format)} ${text.args.map((path) => `(${stringExpr(path, roots)})`).join(' ')})`;
}

/**
 * The template lines that check a table of rules (lib/expr/rule.ts) and append each problem to
 * `$errors` or `$warnings`. They read `$.values`, and `$.workloads` for per-workload rules.
 */
function ruleLines(rules: readonly Rule[]): string[] {
  const q = JSON.stringify;
  return rules.flatMap((rule) => {
    const roots: Roots = {
      values: '$.values',
      workload: rule.perWorkload ? '$workload' : '$.workload',
      ...(rule.each ? { item: { expr: '$item', list: rule.each } } : {}),
      ...(rule.pairs ? { other: '$other' } : {}),
    };
    const list = rule.severity === 'error' ? '$errors' : '$warnings';
    const check = (path: string, value: string) => {
      const problem = `(include "kube-vip.problem" (dict "rule" ${q(rule.rule)} "path" ${path} "value" ${value} "message" ${textExpr(rule.message, roots)} "fix" ${textExpr(rule.fix, roots)}))`;
      return [`{{- if ${condExpr(rule.when, roots)} }}`, `{{- ${list} = append ${list} ${problem} }}`, '{{- end }}'];
    };
    if (!rule.each) {
      const lines = check(q(rule.path), pathExpr(`values.${rule.path}`, roots, 'nil'));
      return rule.perWorkload ? ['{{- range $workload := $.workloads }}', ...lines, '{{- end }}'] : lines;
    }
    // `a[].b`: a range over the outer lists first, their indices ($e0, $e1, ...) in the path reported.
    const [first, ...inner] = rule.each.split('[].');
    const outer = inner.map((part, n) => ({ part, index: `$e${n}`, item: `$o${n}` }));
    const each = [first.replace(/^values\./, ''), ...inner].join('[%d].');
    const indices = outer.map((o) => `${o.index} `).join('');
    // Over a map, $i is the key (range visits keys in sorted order, as the validator does).
    const overMap = (items: string) => [
      `{{- range $i, $v := ${items} }}`,
      '{{- $item := dict "key" $i "value" $v }}',
      ...check(`(printf ${q(`${each}.%s`)} ${indices}$i)`, pathExpr(`item.${rule.path || 'value'}`, roots, 'nil')),
      '{{- end }}',
    ];
    const itemCheck = check(
      `(printf ${q(`${each}[%d]${rule.path ? `.${rule.path}` : ''}`)} ${indices}$i)`,
      rule.path ? pathExpr(`item.${rule.path}`, roots, 'nil') : '$item',
    );
    const overList = (items: string) =>
      rule.pairs
        ? [
            `{{- range $i, $item := ${items} }}`,
            `{{- range $k, $other := ${items} }}`,
            '{{- if lt $k $i }}',
            ...itemCheck,
            '{{- end }}',
            '{{- end }}',
            '{{- end }}',
          ]
        : [`{{- range $i, $item := ${items} }}`, ...itemCheck, '{{- end }}'];
    if (outer.length > 0) {
      // Typed records leave out what is not given: every step reads with dig, absent = no items.
      const keys = (path: string) =>
        path
          .split('.')
          .map((k) => q(k))
          .join(' ');
      const lines: string[] = [];
      let from = `(default (list) ${pathExpr(first, roots)})`;
      for (const o of outer) {
        lines.push(`{{- range ${o.index}, ${o.item} := ${from} }}`);
        from = `(default (list) (dig ${keys(o.part)} "" ${o.item}))`;
      }
      const kind = eachField(valuesSchema, rule.each.replace(/^values\./, ''))?.kind;
      if (kind !== 'array') throw new Error(`${rule.each}: a nested each must end in a list of the model`);
      return [...lines, ...overList(from), ...outer.map(() => '{{- end }}')];
    }
    const kind = fieldAt(valuesSchema, rule.each.replace(/^values\./, ''))?.kind;
    // A list inside a record is read with dig, which gives "" when it is absent: no items.
    const items = (empty: string) =>
      pathExpr(rule.each!, roots).startsWith('(dig ') ? `(default ${empty} ${pathExpr(rule.each!, roots)})` : pathExpr(rule.each!, roots);
    if (kind === 'map') return overMap(items('(dict)'));
    if (kind === 'array') return overList(items('(list)'));
    // Free-form data (a container's resources): a map or a list as the input has it, as the validator reads it.
    return [
      `{{- $each := ${pathExpr(rule.each, roots)} }}`,
      '{{- if kindIs "map" $each }}',
      ...overMap('$each'),
      '{{- else if kindIs "slice" $each }}',
      ...overList('$each'),
      '{{- end }}',
    ];
  });
}

/**
 * `kube-vip.configRules` (dict "values" .Values "workloads" $workloads): JSON {"errors": [...],
 * "warnings": [...]} of the rules of lib/validation/rules.ts, with the validator's own texts.
 */
function configRulesTemplate(): string {
  return [
    '{{- define "kube-vip.configRules" -}}',
    '{{- $errors := list }}',
    '{{- $warnings := list }}',
    ...ruleLines([...SCHEMA_PATTERN_RULES, ...CONFIG_RULES]),
    '{{- dict "errors" $errors "warnings" $warnings | toJson }}',
    '{{- end }}',
  ].join('\n');
}

/**
 * `kube-vip.nodeRules` (dict "values" .Values): JSON {"errors": [...], "warnings": [...]} of what
 * real kube-vip would do with these values (NODE_RULES), the extraEnv variables the release does
 * not read (ENV_SINCE), and a tag that is not a release: the validator's own texts.
 */
function nodeRulesTemplate(): string {
  const q = JSON.stringify;
  const add = (list: string, rule: string, path: string, value: string, message: string, fix: string) =>
    `{{- $${list} = append $${list} (include "kube-vip.problem" (dict "rule" ${q(rule)} "path" ${path} "value" ${value} "message" ${message} "fix" ${fix})) }}`;
  const tag = pathExpr(RELEASE_TAG_PATH);
  const since = Object.fromEntries(Object.entries(ENV_SINCE).map(([name, fact]) => [name, fact.since]));
  const parts = ['{{- define "kube-vip.nodeRules" -}}', '{{- $errors := list }}', '{{- $warnings := list }}'];
  // P1-P3 against image.variant: standard (auto picks the iptables image where it is needed).
  for (const need of IPTABLES_NEEDS) {
    parts.push(
      `{{- if and (eq ${pathExpr('values.image.variant')} ${q(ImageVariant.STANDARD)}) ${condExpr(need.when)} }}`,
      add(
        'errors',
        need.rule,
        q(need.path),
        pathExpr(`values.${need.path}`),
        `(printf ${q(STANDARD_IMAGE_REFUSAL.message(need, '%s'))} ${tag})`,
        q(STANDARD_IMAGE_REFUSAL.fix),
      ),
      '{{- end }}',
    );
  }
  parts.push(...ruleLines(NODE_RULES));
  parts.push(
    `{{- $since := ${q(q(since))} | fromJson }}`,
    '{{- range $i, $env := .values.extraEnv }}',
    '{{- $first := get $since (toString $env.name) }}',
    '{{- /* A managed name is refused as such already (extra-env-managed). */}}',
    '{{- if has (toString $env.name) (include "kube-vip.managedEnvNames" $ | fromJson).items }}{{ $first = "" }}{{ end }}',
    `{{- if and $first (not ${versionAtLeastExpr(RELEASE_TAG_PATH, '(printf ">=%s" (trimPrefix "v" $first))', IMAGES.tag, { values: '$.values', workload: '$.workload' })}) }}`,
    add(
      'errors',
      ENV_NOT_READ.rule,
      '(printf "extraEnv[%d].name" $i)',
      '$env.name',
      `(printf ${q(ENV_NOT_READ.message('%[1]s', '%[2]s'))} $first $${tag})`,
      `(printf ${q(ENV_NOT_READ.fix('%s'))} $first)`,
    ),
    '{{- end }}',
    '{{- end }}',
    `{{- if and ${tag} (not (regexMatch ${q(RELEASE_TAG_PATTERN)} ${tag})) }}`,
    add('warnings', RELEASE_UNKNOWN.rule, q(RELEASE_UNKNOWN.path), tag, q(RELEASE_UNKNOWN.message), q(RELEASE_UNKNOWN.fix)),
    '{{- end }}',
    '{{- dict "errors" $errors "warnings" $warnings | toJson }}',
    '{{- end }}',
  );
  return parts.join('\n');
}

/**
 * `kube-vip.image` (the chart's root context): JSON {variant, reference, needs} from the
 * model's IMAGE_CHOICE, with the needs of kube-vip.iptablesNeeds.
 */
function imageTemplate(): string {
  const roots: Roots = { values: '.Values', workload: '.workload' };
  return [
    '{{- define "kube-vip.image" -}}',
    '{{- $needs := (include "kube-vip.iptablesNeeds" (dict "values" .Values) | fromJson).items }}',
    `{{- dict "variant" ${valueExpr(IMAGE_CHOICE.variant, roots)} "reference" ${valueExpr(IMAGE_CHOICE.reference, roots)} "needs" $needs | toJson }}`,
    '{{- end }}',
  ].join('\n');
}

/**
 * `kube-vip.workloads` (the chart's root context): JSON {"items": [...]} of the workloads of
 * the model's plan (WORKLOAD_SLOTS, then WORKLOAD_FACTS in order), the "workload." facts the
 * env, RBAC and rule templates read. The values it reads carry the release's name and namespace.
 */
function workloadsTemplate(): string {
  const roots: Roots = { values: '$values', workload: '$workload', releaseNames: true };
  const parts = [
    '{{- define "kube-vip.workloads" -}}',
    '{{- $values := include "kube-vip.releaseValues" . | fromJson }}',
    '{{- $items := list }}',
  ];
  const q = JSON.stringify;
  parts.push(`{{- $noGroup := ${q(q(NO_GROUP))} | fromJson }}`);
  for (const slot of WORKLOAD_SLOTS) {
    const fields = (['name', 'controlPlane', 'services'] as const).map(
      (key) => `{{- $_ := set $workload ${q(key)} ${valueExpr(slot[key], roots)} }}`,
    );
    parts.push(`{{- if ${condExpr(slot.when, roots)} }}`, '{{- $groups := list $noGroup }}');
    // groupsOf (lib/model/workloads.ts): one workload per node group, NO_GROUP's fields where a group leaves them out.
    if (slot.perNodeGroup) {
      parts.push(
        '{{- if $values.nodeGroups }}',
        '{{- $groups = list }}',
        '{{- range $i, $group := $values.nodeGroups }}',
        `{{- $groups = append $groups (merge (dict "metricsOffset" (mul $i ${GROUP_METRICS_STEP})) (deepCopy $group) (deepCopy $noGroup)) }}`,
        '{{- end }}',
        '{{- end }}',
      );
    }
    parts.push(
      '{{- range $group := $groups }}',
      `{{- $workload := dict "kind" ${q(slot.kind)} "group" $group }}`,
      ...fields,
      '{{- $_ := set $workload "nodeSelector" (merge (dict) (deepCopy $group.nodeSelector) (deepCopy $values.scheduling.nodeSelector)) }}',
      '{{- $items = append $items $workload }}',
      '{{- end }}',
      '{{- end }}',
    );
  }
  parts.push(
    '{{- $image := include "kube-vip.image" . | fromJson }}',
    '{{- $peers := include "kube-vip.bgpPeers" . }}',
    '{{- range $workload := $items }}',
    ...WORKLOAD_FACTS.map(({ fact, value }) => `{{- $_ := set $workload ${JSON.stringify(fact)} ${valueExpr(value, roots)} }}`),
    '{{- $_ := set $workload "bgpPeers" $peers }}',
    '{{- $_ := set $workload "image" $image }}',
    '{{- end }}',
    '{{- dict "items" $items | toJson }}',
    '{{- end }}',
  );
  return parts.join('\n');
}

/** A role plan as Go: JSON {"items": [...]} of its roles with their names and namespaces. */
function rolesExpr(plan: readonly RoleSlot[], roots: Roots): string {
  const roles = plan.map((role) => {
    const namespace = role.namespace ? ` "namespace" ${valueExpr(role.namespace, roots)}` : '';
    return `(dict "scope" ${JSON.stringify(role.scope)} "kind" ${JSON.stringify(role.kind)} "name" ${valueExpr(role.name, roots)}${namespace})`;
  });
  return `{{- dict "items" (list ${roles.join(' ')}) | toJson }}`;
}

/** `kube-vip.rolePlan` (dict "workload" $workload): JSON {"items": [...]} of ROLE_PLAN (lib/render/rbac.ts). */
function rolePlanTemplate(): string {
  return ['{{- define "kube-vip.rolePlan" -}}', rolesExpr(ROLE_PLAN, { values: '.values', workload: '.workload' }), '{{- end }}'].join(
    '\n',
  );
}

/**
 * The cloud provider's derivations (lib/render/cloud-provider.ts): `kube-vip.cloudProvider.plan`
 * (the chart's root context) JSON {name, image, selectorLabels, labels, command, roles}; the
 * others called with (dict "values" $values), $values from kube-vip.releaseValues:
 * `kube-vip.cloudProvider.env` its env list, `kube-vip.cloudProvider.rbacRules` a role's rules,
 * and the constants the template writes as they are.
 */
function cloudProviderTemplate(): string {
  const roots: Roots = { values: '.values', workload: '.workload', releaseNames: true };
  const planRoots: Roots = { ...roots, values: '$values' };
  const plan = CLOUD_PROVIDER_PLAN;
  const record = (r: Record<string, Expr>, at: Roots) =>
    `(dict ${Object.entries(r)
      .map(([k, v]) => `${JSON.stringify(k)} ${valueExpr(v, at)}`)
      .join(' ')})`;
  const entries = CLOUD_PROVIDER_ENV.map((rule) =>
    rule.when ? [`{{- if ${condExpr(rule.when, roots)} }}`, envEntry(rule, roots), '{{- end }}'].join('\n') : envEntry(rule, roots),
  );
  return [
    '{{- define "kube-vip.cloudProvider.plan" -}}',
    '{{- $values := include "kube-vip.releaseValues" . | fromJson }}',
    `{{- $roles := (include "kube-vip.cloudProvider.roles" (dict "values" $values)) | fromJson }}`,
    `{{- dict "name" ${valueExpr(plan.name, planRoots)} "image" ${valueExpr(plan.image, planRoots)} "selectorLabels" ${record(plan.selectorLabels, planRoots)} "labels" ${record(plan.labels, planRoots)} "command" (list ${plan.command.map((c) => valueExpr(c, planRoots)).join(' ')}) "roles" $roles.items | toJson }}`,
    '{{- end }}',
    '{{- define "kube-vip.cloudProvider.roles" -}}',
    rolesExpr(plan.roles, roots),
    '{{- end }}',
    '{{- define "kube-vip.cloudProvider.env" -}}',
    ...entries,
    '{{- end }}',
    rbacTemplate('kube-vip.cloudProvider.rbacRules', CLOUD_PROVIDER_GRANTS, roots),
    `{{- define "kube-vip.cloudProvider.livenessProbe" -}}\n${stringify(plan.livenessProbe).trim()}\n{{- end }}`,
    `{{- define "kube-vip.cloudProvider.securityContext" -}}\n${stringify(CLOUD_PROVIDER_SECURITY_CONTEXT).trim()}\n{{- end }}`,
  ].join('\n');
}

function constantsTemplate(): string {
  const define = (name: string, body: string) => `{{- define "${name}" -}}\n${body}\n{{- end }}`;
  const json = (value: unknown) => JSON.stringify(value);
  return [
    "{{- /* kube-vip.bgpPasswordEnvName INDEX: the env var holding that peer's password. */}}",
    define('kube-vip.bgpPasswordEnvName', `{{- printf ${json(bgpPeerPasswordEnvName('%d'))} (int .) -}}`),
    define('kube-vip.bgpPeerPort', String(KUBE_VIP_DEFAULTS.bgpPeerPort)),
    '{{- /* Env names the model sets: extraEnv may not set them too. JSON {"items": [...]}. */}}',
    define('kube-vip.managedEnvNames', json({ items: [...MANAGED_ENV_NAMES].sort() })),
    define('kube-vip.controlPlaneAffinity', stringify(CONTROL_PLANE_SCHEDULING.affinity).trim()),
    define('kube-vip.controlPlaneTolerations', stringify(CONTROL_PLANE_SCHEDULING.tolerations).trim()),
    define('kube-vip.securityContext.privileged', stringify(SECURITY_CONTEXTS.privileged).trim()),
    define('kube-vip.securityContext.unprivileged', stringify(SECURITY_CONTEXTS.unprivileged).trim()),
    define('kube-vip.defaultUpdateStrategy', stringify(DEFAULT_UPDATE_STRATEGY).trim()),
    '{{- /* The writable /run the iptables image needs under a read-only root (RUN_VOLUME). JSON. */}}',
    define('kube-vip.runVolume', json(RUN_VOLUME)),
    "{{- /* How a pod with a host kubeconfig (workload.hostKubeconfig) mounts it and reaches its node's API server. JSON. */}}",
    define(
      'kube-vip.hostKubeconfig',
      json({ volume: HOST_KUBECONFIG_VOLUME, mountPath: KUBECONFIG_HOST_PATHS.admin, alias: LOCAL_API_SERVER_ALIAS }),
    ),
  ].join('\n');
}

/** File name (under templates/) to content. */
/**
 * `kube-vip.containerPorts` and `kube-vip.livenessProbe` (dict "values" .Values "workload" $w): the
 * container's ports and probe from lib/render/pod.ts CONTAINER_PORTS and LIVENESS_PROBE.
 */
function containerTemplate(): string {
  const ports = CONTAINER_PORTS.map((p) => {
    const entry = [`- name: ${p.name}`, `  containerPort: {{ .workload.${p.fact} }}`, '  protocol: TCP'];
    return p.when ? [`{{- if ${condExpr(p.when)} }}`, ...entry, '{{- end }}'] : entry;
  });
  return [
    '{{- define "kube-vip.containerPorts" -}}',
    ...ports.flat(),
    '{{- end }}',
    '{{- define "kube-vip.livenessProbe" -}}',
    `{{- if ${condExpr(LIVENESS_PROBE.when)} -}}`,
    `livenessProbe:`,
    `  {{- ${JSON.stringify(JSON.stringify(LIVENESS_PROBE.probe))} | fromJson | toYaml | nindent 2 }}`,
    '{{- end }}',
    '{{- end }}',
  ].join('\n');
}

export function generatedTemplates(): Record<string, string> {
  return {
    '_env.generated.tpl': HEADER + envTemplate() + '\n',
    '_rbac-rules.generated.tpl': HEADER + rbacTemplate('kube-vip.rbacRules', RBAC_GRANTS) + '\n' + rolePlanTemplate() + '\n',
    '_cloud-provider.generated.tpl': HEADER + cloudProviderTemplate() + '\n',
    '_iptables-needs.generated.tpl': HEADER + iptablesTemplate() + '\n',
    '_constants.generated.tpl': HEADER + constantsTemplate() + '\n' + LANGUAGE_HELPERS + '\n',
    '_ipam-problems.generated.tpl': HEADER + ipamProblemsTemplate() + '\n',
    '_node-rules.generated.tpl': HEADER + nodeRulesTemplate() + '\n',
    '_config-rules.generated.tpl': HEADER + configRulesTemplate() + '\n',
    '_address-problems.generated.tpl': HEADER + IP_HELPERS + '\n' + addressTemplates() + '\n',
    '_workloads.generated.tpl': HEADER + imageTemplate() + '\n' + workloadsTemplate() + '\n' + containerTemplate() + '\n',
  };
}
