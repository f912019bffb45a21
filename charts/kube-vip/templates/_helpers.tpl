{{/*
Name of every object, lease and nftables instance: .Values.name when set, else the release
name when it already says kube-vip, else "<release>-kube-vip". Not truncated: a name that is
too long fails validation instead of silently changing.
*/}}
{{- define "kube-vip.fullname" -}}
{{- if .Values.name }}
{{- .Values.name }}
{{- else if contains .Chart.Name .Release.Name }}
{{- .Release.Name }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name }}
{{- end }}
{{- end }}

{{/* Namespace of kube-vip and its leases: .Values.namespace, else the release namespace. */}}
{{- define "kube-vip.namespace" -}}
{{- .Values.namespace | default .Release.Namespace }}
{{- end }}

{{- define "kube-vip.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* selectorLabels (dict "root" $ "instance" NAME): never change for a workload's life, DaemonSet selectors are immutable. */}}
{{- define "kube-vip.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .instance | quote }}
{{- end }}

{{/* labels (dict "root" $ "instance" NAME "component" COMPONENT) */}}
{{- define "kube-vip.labels" -}}
{{ include "kube-vip.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Values.image.tag | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: {{ .root.Chart.Name }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "kube-vip.chart" .root }}
{{- end }}

{{/* pullSecrets: JSON {"items": [...]}: image.pullSecrets, then global.imagePullSecrets (names or {name}), each once (lib/render/pod.ts pullSecretNames). */}}
{{- define "kube-vip.pullSecrets" -}}
{{- $names := .Values.image.pullSecrets }}
{{- range .Values.global.imagePullSecrets }}
{{- if kindIs "string" . }}
{{- $names = append $names . }}
{{- else if kindIs "map" . }}
{{- $names = append $names (toString (.name | default "")) }}
{{- end }}
{{- end }}
{{- dict "items" (without (uniq $names) "") | toJson }}
{{- end }}
