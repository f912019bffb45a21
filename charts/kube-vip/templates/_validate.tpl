{{/*
The checks of lib/validation, same rule ids, paths, messages and fixes; helm fails once with all.
The schema checked types, enums, ranges and syntax (long address patterns only loosely: their exact check is a generated rule, schema-pattern, so Helm need not print a 2,000-character pattern). The rules are generated from the
tables (kube-vip.configRules, kube-vip.nodeRules, kube-vip.ipamProblems, and the P4 address
checks kube-vip.addressProblems). Written by hand, and why: name-length reads the object names
Helm's release naming gives, and pod-security-level asks the cluster with lookup.
*/}}
{{- define "kube-vip.problem" -}}
[{{ .rule }}] {{ .path }}: {{ if kindIs "invalid" .value }}(unset){{ else }}{{ .value | toJson }}{{ end }} {{ .message }}; {{ .fix }}
{{- end }}

{{- define "kube-vip.validate" -}}
{{- $workloads := (include "kube-vip.workloads" . | fromJson).items }}
{{- $p := (include "kube-vip.configRules" (dict "values" .Values "workloads" $workloads) | fromJson).errors }}
{{- $p = concat $p (include "kube-vip.ipamProblems" . | fromJson).items }}
{{- $p = concat $p (include "kube-vip.nodeRules" (dict "values" .Values) | fromJson).errors }}
{{- $p = concat $p (include "kube-vip.addressProblems" (dict "values" .Values) | fromJson).errors }}

{{- $names := list }}
{{- range $w := $workloads }}{{ $names = append $names $w.name }}{{ end }}
{{- /* The cloud provider's name is a label value too (app.kubernetes.io/instance). */}}
{{- if and .Values.ipam.enabled .Values.ipam.cloudProvider.enabled }}
{{- $names = append $names (include "kube-vip.cloudProvider.plan" . | fromJson).name }}
{{- end }}
{{- range $name := $names }}
{{- if gt (len $name) 63 }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "name-length" "path" "name" "value" (include "kube-vip.fullname" $) "message" (printf "gives the object name %q, longer than the 63 characters a label value allows" $name) "fix" "choose a shorter release name, or set name")) }}
{{- end }}
{{- end }}

{{- /* Pod Security: only at install/upgrade, when lookup sees the cluster (empty under helm template). */}}
{{- $namespace := include "kube-vip.namespace" . }}
{{- $ns := lookup "v1" "Namespace" "" $namespace }}
{{- $enforce := dig "metadata" "labels" "pod-security.kubernetes.io/enforce" "" ($ns | default dict) }}
{{- if and $enforce (ne $enforce "privileged") }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "pod-security-level" "path" "namespace" "value" $namespace "message" (printf "enforces Pod Security level %q, which refuses kube-vip's pods (host network, NET_ADMIN and NET_RAW): the DaemonSet would exist with no pods" $enforce) "fix" (printf "label the namespace: kubectl label namespace %s pod-security.kubernetes.io/enforce=privileged --overwrite, or install into kube-system" $namespace))) }}
{{- end }}

{{- if $p }}
{{- fail (printf "invalid kube-vip values (%d problem%s):\n  - %s" (len $p) (ternary "" "s" (eq (len $p) 1)) (join "\n  - " $p)) }}
{{- end }}
{{- end }}
