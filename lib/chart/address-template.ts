import { fieldAt } from '../model/schema';
import { valuesSchema } from '../model/values';
import { UNANNOUNCEABLE } from '../net/address-classes';
import { familyName, IpFamily } from '../net/ip';
import { ADDRESS_SOURCES, ADDRESS_TEXTS as T, AddressForm, AddressRole, AddressSource } from '../validation/address-sources';
import { syntaxProblem } from '../validation/addresses';
import { condExpr, Roots } from './go-template';

/**
 * The chart's copy of the P4 address checks (lib/validation/addresses.ts): which addresses it
 * reads comes from ADDRESS_SOURCES, the words from ADDRESS_TEXTS and the blocks no node can
 * announce from UNANNOUNCEABLE; the arithmetic is ip-template.ts. Each check below mirrors the
 * one of the same name in addresses.ts, and test/chart/generated-parity.test.ts holds the two
 * routes to the same problems on generated configurations.
 *
 * `kube-vip.addressProblems` (dict "values" .Values ["warningsOnly" true]): JSON {"errors": [...], "warnings": [...]}.
 */

const q = JSON.stringify;
const ROOTS: Roots = { values: '$.values', workload: '$.workload' };

/** A Go printf format of a text function: its arguments become `%[n]s`, a literal `%` is doubled. */
function goFormat(text: (...args: string[]) => string, arity: number): string {
  const tokens = Array.from({ length: arity }, (_, i) => `\u0000${i}\u0000`);
  let format = text(...tokens).replace(/%/g, '%%');
  tokens.forEach((token, i) => (format = format.split(token).join(`%[${i + 1}]s`)));
  return q(format);
}

const printf = (text: (...args: string[]) => string, ...args: string[]) => `(printf ${goFormat(text, args.length)} ${args.join(' ')})`;

function problem(list: '$errors' | '$warnings', rule: string, path: string, value: string, message: string, fix: string): string {
  return `{{- ${list} = append ${list} (include "kube-vip.problem" (dict "rule" ${q(rule)} "path" ${path} "value" ${value} "message" ${message} "fix" ${fix})) }}`;
}

/** Hex of an address, as ip-template.ts writes it. */
function hex(family: IpFamily, value: bigint): string {
  return value.toString(16).padStart(family === IpFamily.IPV4 ? 8 : 32, '0');
}

const CLASSES = UNANNOUNCEABLE.map((c) => ({
  name: c.name,
  cidr: c.cidr.text,
  why: c.why,
  family: familyName(c.cidr.family),
  first: hex(c.cidr.family, c.cidr.first),
  last: hex(c.cidr.family, c.cidr.last),
  ...(c.ipv4Fix ? { one: JSON.parse(goFormat(c.ipv4Fix.one, 1)), range: JSON.parse(goFormat(c.ipv4Fix.range, 2)) } : {}),
}));

/**
 * `kube-vip.addresses.locate` (dict "form" "text" "path" "what" "unit" "announces"): JSON
 * {"errors": [...], "items": [...]}, the located addresses of one text (addresses.ts locate).
 */
function locateTemplate(): string {
  const item = (text: string) =>
    `(merge (include "kube-vip.ip.block" (list $form ${text}) | fromJson) (dict "path" $.path "text" ${text} "what" $.what "announces" $.announces))`;
  return [
    '{{- define "kube-vip.addresses.locate" -}}',
    '{{- $errors := list }}',
    '{{- $items := list }}',
    '{{- $form := .form }}',
    `{{- if eq .form ${q(AddressForm.IP_LIST)} }}`,
    '{{- $form = "ip" }}',
    '{{- range $part := splitList "," .text }}',
    `{{- $items = append $items ${item('(trim $part)')} }}`,
    '{{- end }}',
    '{{- if and (eq (len $items) 2) (eq (index $items 0).family (index $items 1).family) }}',
    problem('$errors', 'address-syntax', '.path', '.text', printf(T.sameFamily.message, '.unit'), q(T.sameFamily.fix)),
    '{{- end }}',
    '{{- else }}',
    `{{- $block := ${item('.text')} }}`,
    `{{- if not (hasKey $block "error") }}{{ $items = append $items $block }}`,
    `{{- else if eq .form ${q(AddressForm.CIDR)} }}`,
    problem('$errors', 'address-syntax', '.path', '.text', q(T.cidrSyntax.message), printf(T.cidrSyntax.fix, '$block.error')),
    '{{- else }}',
    problem('$errors', 'address-syntax', '.path', '.text', q(T.rangeSyntax.message), q(T.rangeSyntax.fix)),
    '{{- end }}',
    '{{- end }}',
    '{{- dict "errors" $errors "items" $items | toJson }}',
    '{{- end }}',
  ].join('\n');
}

