/**
 * IP arithmetic for the chart's Go templates, where sprig has none: the address checks
 * (address-template.ts) need what lib/net/ip.ts does in TypeScript. An address is written as
 * fixed-width lower-case hex (8 digits for IPv4, 32 for IPv6), so that comparing two addresses
 * of one family is comparing two strings, which Go templates can do. The texts reaching these
 * helpers have passed the model's address patterns already (lib/net/patterns.ts).
 * test/chart/ip-template.test.ts holds them equal to lib/net/ip.ts on random addresses.
 */

const DIGITS = JSON.stringify(Object.fromEntries([...'0123456789abcdef'].map((d, i) => [d, i])));

/** `kube-vip.ip.hex TEXT`: the address as 8 or 32 hex digits. */
const HEX = [
  '{{- define "kube-vip.ip.hex" -}}',
  '{{- $t := lower . }}',
  '{{- if not (contains ":" $t) }}',
  '{{- range splitList "." $t }}{{ printf "%02x" (atoi .) }}{{ end }}',
  '{{- else }}',
  '{{- /* An IPv4 tail (::ffff:10.0.0.1) is the last two groups. */}}',
  '{{- if contains "." $t }}',
  '{{- $v4 := regexFind "[0-9.]+$" $t }}',
  '{{- $h := include "kube-vip.ip.hex" $v4 }}',
  '{{- $t = printf "%s%s:%s" (trimSuffix $v4 $t) (substr 0 4 $h) (substr 4 8 $h) }}',
  '{{- end }}',
  '{{- $halves := splitList "::" $t }}',
  '{{- $head := list }}{{ with index $halves 0 }}{{ $head = splitList ":" . }}{{ end }}',
  '{{- $tail := list }}{{ if gt (len $halves) 1 }}{{ with index $halves 1 }}{{ $tail = splitList ":" . }}{{ end }}{{ end }}',
  '{{- range $head }}{{ repeat (int (sub 4 (len .))) "0" }}{{ . }}{{ end }}',
  '{{- repeat (int (mul 4 (sub 8 (add (len $head) (len $tail))))) "0" }}',
  '{{- range $tail }}{{ repeat (int (sub 4 (len .))) "0" }}{{ . }}{{ end }}',
  '{{- end }}',
  '{{- end }}',
];

/** `kube-vip.ip.mask (list HEX PREFIX)`: JSON {first, last} of the block HEX/PREFIX. */
const MASK = [
  '{{- define "kube-vip.ip.mask" -}}',
  '{{- $h := index . 0 }}',
  '{{- $p := int (index . 1) }}',
  '{{- $q := int (div $p 4) }}',
  '{{- if ge $q (len $h) }}',
  '{{- dict "first" $h "last" $h | toJson }}',
  '{{- else }}',
  `{{- $d := int (get (fromJson ${JSON.stringify(DIGITS)}) (substr $q (int (add $q 1)) $h)) }}`,
  '{{- /* The digit at the prefix keeps its top (prefix mod 4) bits: a step of 16, 8, 4 or 2. */}}',
  '{{- $step := int (index (list 16 8 4 2) (mod $p 4)) }}',
  '{{- $low := int (mul (div $d $step) $step) }}',
  '{{- $rest := int (sub (len $h) (add $q 1)) }}',
  '{{- $head := substr 0 $q $h }}',
  '{{- dict "first" (printf "%s%x%s" $head $low (repeat $rest "0")) "last" (printf "%s%x%s" $head (add $low $step -1) (repeat $rest "f")) | toJson }}',
  '{{- end }}',
  '{{- end }}',
];

