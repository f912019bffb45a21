{{/*
The image for the whole release, as JSON {variant, reference, needs}: with variant auto, the
iptables image exactly when an enabled feature needs it (masquerade, port security, egress).
*/}}
{{- define "kube-vip.image" -}}
{{- $image := .Values.image }}
{{- $needs := (include "kube-vip.iptablesNeeds" (dict "values" .Values) | fromJson).items }}
{{- $variant := $image.variant }}
{{- if eq $variant "auto" }}
{{- $variant = ternary "iptables" "standard" (gt (len $needs) 0) }}
{{- end }}
{{- $repository := ternary $image.iptablesRepository $image.repository (eq $variant "iptables") }}
{{- dict "variant" $variant "reference" (printf "%s:%s" $repository $image.tag) "needs" $needs | toJson }}
{{- end }}

{{/* kube-vip's bgp_peers: addr:AS:password:multihop:port, IPv6 in brackets, passwords as $(VAR). */}}
{{- define "kube-vip.bgpPeers" -}}
{{- $peers := list }}
{{- range $i, $peer := .Values.announce.bgp.peers }}
{{- $address := ternary (printf "[%s]" $peer.address) $peer.address (contains ":" $peer.address) }}
{{- $password := "" }}
{{- if $peer.password }}
{{- $password = printf "$(%s)" (include "kube-vip.bgpPasswordEnvName" $i) }}
{{- end }}
{{- $port := $peer.port | default (include "kube-vip.bgpPeerPort" $) }}
{{- $peers = append $peers (printf "%s:%d:%s:%t:%d" $address (int64 $peer.as) $password (default false $peer.multihop) (int64 $port)) }}
{{- end }}
{{- join "," $peers }}
{{- end }}

{{/*
The kube-vip workloads of this release, as JSON {"items": [...]}: one DaemonSet, or, when the
control plane runs as a kubeadm static pod (rendered by the CLI, not by Helm), the static pod
and a DaemonSet "<name>-services" for Services. The fields are the "workload." facts the
generated env and RBAC templates read.
*/}}
{{- define "kube-vip.workloads" -}}
{{- $values := .Values }}
{{- $name := include "kube-vip.fullname" . }}
{{- $cp := $values.controlPlane.enabled }}
{{- $staticPod := and $cp (eq $values.controlPlane.deployment "staticPod") }}
{{- $items := list }}
{{- if $staticPod }}
{{- $items = append $items (dict "kind" "StaticPod" "name" $name "controlPlane" true "services" false) }}
{{- end }}
{{- if or (and $cp (not $staticPod)) $values.services.enabled }}
{{- $dsName := ternary (printf "%s-services" $name) $name $staticPod }}
{{- $items = append $items (dict "kind" "DaemonSet" "name" $dsName "controlPlane" (and $cp (not $staticPod)) "services" $values.services.enabled) }}
{{- end }}
{{- $image := include "kube-vip.image" . | fromJson }}
{{- $peers := include "kube-vip.bgpPeers" . }}
{{- $workloads := list }}
{{- range $w := $items }}
{{- $metricsPort := ternary $values.metrics.port $values.metrics.servicesPort $w.controlPlane | int64 }}
{{- $component := ternary "control-plane" "services" $w.controlPlane }}
{{- if and $w.controlPlane $w.services }}
{{- $component = "control-plane-and-services" }}
{{- end }}
{{- $workloads = append $workloads (merge $w (dict
  "component" $component
  "instanceName" $w.name
  "metricsPort" $metricsPort
  "metricsAddress" (printf ":%d" $metricsPort)
  "leaseNamespace" (include "kube-vip.namespace" $)
  "controlPlaneLease" ($values.controlPlane.leaderElection.leaseName | default (printf "%s-cp-lock" $name))
  "servicesLease" ($values.services.leaseName | default (printf "%s-svcs-lock" $name))
  "bgpPeers" $peers
  "localApiServer" (ternary (printf "kubernetes:%d" ($values.controlPlane.port | int64)) "" (eq $w.kind "StaticPod"))
  "egressPodCIDR" ($values.egress.podCIDR | default (join "," $values.cluster.podCIDRs))
  "egressServiceCIDR" ($values.egress.serviceCIDR | default (join "," $values.cluster.serviceCIDRs))
  "image" $image
  "privileged" (and $w.controlPlane $values.controlPlane.loadBalancer.enabled (eq $values.controlPlane.loadBalancer.forwardingMethod "masquerade"))
)) }}
{{- end }}
{{- dict "items" $workloads | toJson }}
{{- end }}