/** The lines that locate the addresses of one source into `$<role>`. */
function sourceLines(source: AddressSource): string[] {
  const within = source.within && ('map' in source.within ? source.within.map : source.within.list);
  const entryField = (() => {
    if (!within) return fieldAt(valuesSchema, source.field);
    const collection = fieldAt(valuesSchema, within);
    const entry = collection?.kind === 'map' ? collection.values : collection?.kind === 'array' ? collection.items : undefined;
    return entry && fieldAt(entry, source.field);
  })();
  if (!entryField) throw new Error(`address source ${source.field}: no such field in the model`);
  // Only well-formed texts, as checkValues reads them after its type checks: a malformed one is the
  // schema-pattern problem of its own, and the arithmetic below needs the form.
  const pattern = (entryField.kind === 'array' ? entryField.items : entryField) as { pattern?: string };
  if (!pattern.pattern) throw new Error(`address source ${source.field}: the model gives it no pattern`);
  const wellFormed = (text: string) => `(regexMatch ${q(pattern.pattern)} (toString ${text}))`;
  const what = source.whatField ? `(printf ${q(source.what)} (toString $entry.${source.whatField}))` : q(source.what);
  const locate = (path: string, text: string) =>
    `{{- if ${wellFormed(text)} }}\n` +
    `{{- $r := include "kube-vip.addresses.locate" (dict "form" ${q(source.form)} "text" ${text} "path" ${path} "what" ${what} "unit" ${q(source.unit ?? '')} "announces" ${q(source.announces ?? '')}) | fromJson }}\n` +
    // concat of empty lists is nil, which prints as null: append item by item.
    `{{- range $r.errors }}{{ $errors = append $errors . }}{{ end }}{{ range $r.items }}{{ $${source.role} = append $${source.role} . }}{{ end }}\n` +
    '{{- end }}';
  const prefix = !within ? '""' : 'map' in source.within! ? `(printf "${within}.%s." $key)` : `(printf "${within}[%d]." $key)`;
  const read = `$entry.${source.field}`;
  // Empty means unset for a field, so it passes the pattern; in a list it is an entry with no
  // address, which the validator reports in the words syntaxProblem gives.
  const empty = syntaxProblem(source, '');
  if (!empty) throw new Error(`address source ${source.field}: an empty text parses`);
  const itemPath = `(printf "%s${source.field}[%d]" ${prefix} $j)`;
  const body =
    entryField.kind === 'array'
      ? [
          `{{- range $j, $text := ${read} }}`,
          '{{- if eq (toString $text) "" }}',
          problem('$errors', empty.rule, itemPath, '""', q(empty.message), q(empty.fix)),
          '{{- end }}',
          locate(itemPath, '$text'),
          '{{- end }}',
        ]
      : [`{{- with ${read} }}`, locate(`(printf "%s${source.field}" ${prefix})`, '.'), '{{- end }}'];
  const entries = !within
    ? ['{{- with $entry := $.values }}', ...body, '{{- end }}']
    : [`{{- range $key, $entry := $.values.${within} }}`, ...body, '{{- end }}'];
  return source.when ? [`{{- if ${condExpr(source.when, ROOTS)} }}`, ...entries, '{{- end }}'] : entries;
}