/** `kube-vip.ip.format HEX`: the address as lib/net/ip.ts formatIp writes it (RFC 5952 for IPv6). */
const FORMAT = [
  '{{- define "kube-vip.ip.format" -}}',
  '{{- $h := . }}',
  '{{- if eq (len $h) 8 }}',
  `{{- $d := fromJson ${JSON.stringify(DIGITS)} }}`,
  '{{- $octets := list }}',
  '{{- range $i := list 0 2 4 6 }}',
  '{{- $octets = append $octets (add (mul (int (get $d (substr $i (int (add $i 1)) $h))) 16) (int (get $d (substr (int (add $i 1)) (int (add $i 2)) $h)))) }}',
  '{{- end }}',
  '{{- join "." $octets }}',
  '{{- else }}',
  '{{- $groups := list }}',
  '{{- range $i := until 8 }}{{ $groups = append $groups (regexReplaceAll "^0{1,3}" (substr (int (mul $i 4)) (int (mul (add $i 1) 4)) $h) "") }}{{ end }}',
  '{{- /* The longest run of two or more zero groups (the first of equals) becomes "::". */}}',
  '{{- $best := -1 }}{{ $bestLength := 1 }}{{ $start := -1 }}',
  '{{- range $i, $g := $groups }}',
  '{{- if eq $g "0" }}',
  '{{- if lt $start 0 }}{{ $start = $i }}{{ end }}',
  '{{- if gt (int (sub (add $i 1) $start)) $bestLength }}{{ $best = $start }}{{ $bestLength = int (sub (add $i 1) $start) }}{{ end }}',
  '{{- else }}{{ $start = -1 }}{{ end }}',
  '{{- end }}',
  '{{- if lt $best 0 }}{{ join ":" $groups }}',
  '{{- else }}{{ join ":" (slice $groups 0 $best) }}::{{ join ":" (slice $groups (int (add $best $bestLength))) }}{{ end }}',
  '{{- end }}',
  '{{- end }}',
];

/**
 * `kube-vip.ip.block (list FORM TEXT)`: JSON {family, first, last}, with `prefix` for a CIDR
 * and `subnet` ({first, last, prefix}) for a node address with its prefix. FORM is one of
 * lib/validation/address-sources.ts AddressForm but ipList (split by the caller). A text that is
 * not of its form has `error`: for a CIDR with host bits, the network it should have been.
 */
const BLOCK = [
  '{{- define "kube-vip.ip.block" -}}',
  '{{- $form := index . 0 }}',
  '{{- $text := index . 1 }}',
  '{{- $out := dict }}',
  '{{- if eq $form "range" }}',
  '{{- $parts := splitList "-" $text }}',
  '{{- $first := include "kube-vip.ip.hex" (trim (index $parts 0)) }}',
  '{{- $last := include "kube-vip.ip.hex" (trim (index $parts 1)) }}',
  '{{- $out = dict "first" $first "last" $last }}',
  '{{- if or (ne (len $first) (len $last)) (gt $first $last) }}{{ $_ := set $out "error" "" }}{{ end }}',
  '{{- else }}',
  '{{- $parts := splitList "/" $text }}',
  '{{- $h := include "kube-vip.ip.hex" (index $parts 0) }}',
  '{{- $out = dict "first" $h "last" $h }}',
  '{{- if gt (len $parts) 1 }}',
  '{{- $prefix := atoi (index $parts 1) }}',
  '{{- $net := include "kube-vip.ip.mask" (list $h $prefix) | fromJson }}',
  '{{- $_ := set $net "prefix" $prefix }}',
  '{{- if eq $form "cidr" }}',
  '{{- $out = $net }}',
  '{{- if ne $net.first $h }}{{ $_ := set $out "error" (printf "%s/%d" (include "kube-vip.ip.format" $net.first) $prefix) }}{{ end }}',
  '{{- else }}',
  '{{- $_ := set $out "subnet" $net }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
  '{{- $_ := set $out "family" (ternary "IPv4" "IPv6" (eq (len $out.first) 8)) }}',
  '{{- toJson $out }}',
  '{{- end }}',
];

/** The IP helpers, for the generated templates to define once. */
export const IP_HELPERS = [...HEX, ...MASK, ...FORMAT, ...BLOCK].join('\n');
