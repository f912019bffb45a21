{{/*
kube-vip's bgp_peers (lib/kube-vip/bgp-peers.ts): addr:AS:password:multihop:port, IPv6 in
brackets, passwords as $(VAR). Written by hand: it formats each item of a list, which the value
language of lib/expr does not express; the parity tests compare it with the TypeScript.
*/}}
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
