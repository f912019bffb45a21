{{/*
The checks of lib/validation that Go templates can make, same rule ids, paths and fixes; helm fails
once with all. The schema checked types, enums, ranges and address syntax; kube-vip.nodeRules (generated)
has P1-P3. P4 (overlaps, classes) needs CIDR maths: `cdk8s-kube-vip check -f values.yaml` runs it.
*/}}
{{- define "kube-vip.problem" -}}
[{{ .rule }}] {{ .path }}: {{ .value | toJson }} {{ .message }}; {{ .fix }}
{{- end }}

{{- define "kube-vip.validate" -}}
{{- $v := .Values }}
{{- $cp := $v.controlPlane }}
{{- $svc := $v.services }}
{{- $staticPod := and $cp.enabled (eq $cp.deployment "staticPod") }}
{{- $p := list }}

{{- if not (or $cp.enabled $svc.enabled) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "feature-none" "path" "controlPlane.enabled" "value" false "message" "and services.enabled are both off; kube-vip exits with \"no features are enabled\"" "fix" "set controlPlane.enabled or services.enabled to true")) }}
{{- end }}
{{- if and $staticPod (not $svc.enabled) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "static-pod-not-helm" "path" "controlPlane.deployment" "value" $cp.deployment "message" "is a kubeadm static pod, which Helm cannot deploy, and nothing else is enabled" "fix" "write the static pod with `cdk8s-kube-vip synth -f values.yaml`, or use controlPlane.deployment: daemonset")) }}
{{- end }}
{{- if and $cp.enabled (not $cp.address) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "control-plane-address" "path" "controlPlane.address" "value" "" "message" "is empty but the control plane is on" "fix" "set the VIP, e.g. controlPlane.address: 192.168.1.10")) }}
{{- end }}
{{- if and $cp.enabled (eq $v.announce.mode "arp") (not $cp.leaderElection.enabled) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "arp-needs-leader-election" "path" "controlPlane.leaderElection.enabled" "value" false "message" "does not stop the election in ARP mode: kube-vip v1.2.1 and v1.2.2 elect one leader anyway, then on their default lease plndr-cp-lock and timings, since ours are not written (shown on real kube-vip)" "fix" "set controlPlane.leaderElection.enabled: true (only BGP can announce from every node)")) }}
{{- end }}
{{- if and (eq $cp.kubeconfig "superAdmin") (not $staticPod) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "P5-kubeconfig-static-pod-only" "path" "controlPlane.kubeconfig" "value" $cp.kubeconfig "message" "only applies to a static pod; a DaemonSet authenticates with its ServiceAccount" "fix" "set controlPlane.deployment: staticPod, or remove controlPlane.kubeconfig")) }}
{{- end }}

{{- $p = concat $p (include "kube-vip.ipamProblems" . | fromJson).items }}
{{- $p = concat $p (include "kube-vip.nodeRules" (dict "values" .Values) | fromJson).errors }}

{{- /* P3: egress */}}
{{- if $v.egress.enabled }}
{{- if not $svc.enabled }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "P3-egress-needs-services" "path" "egress.enabled" "value" true "message" "does nothing while services are off" "fix" "set services.enabled: true")) }}
{{- else if not $svc.election }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "P3-egress-needs-election" "path" "services.election" "value" false "message" "must be on for egress: egress rules follow the node that holds the Service's own lease" "fix" "set services.election: true")) }}
{{- end }}
{{- range $pair := list (list "podCIDR" "podCIDRs") (list "serviceCIDR" "serviceCIDRs") }}
{{- $key := index $pair 0 }}
{{- $facts := index $pair 1 }}
{{- if and (not (get $v.egress $key)) (not (get $v.cluster $facts)) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "P3-egress-cidrs" "path" (printf "egress.%s" $key) "value" "" "message" "is empty: kube-vip would guess it from kube-controller-manager's flags or fall back to a default, and SNAT cluster traffic when the guess is wrong" "fix" (printf "set egress.%s or cluster.%s" $key $facts))) }}
{{- end }}
{{- end }}
{{- end }}

