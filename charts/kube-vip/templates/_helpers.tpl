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

{{/* pullSecrets: JSON {"items": [...]}: image.pullSecrets, then global.imagePullSecrets, each a name or {name}, each once (lib/render/pod.ts pullSecretNames). */}}
{{- define "kube-vip.pullSecrets" -}}
{{- $names := list }}
{{- range concat .Values.image.pullSecrets .Values.global.imagePullSecrets }}
{{- if kindIs "string" . }}
{{- $names = append $names . }}
{{- else if kindIs "map" . }}
{{- $names = append $names (toString (.name | default "")) }}
{{- end }}
{{- end }}
{{- dict "items" (without (uniq $names) "") | toJson }}
{{- end }}

{{/* releaseValues: JSON of .Values with name and namespace as this release gives them: the values the generated derivations read. */}}
{{- define "kube-vip.releaseValues" -}}
{{- merge (dict "name" (include "kube-vip.fullname" .) "namespace" (include "kube-vip.namespace" .)) (deepCopy .Values) | toJson }}
{{- end }}

{{/*
rbacObjects (dict "account" (name, namespace, create, annotations) "labels" YAML "roles" LIST):
the ServiceAccount unless an existing one is used, then each role whose rules (YAML text) are
not empty, followed by its binding to the account. lib/render/rbac.ts rbacObjects, for kube-vip
and the cloud provider alike.
*/}}
{{- define "kube-vip.rbacObjects" -}}
{{- $account := .account }}
{{- $labels := .labels }}
{{- if $account.create }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $account.name | quote }}
  namespace: {{ $account.namespace | quote }}
  labels:
    {{- $labels | nindent 4 }}
  {{- with $account.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: true
{{- end }}
{{- range $role := .roles }}
{{- if $role.rules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ $role.kind }}
metadata:
  name: {{ $role.name | quote }}
  {{- with $role.namespace }}
  namespace: {{ . | quote }}
  {{- end }}
  labels:
    {{- $labels | nindent 4 }}
rules:
  {{- $role.rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ $role.kind }}Binding
metadata:
  name: {{ $role.name | quote }}
  {{- with $role.namespace }}
  namespace: {{ . | quote }}
  {{- end }}
  labels:
    {{- $labels | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: {{ $role.kind }}
  name: {{ $role.name | quote }}
subjects:
  - kind: ServiceAccount
    name: {{ $account.name | quote }}
    namespace: {{ $account.namespace | quote }}
{{- end }}
{{- end }}
{{- end }}