/** Go conditions on two located blocks (ip-template.ts hex, compared as strings within a family). */
const sameFamily = (a: string, b: string) => `(eq ${a}.family ${b}.family)`;
const containsExpr = (outer: string, inner: string) =>
  `(and ${sameFamily(outer, inner)} (le ${outer}.first ${inner}.first) (le ${inner}.last ${outer}.last))`;
const overlapsExpr = (a: string, b: string) => `(and ${sameFamily(a, b)} (le ${a}.first ${b}.last) (le ${b}.first ${a}.last))`;
const one = (a: string) => `(eq ${a}.first ${a}.last)`;
/** The IPv4 address in the low 32 bits of a block's address (embeddedIPv4). */
const embedded = (value: string) => `(include "kube-vip.ip.format" (substr 24 32 ${value}))`;

/** addressClass: announced addresses in a block no node can announce (one address: the first class only). */
function classLines(): string[] {
  const { rule, message, fix } = T.addressClass;
  return [
    `{{- $classes := (${q(q({ items: CLASSES }))} | fromJson).items }}`,
    '{{- range $a := $announced }}',
    '{{- $done := false }}',
    '{{- range $c := $classes }}',
    `{{- if and (not $done) ${overlapsExpr('$a', '$c')} }}`,
    `{{- $done = ${one('$a')} }}`,
    `{{- $fix := ${printf(fix, '$a.what')} }}`,
    `{{- if $c.one }}{{ $fix = ternary (printf $c.one ${embedded('$a.first')}) (printf $c.range ${embedded('$a.first')} ${embedded('$a.last')}) ${one('$a')} }}{{ end }}`,
    problem(
      '$errors',
      rule,
      '$a.path',
      '$a.text',
      printf(message, `(ternary "is in" "overlaps" ${one('$a')})`, '$c.cidr', '$c.name', '$c.why'),
      '$fix',
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
  ];
}

/** inUse, inClusterNetwork, family and subnetZero: each announced address against the cluster's own. */
function clusterLines(): string[] {
  const { inUse, inClusterNetwork, family, subnetZero } = T;
  return [
    '{{- $families := list }}',
    '{{- range $x := concat $taken $network }}{{ if not (has $x.family $families) }}{{ $families = append $families $x.family }}{{ end }}{{ end }}',
    '{{- /* Several nodes share a subnet: each subnet once. */}}',
    '{{- $subnets := list }}{{ $seen := list }}',
    '{{- range $t := $taken }}{{ with $t.subnet }}{{ $key := printf "%s-%s" .first .last }}{{ if not (has $key $seen) }}{{ $seen = append $seen $key }}{{ $subnets = append $subnets $t }}{{ end }}{{ end }}{{ end }}',
    '{{- range $a := $announced }}',
    '{{- range $t := $taken }}',
    `{{- if ${containsExpr('$a', '$t')} }}`,
    problem(
      '$errors',
      inUse.rule,
      '$a.path',
      '$a.text',
      printf(inUse.message, `(ternary "is" "contains" ${one('$a')})`, '$t.what', '$t.path', '$t.text'),
      printf(inUse.fix, '(regexReplaceAll "/.*$" $t.text "")'),
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- range $n := $network }}',
    `{{- if ${overlapsExpr('$a', '$n')} }}`,
    problem(
      '$errors',
      inClusterNetwork.rule,
      '$a.path',
      '$a.text',
      printf(inClusterNetwork.message, '$n.what', '$n.text', '$n.path'),
      printf(inClusterNetwork.fix, '$n.text'),
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- if and $families (not (has $a.family $families)) }}',
    problem(
      '$errors',
      family.rule,
      '$a.path',
      '$a.text',
      printf(family.message, '$a.family', '(join " and " $families)'),
      printf(family.fix, '(join " or " $families)'),
    ),
    '{{- end }}',
    '{{- range $n := $subnets }}',
    '{{- $s := $n.subnet }}',
    `{{- if and (not ${one('$s')}) (eq $n.family $a.family) }}`,
    `{{- $edges := list (dict "value" $s.first "what" ${q(subnetZero.network)}) }}`,
    `{{- if and (eq $n.family ${q(familyName(IpFamily.IPV4))}) (lt (int $s.prefix) 31) }}{{ $edges = append $edges (dict "value" $s.last "what" ${q(subnetZero.broadcast)}) }}{{ end }}`,
    '{{- range $edge := $edges }}',
    '{{- if and (le $a.first $edge.value) (le $edge.value $a.last) }}',
    problem(
      '$errors',
      subnetZero.rule,
      '$a.path',
      '$a.text',
      printf(subnetZero.message, '(include "kube-vip.ip.format" $edge.value)', '$edge.what', '$n.text'),
      q(subnetZero.fix),
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
  ];
}