{{- /* BGP */}}
{{- if eq $v.announce.mode "bgp" }}
{{- $bgp := $v.announce.bgp }}
{{- if not (or $bgp.routerID $bgp.routerInterface) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "bgp-router-id" "path" "announce.bgp.routerID" "value" "" "message" "and routerInterface are both empty; BGP needs a router ID" "fix" "set announce.bgp.routerID to this node's IPv4 address, or routerInterface")) }}
{{- else if contains ":" $bgp.routerID }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "bgp-router-id" "path" "announce.bgp.routerID" "value" $bgp.routerID "message" "is not an IPv4 address; a BGP router ID is a 32-bit number written as one" "fix" "write an IPv4 address")) }}
{{- end }}
{{- if not $bgp.peers }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "bgp-peers" "path" "announce.bgp.peers" "value" list "message" "is empty; kube-vip would announce to nobody" "fix" "add at least one peer: {address, as}")) }}
{{- end }}
{{- range $i, $peer := $bgp.peers }}
{{- if and $peer.password $staticPod }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "bgp-password-static-pod" "path" (printf "announce.bgp.peers[%d].password" $i) "value" $peer.password "message" "cannot reach a static pod: the kubelet does not resolve Secret references for static pods" "fix" "run the control plane as a DaemonSet (controlPlane.deployment: daemonset) to use BGP passwords")) }}
{{- end }}
{{- end }}
{{- end }}

{{- if and $svc.enabled $svc.loadBalancerClass.only (not $svc.loadBalancerClass.name) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "lb-class-name" "path" "services.loadBalancerClass.name" "value" "" "message" "is empty while only that class is served; no Service would match" "fix" "set a class name")) }}
{{- end }}

{{- /* Names, env, ports and lease timing */}}
{{- $workloads := (include "kube-vip.workloads" . | fromJson).items }}
{{- range $w := $workloads }}
{{- if gt (len $w.name) 63 }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "name-length" "path" "name" "value" (include "kube-vip.fullname" $) "message" (printf "gives the object name %q, longer than the 63 characters a label value allows" $w.name) "fix" "choose a shorter release name, or set name")) }}
{{- end }}
{{- end }}
{{- $managed := (include "kube-vip.managedEnvNames" . | fromJson).items }}
{{- range $i, $env := $v.extraEnv }}
{{- if not (and (kindIs "map" $env) $env.name) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "extra-env" "path" (printf "extraEnv[%d]" $i) "value" $env "message" "has no name" "fix" "write {name: ..., value: ...}")) }}
{{- else if has $env.name $managed }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "extra-env-managed" "path" (printf "extraEnv[%d].name" $i) "value" $env.name "message" "is set from the model already; two values for one variable would disagree" "fix" "use the model's field for it instead of extraEnv")) }}
{{- end }}
{{- end }}
{{- $taken := include "kube-vip.controlPlaneHostPorts" . | fromJson }}
{{- if $cp.enabled }}
{{- $_ := set $taken (toString (int64 $cp.port)) "the API server (controlPlane.port)" }}
{{- end }}
{{- range $w := $workloads }}
{{- $owner := get $taken (toString $w.metricsPort) }}
{{- if $owner }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "port-collision" "path" (ternary "metrics.port" "metrics.servicesPort" $w.controlPlane) "value" $w.metricsPort "message" (printf "is already used by %s on control-plane nodes (kube-vip runs in the host network)" $owner) "fix" "choose a free port, e.g. 2112")) }}
{{- end }}
{{- end }}
{{- if and (eq (len $workloads) 2) (eq (index $workloads 0).metricsPort (index $workloads 1).metricsPort) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "port-collision" "path" "metrics.servicesPort" "value" (int64 $v.metrics.servicesPort) "message" "equals metrics.port, but the control-plane static pod and the Services DaemonSet share control-plane nodes" "fix" "give them different ports, e.g. 2112 and 2113")) }}
{{- end }}
{{- $le := $cp.leaderElection }}
{{- if and $cp.enabled $le.enabled }}
{{- if ge (int64 $le.renewDeadlineSeconds) (int64 $le.leaseDurationSeconds) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "lease-timing" "path" "controlPlane.leaderElection.renewDeadlineSeconds" "value" (int64 $le.renewDeadlineSeconds) "message" (printf "is not below leaseDurationSeconds (%d); client-go refuses it and the leader could lose the lease while still holding the VIP" (int64 $le.leaseDurationSeconds)) "fix" "make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 15 > 10 > 2")) }}
{{- end }}
{{- if ge (int64 $le.retryPeriodSeconds) (int64 $le.renewDeadlineSeconds) }}
{{- $p = append $p (include "kube-vip.problem" (dict "rule" "lease-timing" "path" "controlPlane.leaderElection.retryPeriodSeconds" "value" (int64 $le.retryPeriodSeconds) "message" (printf "is not below renewDeadlineSeconds (%d); the leader gets no second try to renew" (int64 $le.renewDeadlineSeconds)) "fix" "make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 15 > 10 > 2")) }}
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