/**
 * overlap and skipEnds: announced addresses against each other, and CIDR pools' subnet-zero address.
 * Overlaps are found by a sweep over the blocks sorted by family and first address (hex of one
 * width, so text order is numeric order): a block overlaps exactly the earlier ones still open at
 * its first address. That is linear in the blocks while few overlap, where comparing every pair
 * took helm 18 s for 1,000 pool ranges. The pairs are then reported in the validator's order.
 */
function announcedLines(): string[] {
  const { overlap, skipEnds } = T;
  return [
    '{{- $keys := list }}',
    '{{- range $i, $a := $announced }}{{ $keys = append $keys (printf "%s %s %08d" $a.family $a.first $i) }}{{ end }}',
    '{{- $open := list }}{{ $pairs := list }}',
    '{{- range $key := sortAlpha $keys }}',
    '{{- $j := atoi (index (splitList " " $key) 2) }}{{ $b := index $announced $j }}',
    '{{- $still := list }}',
    '{{- range $i := $open }}{{ $a := index $announced $i }}{{ if and (eq $a.family $b.family) (le $b.first $a.last) }}{{ $still = append $still $i }}{{ end }}{{ end }}',
    '{{- range $i := $still }}',
    '{{- $a := index $announced $i }}',
    '{{- /* A Service may ask for an address of a pool: the cloud provider skips addresses in use. */}}',
    '{{- $kinds := list $a.announces $b.announces }}',
    '{{- if not (and (has "pool" $kinds) (has "service" $kinds)) }}{{ $pairs = append $pairs (printf "%08d %08d" (min $i $j) (max $i $j)) }}{{ end }}',
    '{{- end }}',
    '{{- $open = append $still $j }}',
    '{{- end }}',
    '{{- range $pair := sortAlpha $pairs }}',
    '{{- $ij := splitList " " $pair }}{{ $a := index $announced (atoi (index $ij 0)) }}{{ $b := index $announced (atoi (index $ij 1)) }}',
    problem('$errors', overlap.rule, '$b.path', '$b.text', printf(overlap.message, '$a.what', '$a.text', '$a.path'), q(overlap.fix)),
    '{{- end }}',
    '{{- if not $.values.ipam.skipEndIPsInCIDR }}',
    '{{- range $p := $announced }}',
    '{{- if and (eq $p.announces "pool") (hasKey $p "prefix") (lt (int $p.prefix) (int (sub (mul (len $p.first) 4) 1))) }}',
    problem(
      '$errors',
      skipEnds.rule,
      q(skipEnds.path),
      'false',
      printf(skipEnds.message, '(include "kube-vip.ip.format" $p.first)', '$p.text', '$p.path'),
      q(skipEnds.fix),
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
  ];
}

/** The only checks that give warnings (the kube-router version) run when this holds. */
const KUBE_ROUTER_ON = '$.values.cluster.kubeRouter.enabled';

/** The kube-router checks of addresses.ts checkKubeRouter. */
function kubeRouterLines(): string[] {
  const { kubeRouterVersion: version, kubeRouterRange: range, kubeRouterExcluded: excluded } = T;
  const [major, minor] = version.fixedIn.replace(/^v/, '').split('.').map(Number);
  const router = '$.values.cluster.kubeRouter';
  return [
    `{{- if ${KUBE_ROUTER_ON} }}`,
    '{{- $vips := list }}{{ $pools := list }}',
    '{{- range $a := $announced }}{{ if eq $a.announces "vip" }}{{ $vips = append $vips $a }}{{ else if eq $a.announces "pool" }}{{ $pools = append $pools $a }}{{ end }}{{ end }}',
    `{{- $v := regexFindAll "[0-9]+" (regexFind "^v?[0-9]+\\\\.[0-9]+" (toString ${router}.version)) -1 }}`,
    `{{- if and $v (or (lt (atoi (index $v 0)) ${major}) (and (eq (atoi (index $v 0)) ${major}) (lt (atoi (index $v 1)) ${minor}))) (or $.values.services.enabled $.values.controlPlane.loadBalancer.enabled) }}`,
    '{{- $ipv6 := false }}',
    `{{- range $a := concat $vips $pools }}{{ if eq $a.family ${q(familyName(IpFamily.IPV6))} }}{{ $ipv6 = true }}{{ end }}{{ end }}`,
    '{{- if $ipv6 }}',
    problem('$errors', version.rule, q(version.path), `${router}.version`, q(version.message + version.ipv6), q(version.fix)),
    '{{- else }}',
    problem('$warnings', version.rule, q(version.path), `${router}.version`, q(version.message), q(version.fix)),
    '{{- end }}',
    '{{- end }}',
    `{{- if $${AddressRole.KUBE_ROUTER_RANGE} }}`,
    '{{- $texts := list }}{{ range $r := $kubeRouterRange }}{{ $texts = append $texts $r.text }}{{ end }}',
    '{{- range $p := $pools }}',
    '{{- $inside := false }}',
    `{{- range $r := $${AddressRole.KUBE_ROUTER_RANGE} }}{{ if ${containsExpr('$r', '$p')} }}{{ $inside = true }}{{ end }}{{ end }}`,
    '{{- if not $inside }}',
    problem('$errors', range.rule, '$p.path', '$p.text', printf(range.message, '(join ", " $texts)'), q(range.fix)),
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
    '{{- if $.values.controlPlane.loadBalancer.enabled }}',
    '{{- range $vip := $vips }}',
    '{{- $inside := false }}',
    `{{- range $e := $${AddressRole.KUBE_ROUTER_EXCLUDED} }}{{ if ${containsExpr('$e', '$vip')} }}{{ $inside = true }}{{ end }}{{ end }}`,
    '{{- if not $inside }}',
    problem(
      '$errors',
      excluded.rule,
      '$vip.path',
      '$vip.text',
      q(excluded.message),
      printf(excluded.fix, `(printf "%s/%d" $vip.text (ternary 32 128 (eq $vip.family ${q(familyName(IpFamily.IPV4))})))`),
    ),
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
    '{{- end }}',
  ];
}

/**
 * With "warningsOnly" (NOTES.txt, which validate.yaml has already checked for errors) only the
 * checks that can warn run, and none at all where none can: each run locates every address.
 */
function addressProblemsTemplate(): string {
  return [
    '{{- define "kube-vip.addressProblems" -}}',
    '{{- $errors := list }}',
    '{{- $warnings := list }}',
    ...Object.values(AddressRole).map((role) => `{{- $${role} := list }}`),
    `{{- if or (not $.warningsOnly) ${KUBE_ROUTER_ON} }}`,
    ...ADDRESS_SOURCES.flatMap(sourceLines),
    '{{- if not $.warningsOnly }}',
    ...classLines(),
    ...clusterLines(),
    ...announcedLines(),
    '{{- end }}',
    ...kubeRouterLines(),
    '{{- end }}',
    '{{- dict "errors" $errors "warnings" $warnings | toJson }}',
    '{{- end }}',
  ].join('\n');
}

/** The address checks' templates: the locate helper and kube-vip.addressProblems. */
export function addressTemplates(): string {
  return [locateTemplate(), addressProblemsTemplate()].join('\n');
}
