/**
 * Values that break a cluster or cannot be deployed, one problem each, with the one line every
 * route must refuse them with: "[rule] path: value why; fix" (lib/model/problem.ts formatProblem,
 * headed by the rule id). test/corpus/bad-values.test.ts runs each through every route that
 * takes values: checkValues, the constructs' typed props, `synth -f`, `synth --set`, `check` on
 * the values file, and `helm template` on helm 3 and 4.
 */

type Json = Record<string, unknown>;

export interface BadValues {
  readonly name: string;
  readonly values: Json;
  /** The one error every route reports: "[rule] path: value why; fix". */
  readonly says: string;
  /** Why the typed props cannot even express this (the compiler refuses it instead). */
  readonly typesRefuse?: string;
}

const cp = { enabled: true, address: '192.168.0.100' };
const staticPod = { ...cp, deployment: 'staticPod' };
const noServices = { services: { enabled: false } };
const standard = { image: { variant: 'standard' } };
const cidrs = { podCIDRs: ['10.244.0.0/16'], serviceCIDRs: ['10.96.0.0/12'] };
const facts = {
  apiServerAddresses: ['192.168.0.11', '192.168.0.12'],
  nodeAddresses: ['192.168.0.11/24', '192.168.0.12/24'],
  ...cidrs,
};
const bgp = (extra: Json = {}) => ({
  mode: 'bgp',
  bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 65001 }], ...extra },
});
const vip = (address: string, cluster: Json = facts) => ({ controlPlane: { ...cp, address }, cluster });
const pool = (global: Json, cluster: Json = facts) => ({ ipam: { enabled: true, global }, cluster });
const group = (name: string, nodeSelector: Json, extra: Json = {}) => ({ name, nodeSelector, interface: 'eth0', ...extra });
/** A valid config that runs kube-vip-cloud-provider with these settings of it. */
const withCloudProvider = (provider: Json) => ({
  controlPlane: cp,
  services: { enabled: true },
  ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.210'] }, cloudProvider: { enabled: true, ...provider } },
});
const kubeRouter = (extra: Json) => ({ cluster: { ...facts, kubeRouter: { enabled: true, version: 'v2.2.1', ...extra } } });

export const BAD_VALUES: readonly BadValues[] = [
  // The schema: types, keys, ranges, enums, patterns.
  {
    name: 'port as a string',
    values: { controlPlane: { ...cp, port: '6443x' } },
    says: '[schema-type] controlPlane.port: "6443x" is a string, not a whole number; write a whole number',
  },
  {
    name: 'boolean as a quoted string',
    values: { services: { enabled: 'true' } },
    says: '[schema-type] services.enabled: "true" is a string, not true or false; write true or false',
  },
  {
    name: 'list where a map belongs',
    values: { scheduling: { nodeSelector: ['a'] } },
    says: '[schema-type] scheduling.nodeSelector: ["a"] is a list, not a map; write a map',
  },
  {
    name: 'map where a list belongs',
    values: { scheduling: { tolerations: { key: 'a' } } },
    says: '[schema-type] scheduling.tolerations: {"key":"a"} is a map, not a list; write a list',
  },
  {
    name: 'number where a string belongs',
    values: { interface: 0 },
    says: '[schema-type] interface: 0 is a number, not a string; write a string',
  },
  {
    name: 'unknown top-level key',
    values: { vip: '192.168.0.100' },
    says: '[schema-unknown-key] vip: "192.168.0.100" is not a setting of this chart; remove it, or use one of: name, namespace, image, announce, distribution, interface, nodeGroups, controlPlane, services, egress, ipam, cluster, health, metrics, scheduling, updateStrategy, pod, serviceAccount, resources, extraEnv, global',
  },
  {
    name: 'misspelt nested key',
    values: { controlPlane: { ...cp, adress: '192.168.0.100' } },
    says: '[schema-unknown-key] controlPlane.adress: "192.168.0.100" is not a setting of this chart; remove it, or use one of: enabled, address, port, deployment, kubeconfig, leaderElection, loadBalancer',
  },
  {
    name: 'kube-vip env name as a key',
    values: { vip_arp: true },
    says: '[schema-unknown-key] vip_arp: true is not a setting of this chart; remove it, or use one of: name, namespace, image, announce, distribution, interface, nodeGroups, controlPlane, services, egress, ipam, cluster, health, metrics, scheduling, updateStrategy, pod, serviceAccount, resources, extraEnv, global',
  },
  {
    name: 'unknown announce mode',
    values: { announce: { mode: 'layer2' } },
    says: '[schema-enum] announce.mode: "layer2" is not an allowed value; use one of: arp, bgp, routingTable',
  },
  {
    name: 'unknown forwarding method',
    values: { controlPlane: { ...cp, loadBalancer: { enabled: true, forwardingMethod: 'nat' } } },
    says: '[schema-enum] controlPlane.loadBalancer.forwardingMethod: "nat" is not an allowed value; use one of: local, masquerade, tunnel, directroute, bypass',
  },
  {
    name: 'unknown image variant',
    values: { image: { variant: 'nftables' } },
    says: '[schema-enum] image.variant: "nftables" is not an allowed value; use one of: auto, standard, iptables',
  },
  {
    name: 'unknown pull policy',
    values: { image: { pullPolicy: 'Sometimes' } },
    says: '[schema-enum] image.pullPolicy: "Sometimes" is not an allowed value; use one of: IfNotPresent, Always, Never',
  },
  {
    name: 'unknown distribution',
    values: { distribution: 'openshift' },
    says: '[schema-enum] distribution: "openshift" is not an allowed value; use one of: kubeadm, k3s, rke2',
  },
  {
    name: 'unknown deployment',
    values: { controlPlane: { ...cp, deployment: 'deployment' } },
    says: '[schema-enum] controlPlane.deployment: "deployment" is not an allowed value; use one of: daemonset, staticPod',
  },
  {
    name: 'unknown egress backend',
    values: { egress: { backend: 'ipvs' } },
    says: '[schema-enum] egress.backend: "ipvs" is not an allowed value; use one of: nftables, iptables',
  },
  {
    name: 'unknown kube-proxy mode',
    values: { services: { enabled: true }, cluster: { kubeProxy: { mode: 'userspace' } } },
    says: '[schema-enum] cluster.kubeProxy.mode: "userspace" is not an allowed value; use one of: , iptables, ipvs, nftables',
  },
  {
    name: 'control-plane port above 65535',
    values: { controlPlane: { ...cp, port: 99999 } },
    says: '[schema-range] controlPlane.port: 99999 is outside 1-65535; use a number from 1 to 65535',
  },
  {
    name: 'control-plane port 0',
    values: { controlPlane: { ...cp, port: 0 } },
    says: '[schema-range] controlPlane.port: 0 is outside 1-65535; use a number from 1 to 65535',
  },
  {
    name: 'metrics port above 65535',
    values: { metrics: { port: 70000 } },
    says: '[schema-range] metrics.port: 70000 is outside 1-65535; use a number from 1 to 65535',
  },
  {
    name: 'negative lease duration',
    values: { controlPlane: { ...cp, leaderElection: { leaseDurationSeconds: -1 } } },
    says: '[schema-range] controlPlane.leaderElection.leaseDurationSeconds: -1 is outside 1-3600; use a number from 1 to 3600',
  },
  {
    name: 'fractional lease duration',
    values: { controlPlane: { ...cp, leaderElection: { leaseDurationSeconds: 1.5 } } },
    says: '[schema-type] controlPlane.leaderElection.leaseDurationSeconds: 1.5 is a number, not a whole number; write a whole number',
  },
  {
    name: 'ARP rate below the minimum',
    values: { announce: { arp: { rateMs: 10 } } },
    says: '[schema-range] announce.arp.rateMs: 10 is outside 100-600000; use a number from 100 to 600000',
  },
  {
    name: 'BGP AS 0',
    values: { announce: bgp({ as: 0 }) },
    says: '[schema-range] announce.bgp.as: 0 is outside 1-4294967295; use a number from 1 to 4294967295',
  },
  {
    name: 'routing table id above 32 bits',
    values: { announce: { mode: 'routingTable', routingTable: { tableID: 99999999999 } } },
    says: '[schema-range] announce.routingTable.tableID: 99999999999 is outside 1-4294967295; use a number from 1 to 4294967295',
  },
  {
    name: 'a default deleted with null',
    values: { services: { election: null } },
    says: '[schema-type] services.election: null deletes the setting and its default (null does in Helm), which leaves it without a value; leave election out for its default, or give it a value',
  },
  {
    name: 'BGP peer without an AS',
    values: { announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1' }] } } },
    says: '[schema-required] announce.bgp.peers[0].as: (unset) is required; set announce.bgp.peers[0].as (Peer AS number.)',
  },
  {
    name: 'extraEnv item that is not a map',
    values: { extraEnv: [{ name: 'a', value: 'b' }, null] },
    says: '[schema-type] extraEnv[1]: null is null, not a map; write a map',
  },
  {
    name: 'namespace with capitals',
    values: { namespace: 'Kube_System' },
    says: '[schema-pattern] namespace: "Kube_System" is not well formed; write a namespace name (lower case letters, digits and "-", at most 63, alphanumeric at both ends)',
  },
  {
    name: 'name with capitals',
    values: { name: 'Kube-VIP' },
    says: '[schema-pattern] name: "Kube-VIP" is not well formed; write a DNS label (lower case letters, digits and "-", at most 63)',
  },
  {
    name: 'name longer than a label',
    values: { name: 'k'.repeat(64) },
    says: '[schema-pattern] name: "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" is not well formed; write a DNS label (lower case letters, digits and "-", at most 63)',
  },
  {
    name: 'image tag with a space',
    values: { image: { tag: 'v1.2.2 ' } },
    says: '[schema-pattern] image.tag: "v1.2.2 " is not well formed; write an image tag such as v1.2.3',
  },
  {
    name: 'empty image tag',
    values: { image: { tag: '' } },
    says: '[image-reference] image.tag: "" is empty, which leaves the image reference without it: the kubelet cannot pull that image; leave image.tag out for its default, or set it',
  },
  {
    name: 'digest cut short',
    values: { image: { digest: 'sha256:0123' } },
    says: '[schema-pattern] image.digest: "sha256:0123" is not well formed; write a digest such as sha256: and 64 hex digits',
  },
  {
    name: 'repository with a scheme',
    values: { image: { repository: 'https://ghcr.io/kube-vip/kube-vip' } },
    says: '[schema-pattern] image.repository: "https://ghcr.io/kube-vip/kube-vip" is not well formed; write an image repository such as ghcr.io/kube-vip/kube-vip',
  },
  {
    name: 'interface name longer than Linux allows',
    values: { interface: 'enp0s31f6-uplink0' },
    says: '[schema-pattern] interface: "enp0s31f6-uplink0" is not well formed; write a Linux interface name (1-15 characters, no "/", ":" or spaces)',
  },
  {
    name: 'interface name with a slash',
    values: { interface: 'eth0/1' },
    says: '[schema-pattern] interface: "eth0/1" is not well formed; write a Linux interface name (1-15 characters, no "/", ":" or spaces)',
  },
  {
    name: 'VIP with an octet above 255',
    values: { controlPlane: { ...cp, address: '192.168.0.300' } },
    says: '[schema-pattern] controlPlane.address: "192.168.0.300" is not well formed; write an IP address, or an IPv4 and an IPv6 address separated by a comma',
  },
  {
    name: 'VIP as a host name',
    values: { controlPlane: { ...cp, address: 'vip.example.com' } },
    says: '[schema-pattern] controlPlane.address: "vip.example.com" is not well formed; write an IP address, or an IPv4 and an IPv6 address separated by a comma',
  },
  {
    name: 'VIP with a prefix',
    values: { controlPlane: { ...cp, address: '192.168.0.100/24' } },
    says: '[schema-pattern] controlPlane.address: "192.168.0.100/24" is not well formed; write an IP address, or an IPv4 and an IPv6 address separated by a comma',
  },
  {
    name: 'IPv6 VIP with two ::',
    values: { controlPlane: { ...cp, address: 'fd00::1::2' } },
    says: '[schema-pattern] controlPlane.address: "fd00::1::2" is not well formed; write an IP address, or an IPv4 and an IPv6 address separated by a comma',
  },
  {
    name: 'pod CIDR with prefix 33',
    values: { services: { enabled: true }, cluster: { podCIDRs: ['10.0.0.0/33'] } },
    says: '[schema-pattern] cluster.podCIDRs[0]: "10.0.0.0/33" is not well formed; write a CIDR such as 10.0.0.0/16',
  },
  {
    name: 'pull Secret reference with a field besides name',
    values: { image: { pullSecrets: [{ name: 'regcred', namespace: 'registry' }] } },
    says: '[schema-unknown-key] image.pullSecrets[0].namespace: "registry" is not a field of a reference: a LocalObjectReference has only name, and the API server refuses any other; remove it: write {name: <name>}, or just the name',
  },
  {
    name: 'pull Secret reference with an empty name',
    values: { image: { pullSecrets: [{ name: '' }] } },
    says: '[schema-pattern] image.pullSecrets[0].name: "" is empty: a reference without a name names nothing, and the API server refuses it; write a Secret name (lower case letters, digits, "-" and ".", alphanumeric at both ends), or remove the entry',
  },
  {
    name: 'pool CIDR that is an address',
    values: { ipam: { enabled: true, global: { cidrs: ['192.168.0.200'] } } },
    says: '[schema-pattern] ipam.global.cidrs[0]: "192.168.0.200" is not well formed; write a CIDR such as 10.0.0.0/16',
  },
  {
    name: 'pool range written with a prefix',
    values: { ipam: { enabled: true, global: { ranges: ['192.168.0.200/29'] } } },
    says: '[schema-pattern] ipam.global.ranges[0]: "192.168.0.200/29" is not well formed; write a range such as 192.168.1.100-192.168.1.120',
  },
  {
    name: 'namespace pool CIDR malformed',
    values: { ipam: { enabled: true, namespaces: { 'team-a': { cidrs: ['192.168.1.0/24/1'] } } } },
    says: '[schema-pattern] ipam.namespaces.team-a.cidrs[0]: "192.168.1.0/24/1" is not well formed; write a CIDR such as 10.0.0.0/16',
  },
  {
    name: 'namespace pool key that is no namespace',
    values: { ipam: { enabled: true, namespaces: { Team_A: { cidrs: ['192.168.1.0/28'] } } } },
    says: '[schema-key] ipam.namespaces.Team_A: "Team_A" is not a valid key here; write a namespace name (lower case letters, digits and "-", at most 63, alphanumeric at both ends)',
  },
  {
    name: 'node selector key with a space',
    values: { scheduling: { nodeSelector: { 'node role': 'cp' } } },
    says: '[schema-key] scheduling.nodeSelector.node role: "node role" is not a valid key here; write a key such as example.com/team (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")',
  },
  {
    name: 'pod label value longer than 63',
    values: { pod: { labels: { team: 'x'.repeat(64) } } },
    says: '[schema-pattern] pod.labels.team: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" is not well formed; write at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends',
  },
  {
    name: 'priority as text',
    values: { scheduling: { priority: 'high' } },
    says: '[schema-type] scheduling.priority: "high" is a string, not a whole number; write a whole number',
  },
  {
    name: 'metrics bound to a host name',
    values: { metrics: { bindAddress: 'localhost' } },
    says: '[schema-pattern] metrics.bindAddress: "localhost" is not well formed; write an IPv4 or IPv6 address',
  },
  {
    name: 'ServiceAccount name with capitals',
    values: { serviceAccount: { create: false, name: 'Kube_VIP' } },
    says: '[schema-pattern] serviceAccount.name: "Kube_VIP" is not well formed; write a ServiceAccount name (lower case letters, digits, "-" and ".", alphanumeric at both ends)',
  },
  {
    name: 'watch namespace with capitals',
    values: { services: { watchNamespace: 'Team_A' } },
    says: '[schema-pattern] services.watchNamespace: "Team_A" is not well formed; write a namespace name (lower case letters, digits and "-", at most 63, alphanumeric at both ends)',
  },
  {
    name: 'global pull secrets as text',
    values: { global: { imagePullSecrets: 'registry' } },
    says: '[schema-type] global.imagePullSecrets: "registry" is a string, not a list; write a list',
  },
  {
    name: 'lease name with capitals',
    values: { controlPlane: { ...cp, leaderElection: { leaseName: 'Plndr-CP-Lock' } } },
    says: '[schema-pattern] controlPlane.leaderElection.leaseName: "Plndr-CP-Lock" is not well formed; write a Lease name such as plndr-cp-lock (lower case letters, digits, "-" and ".", alphanumeric at both ends)',
  },

  // Combinations (lib/validation/rules.ts): the same words in the chart.
  {
    name: 'nothing enabled',
    values: noServices,
    says: '[feature-none] controlPlane.enabled: false and services.enabled are both off; kube-vip exits with "no features are enabled"; set controlPlane.enabled or services.enabled to true',
  },
  {
    name: 'control plane without a VIP',
    values: { controlPlane: { enabled: true } },
    says: '[control-plane-address] controlPlane.address: "" is empty but the control plane is on; set the VIP, e.g. controlPlane.address: 192.168.1.10',
  },
  {
    name: 'ARP without leader election',
    values: { controlPlane: { ...cp, leaderElection: { enabled: false } } },
    says: '[arp-needs-leader-election] controlPlane.leaderElection.enabled: false does not stop the election in ARP mode: kube-vip v1.2.1 and v1.2.2 elect one leader anyway, then on their default lease plndr-cp-lock and timings, since ours are not written (shown on real kube-vip); set controlPlane.leaderElection.enabled: true (only BGP can announce from every node)',
  },
  {
    name: 'super-admin kubeconfig on a DaemonSet',
    values: { controlPlane: { ...cp, kubeconfig: 'superAdmin' } },
    says: '[P5-kubeconfig-static-pod-only] controlPlane.kubeconfig: "superAdmin" only applies to a static pod; a DaemonSet authenticates with its ServiceAccount; set controlPlane.deployment: staticPod, or remove controlPlane.kubeconfig',
    typesRefuse: 'ControlPlaneWorkload.daemonSet() takes no kubeconfig',
  },
  {
    name: 'super-admin kubeconfig on k3s',
    values: { distribution: 'k3s', controlPlane: { ...staticPod, kubeconfig: 'superAdmin' } },
    says: '[P5-kubeconfig-kubeadm-only] controlPlane.kubeconfig: "superAdmin" is kubeadm\'s super-admin.conf, which k3s does not write; its static pod reads the node kubeconfig of k3s; remove controlPlane.kubeconfig, or set distribution: kubeadm',
  },
  {
    name: 'renew deadline not below the lease',
    values: { controlPlane: { ...cp, leaderElection: { leaseDurationSeconds: 10, renewDeadlineSeconds: 10 } } },
    says: '[lease-timing] controlPlane.leaderElection.renewDeadlineSeconds: 10 is not below leaseDurationSeconds (10); client-go refuses it and the leader could lose the lease while still holding the VIP; make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 6 > 2 > 1 (the defaults)',
  },
  {
    name: 'retry period not below the renew deadline',
    values: { controlPlane: { ...cp, leaderElection: { retryPeriodSeconds: 10 } } },
    says: '[lease-timing] controlPlane.leaderElection.retryPeriodSeconds: 10 is not below renewDeadlineSeconds (2); the leader gets no second try to renew; make leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds, e.g. 6 > 2 > 1 (the defaults)',
  },
  {
    name: 'BGP without a router id',
    values: { announce: { mode: 'bgp', bgp: { peers: [{ address: '192.168.0.1', as: 65001 }] } } },
    says: '[bgp-router-id] announce.bgp.routerID: "" and routerInterface are both empty; BGP needs a router ID; set announce.bgp.routerID to this node\'s IPv4 address, or routerInterface',
  },
  {
    name: 'BGP router id that is IPv6',
    values: { announce: bgp({ routerID: 'fd00::11' }) },
    says: '[bgp-router-id] announce.bgp.routerID: "fd00::11" is not an IPv4 address; a BGP router ID is a 32-bit number written as one; write an IPv4 address',
  },
  {
    name: 'BGP without peers',
    values: { announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11' } } },
    says: '[bgp-peers] announce.bgp.peers: [] is empty; kube-vip would announce to nobody; add at least one peer: {address, as}',
  },
  {
    name: 'BGP password on a static pod',
    values: {
      controlPlane: staticPod,
      announce: bgp({ peers: [{ address: '192.168.0.1', as: 65001, password: { name: 'bgp', key: 'password' } }] }),
    },
    says: '[bgp-password-static-pod] announce.bgp.peers[0].password: {"key":"password","name":"bgp"} cannot reach a static pod: the kubelet does not resolve Secret references for static pods; run the control plane as a DaemonSet (controlPlane.deployment: daemonset) to use BGP passwords',
  },
  {
    name: 'masquerade with the standard image before v1.2.2',
    values: {
      image: { variant: 'standard', tag: 'v1.2.1' },
      controlPlane: { ...cp, loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
    },
    says: '[P1-masquerade-image] controlPlane.loadBalancer.forwardingMethod: "masquerade" needs the kube-vip-iptables image on v1.2.1 (IPVS masquerade forwarding writes its NAT rule with the iptables binaries before v1.2.2), but image.variant is standard, whose image has no iptables: kube-vip cannot add the VIP ("iptables" not in $PATH) and exits, again at every restart; set image.variant to auto or iptables',
  },
  {
    name: 'port security with the standard image',
    values: { ...standard, services: { enabled: true, onlyAllowTrafficServicePorts: true } },
    says: "[P2-port-security-image] services.onlyAllowTrafficServicePorts: true needs the kube-vip-iptables image on v1.2.3 (port security filters Service traffic with iptables-legacy once kube-vip's nftables path is off (egress_withnftables \"false\", which the toolkit's output always sets): that path does not filter on a node without filter/INPUT and drops the Service's own ports on one with it (since v1.2.2)), but image.variant is standard, whose image has no iptables: kube-vip logs a warning and serves the Service with no port filtering; set image.variant to auto or iptables",
  },
  {
    name: 'iptables egress with the standard image',
    values: { ...standard, egress: { enabled: true, backend: 'iptables' }, cluster: cidrs },
    says: "[P3-egress-image] egress.enabled: true needs the kube-vip-iptables image on v1.2.3 (egress SNAT rules run the iptables binaries before v1.2.2 (iptables-nft for the nftables backend), with the iptables backend, and with port security on), but image.variant is standard, whose image has no iptables: kube-vip logs an error and writes no SNAT rule: the pods' traffic leaves with their own addresses; set image.variant to auto or iptables",
  },
  {
    name: 'egress without Services',
    values: { controlPlane: cp, ...noServices, egress: { enabled: true }, cluster: cidrs },
    says: '[P3-egress-needs-services] egress.enabled: true does nothing while services are off; set services.enabled: true',
    typesRefuse: 'an EgressGateway is made in a KubeVipServicesLB',
  },
  {
    name: 'egress without a leader per Service',
    values: { services: { enabled: true, election: false }, egress: { enabled: true }, cluster: cidrs },
    says: "[P3-egress-needs-election] services.election: false must be on for egress: egress rules follow the node that holds the Service's own lease; set services.election: true",
  },
  {
    name: 'egress without a pod CIDR',
    values: { egress: { enabled: true, serviceCIDR: '10.96.0.0/12' } },
    says: '[P3-egress-cidrs] egress.podCIDR: "" is empty: kube-vip would guess it from kube-controller-manager\'s flags or fall back to a default, and SNAT cluster traffic when the guess is wrong; set egress.podCIDR or cluster.podCIDRs',
  },
  {
    name: 'egress without a Service CIDR',
    values: { egress: { enabled: true, podCIDR: '10.244.0.0/16' } },
    says: '[P3-egress-cidrs] egress.serviceCIDR: "" is empty: kube-vip would guess it from kube-controller-manager\'s flags or fall back to a default, and SNAT cluster traffic when the guess is wrong; set egress.serviceCIDR or cluster.serviceCIDRs',
  },
  {
    name: 'IPVS kube-proxy without strictARP',
    values: { services: { enabled: true }, cluster: { kubeProxy: { mode: 'ipvs', strictARP: false } } },
    says: '[kube-proxy-strict-arp] cluster.kubeProxy.strictARP: false is off while kube-proxy runs in IPVS mode: kube-proxy puts every LoadBalancer address on kube-ipvs0 on every node, and without strict ARP every node answers ARP for it, so the address kube-vip announces from one node flaps between all their MACs; set ipvs.strictARP: true in the kube-proxy ConfigMap (kube-system) and restart kube-proxy, and record it as cluster.kubeProxy.strictARP: true; or announce with BGP',
  },
  {
    name: 'only a class, and no class named',
    values: { services: { enabled: true, loadBalancerClass: { name: '', only: true } } },
    says: '[lb-class-name] services.loadBalancerClass.name: "" is empty while only that class is served; no Service would match; set a class name',
  },
  {
    name: 'extraEnv without a name',
    values: { extraEnv: [{ name: '', value: '5' }] },
    says: '[extra-env] extraEnv[0]: {"name":"","value":"5"} has no name; write {name: ..., value: ...}',
  },
  {
    name: 'extraEnv sets the VIP',
    values: { controlPlane: cp, extraEnv: [{ name: 'address', value: '192.168.0.101' }] },
    says: '[extra-env-managed] extraEnv[0].name: "address" is set from the model already (controlPlane.address); two values for one variable would disagree; set controlPlane.address instead of extraEnv',
  },
  {
    name: 'extraEnv sets the interface',
    values: { extraEnv: [{ name: 'vip_interface', value: 'eth1' }] },
    says: '[extra-env-managed] extraEnv[0].name: "vip_interface" is set from the model already (interface); two values for one variable would disagree; set interface instead of extraEnv',
  },
  {
    name: 'extraEnv sets the health port',
    values: { extraEnv: [{ name: 'health_check_port', value: '4112' }] },
    says: '[extra-env-managed] extraEnv[0].name: "health_check_port" is set from the model already (health.enabled); two values for one variable would disagree; set health.enabled instead of extraEnv',
  },
  // What the API server refuses in the Kubernetes fields the model passes through (test/e2e/pass-through.test.ts shows it refuses them).
  {
    name: 'an extraEnv name with =',
    values: { controlPlane: { enabled: true, address: '192.168.0.100' }, extraEnv: [{ name: 'A=B', value: '1' }] },
    says: '[schema-pattern] extraEnv[0].name: "A=B" is not well formed; write a name of letters, digits, "_", "-" and "." that does not start with a digit',
  },
  {
    name: 'an extraEnv name twice',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      extraEnv: [
        { name: 'HTTPS_PROXY', value: 'a' },
        { name: 'HTTPS_PROXY', value: 'b' },
      ],
    },
    says: '[extra-env-duplicate] extraEnv[1].name: "HTTPS_PROXY" is the name of an earlier extraEnv item too: the API server refuses two of one name (and server-side apply, Helm 4\'s default, cannot key them); give each extraEnv item a name of its own, or keep one',
  },
  {
    name: 'extraEnv value and valueFrom',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      extraEnv: [{ name: 'NODE', value: 'a', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    },
    says: '[extra-env-value-and-source] extraEnv[0].valueFrom: {"fieldRef":{"fieldPath":"spec.nodeName"}} is given with a value: the API server takes one or the other ("may not be specified when `value` is not empty"); keep value for a fixed text, or valueFrom for a reference',
  },
  {
    name: 'extraEnv valueFrom without a source',
    values: { controlPlane: { enabled: true, address: '192.168.0.100' }, extraEnv: [{ name: 'NODE', valueFrom: {} }] },
    says: '[extra-env-value-source] extraEnv[0].valueFrom: {} names no source or several: the API server takes exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef; keep one source, or remove valueFrom and give a value',
  },
  {
    name: 'extraEnv valueFrom with two sources',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      extraEnv: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' }, secretKeyRef: { name: 'creds', key: 'node' } } }],
    },
    says: '[extra-env-value-source] extraEnv[0].valueFrom: {"fieldRef":{"fieldPath":"spec.nodeName"},"secretKeyRef":{"key":"node","name":"creds"}} names no source or several: the API server takes exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef; keep one source, or remove valueFrom and give a value',
  },
  {
    name: 'an extraEnv Secret key with /',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      extraEnv: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'a/b' } } }],
    },
    says: '[schema-pattern] extraEnv[0].valueFrom.secretKeyRef.key: "a/b" is not well formed; write a key of letters, digits, "-", "_" and "." (at most 253)',
  },
  {
    name: 'a volume name twice',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      pod: {
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'v', emptyDir: {} },
        ],
      },
    },
    says: '[volume-duplicate] pod.volumes[1].name: "v" is the name of an earlier volume too: the API server refuses two of one name (and server-side apply, Helm 4\'s default, cannot key them); give each volume a name of its own, or keep one',
  },
  {
    name: 'a volume with two sources',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      pod: { volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/etc/kubernetes' } }] },
    },
    says: '[volume-source] pod.volumes[0]: {"emptyDir":{},"hostPath":{"path":"/etc/kubernetes"},"name":"v"} has several volume sources besides its name (e.g. hostPath and emptyDir): the API server takes one; give each volume one source, e.g. {name: kubeconfig, hostPath: {path: /etc/kubernetes/admin.conf, type: File}}',
  },
  {
    name: 'a mount of no volume',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      pod: { volumeMounts: [{ name: 'missing', mountPath: '/etc/kube-vip' }] },
    },
    says: '[volume-mount-volume] pod.volumeMounts[0].name: "missing" names no volume of pod.volumes: the API server refuses a mount of a volume the pod does not have; add the volume to pod.volumes, or correct the name',
  },
  {
    name: 'a mount path twice',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      pod: {
        volumes: [
          { name: 'a', emptyDir: {} },
          { name: 'b', emptyDir: {} },
        ],
        volumeMounts: [
          { name: 'a', mountPath: '/m' },
          { name: 'b', mountPath: '/m' },
        ],
      },
    },
    says: '[volume-mount-path-duplicate] pod.volumeMounts[1].mountPath: "/m" is the mountPath of an earlier volume mount too: the API server refuses two of one mountPath (and server-side apply, Helm 4\'s default, cannot key them); give each volume mount a mountPath of its own, or keep one',
  },
  {
    name: 'Bidirectional mount propagation',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      pod: { volumes: [{ name: 'a', emptyDir: {} }], volumeMounts: [{ name: 'a', mountPath: '/m', mountPropagation: 'Bidirectional' }] },
    },
    says: '[volume-mount-propagation] pod.volumeMounts[0].mountPropagation: "Bidirectional" needs a privileged container, and kube-vip\'s is privileged only for IPVS masquerade: the API server refuses it in the others, and kube-vip propagates no mounts; remove mountPropagation, or use HostToContainer',
  },
  {
    name: 'a toleration Exists with a value',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      scheduling: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] },
    },
    says: '[toleration-exists-value] scheduling.tolerations[0].value: "v" is given with operator Exists, which matches any value: the API server refuses a value there; remove value, or use operator Equal',
  },
  {
    name: 'a toleration of every key with Equal',
    values: { controlPlane: { enabled: true, address: '192.168.0.100' }, scheduling: { tolerations: [{ operator: 'Equal', value: 'v' }] } },
    says: '[toleration-key-operator] scheduling.tolerations[0].operator: "Equal" is not Exists while key is empty: a toleration of every taint must say Exists, or the API server refuses it; set operator: Exists, or name the taint key',
  },
  {
    name: 'tolerationSeconds for NoSchedule',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      scheduling: { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] },
    },
    says: '[toleration-seconds-effect] scheduling.tolerations[0].tolerationSeconds: 5 is set for an effect other than NoExecute: only NoExecute taints evict, and the API server refuses it elsewhere; set effect: NoExecute, or remove tolerationSeconds',
  },
  {
    name: "the provider's toleration Exists with a value",
    values: withCloudProvider({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }),
    says: '[toleration-exists-value] ipam.cloudProvider.tolerations[0].value: "v" is given with operator Exists, which matches any value: the API server refuses a value there; remove value, or use operator Equal',
  },
  {
    name: 'a priority class that is no name',
    values: { controlPlane: { enabled: true, address: '192.168.0.100' }, scheduling: { priorityClassName: 'Bad_Class' } },
    says: '[schema-pattern] scheduling.priorityClassName: "Bad_Class" is not well formed; write a PriorityClass name (lower case letters, digits, "-" and ".", alphanumeric at both ends)',
  },
  {
    name: 'a BGP password key with /',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      announce: {
        mode: 'bgp',
        bgp: { routerID: '192.168.0.11', as: 65000, peers: [{ address: '192.168.0.1', as: 65001, password: { name: 'bgp', key: 'a/b' } }] },
      },
    },
    says: '[schema-pattern] announce.bgp.peers[0].password.key: "a/b" is not well formed; write a key of letters, digits, "-", "_" and "." (at most 253)',
  },
  {
    name: 'an update strategy of no kind',
    values: { controlPlane: { enabled: true, address: '192.168.0.100' }, updateStrategy: { type: 'Bogus' } },
    says: '[update-strategy-type] updateStrategy.type: "Bogus" is not a DaemonSet update strategy: the API server takes RollingUpdate or OnDelete; set RollingUpdate (one node at a time) or OnDelete, or leave updateStrategy out',
  },
  {
    name: 'maxUnavailable that is no amount',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '1.5' } },
    },
    says: '[update-strategy-amount] updateStrategy.rollingUpdate.maxUnavailable: "1.5" is neither a number of nodes nor a percentage: the API server refuses it; write a whole number such as 1, or a percentage such as 10%',
  },
  {
    name: 'maxSurge that is no amount',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 'one' } },
    },
    says: '[update-strategy-amount] updateStrategy.rollingUpdate.maxSurge: "one" is neither a number of nodes nor a percentage: the API server refuses it; write a whole number such as 1, or a percentage such as 10%',
  },
  {
    name: 'maxUnavailable 0 without a surge',
    values: {
      controlPlane: { enabled: true, address: '192.168.0.100' },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
    },
    says: '[update-strategy-amount] updateStrategy.rollingUpdate.maxUnavailable: 0 is 0 while maxSurge is 0 or unset: the rollout could never replace a pod, and the API server refuses it; set maxUnavailable: 1',
  },
  // What would turn kube-vip against the cluster or its node.
  ...['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'].map((name) => ({
    name: `extraEnv sets ${name}`,
    values: { controlPlane: cp, extraEnv: [{ name, value: '443' }] },
    says: `[extra-env-api-client] extraEnv[0].name: "${name}" redirects kube-vip's API client: client-go reads it to find the API server, so kube-vip would send its requests and its ServiceAccount token to that host; remove it: the kubelet sets it for the cluster's API server (on k3s or rke2, where the VIP must come up before the Service network, set distribution)`,
  })),
  {
    name: 'extraEnv turns on WireGuard',
    values: { controlPlane: cp, extraEnv: [{ name: 'vip_wireguard', value: 'true' }] },
    says: '[extra-env-announcement] extraEnv[0].name: "vip_wireguard" turns on a second announcement mode beside announce.mode, and kube-vip runs exactly one: it exits at start; remove it; WireGuard mode is not in the model: choose announce.mode arp, bgp or routingTable',
  },
  ...['/', '//', '/./', '/../..'].map((path) => ({
    name: `the host's root as a volume (${path})`,
    values: { controlPlane: cp, pod: { volumes: [{ name: 'host', hostPath: { path } }] } },
    says: `[host-path-root] pod.volumes[0].hostPath.path: "${path}" mounts the node's whole file system into kube-vip, a privileged pod on the host network: a flaw in kube-vip would give away the node; mount only the file or folder kube-vip needs, e.g. /etc/kubernetes/admin.conf`,
  })),
  ...[
    '/',
    '/var/',
    '/var/run',
    '/var/run/secrets',
    '/var/run/secrets/kubernetes.io/serviceaccount',
    '//var//run/secrets/kubernetes.io/',
  ].map((mountPath) => ({
    name: `a mount over the ServiceAccount token (${mountPath})`,
    values: { controlPlane: cp, pod: { volumes: [{ name: 'v', emptyDir: {} }], volumeMounts: [{ name: 'v', mountPath }] } },
    says: `[mount-hides-token] pod.volumeMounts[0].mountPath: "${mountPath}" covers /var/run/secrets/kubernetes.io/serviceaccount, where the kubelet puts the ServiceAccount token: kube-vip's API client then has no credentials, or the volume's; mount the volume elsewhere, e.g. under /etc/kube-vip`,
  })),
  ...['100%', '250%'].map((maxUnavailable) => ({
    name: `a rollout of ${maxUnavailable} of the nodes at once`,
    values: { controlPlane: cp, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } } },
    says: `[update-strategy-all-at-once] updateStrategy.rollingUpdate.maxUnavailable: "${maxUnavailable}" lets a rollout restart kube-vip on every node at once: the VIP and the Service addresses have no holder until a new pod takes the lease; leave updateStrategy out (one node at a time), or set rollingUpdate.maxUnavailable: 1`,
  })),
  {
    name: 'static pod and DaemonSet on one metrics port',
    values: { controlPlane: staticPod, metrics: { port: 2112, servicesPort: 2112 } },
    says: '[port-collision] metrics.servicesPort: 2112 equals metrics.port, but the control-plane static pod and the Services DaemonSet share control-plane nodes; give them different ports, e.g. 2112 and 2113',
  },
  {
    name: 'metrics on the API server port',
    values: { controlPlane: cp, metrics: { port: 6443 } },
    says: '[port-collision] metrics.port: 6443 is already used by the API server (controlPlane.port) on control-plane nodes (kube-vip runs in the host network); choose a free port, e.g. 2112',
  },
  {
    name: 'metrics on etcd',
    values: { controlPlane: cp, metrics: { port: 2379 } },
    says: '[port-collision] metrics.port: 2379 is already used by etcd client on control-plane nodes (kube-vip runs in the host network); choose a free port, e.g. 2112',
  },
  {
    name: 'image repository with capitals',
    values: { image: { repository: 'ghcr.io/Kube-VIP/kube-vip' } },
    says: '[schema-pattern] image.repository: "ghcr.io/Kube-VIP/kube-vip" is not well formed; write an image repository such as ghcr.io/kube-vip/kube-vip',
  },
  {
    name: 'pod label that is ours',
    values: { pod: { labels: { 'app.kubernetes.io/instance': 'other' } } },
    says: '[label-reserved] pod.labels.app.kubernetes.io/instance: "other" is a label this toolkit sets itself (the app.kubernetes.io/ and helm.sh/ keys; each DaemonSet selects its pods by two of them); remove it from pod.labels, or use a key of your own such as example.com/team',
  },
  {
    name: 'digest with the variant left to choose',
    values: {
      controlPlane: { ...cp, loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
      image: { digest: `sha256:${'ab'.repeat(32)}` },
    },
    says: '[image-digest-variant] image.digest: "sha256:abababababababababababababababababababababababababababababababab" names one image, but image.variant auto picks the standard or the iptables image from the enabled features, and their digests differ; set image.variant to the image the digest is of: standard or iptables',
    typesRefuse: 'a KubeVipImage is of one variant, never auto',
  },
  {
    name: 'static pod with a priority',
    values: { controlPlane: staticPod, scheduling: { priority: 1000 } },
    says: "[static-pod-priority] scheduling.priority: 1000 differs from 2000001000, the value of system-node-critical: the API server refuses a pod whose priority is not its class's, so the static pod's mirror pod is refused; remove scheduling.priority (0 takes 2000001000 from the class), or set 2000001000",
  },
  {
    name: 'static pod with a volume named like ours',
    values: { controlPlane: staticPod, pod: { volumes: [{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/admin.conf' } }] } },
    says: '[static-pod-volume] pod.volumes[0].name: "kubeconfig" is the name of the volume that mounts the node\'s kubeconfig; the kubelet refuses a pod with two volumes of one name; give this volume another name',
  },
  {
    name: 'iptables image with a volume named like its /run',
    values: {
      image: { variant: 'iptables' },
      pod: { volumes: [{ name: 'run', emptyDir: {} }], volumeMounts: [{ name: 'run', mountPath: '/data' }] },
    },
    says: '[run-volume-taken] pod.volumes[0].name: "run" is the name of the volume that gives the iptables image a writable /run under the read-only root; the API server refuses a pod with two volumes of one name; give this volume another name',
  },
  {
    name: 'iptables image with a mount at its /run',
    values: {
      image: { variant: 'iptables' },
      pod: { volumes: [{ name: 'data', emptyDir: {} }], volumeMounts: [{ name: 'data', mountPath: '/run' }] },
    },
    says: '[run-volume-taken] pod.volumeMounts[0].mountPath: "/run" is where the iptables image gets its writable /run for iptables\' lock file (/var/run links there): the API server refuses two mounts at one path, and a runtime mounts one over the other; mount the volume elsewhere, e.g. under /etc/kube-vip',
  },
  {
    name: 'resources with a misspelt field',
    values: { resources: { requests: { cpu: '50m' }, limit: { memory: '1Gi' } } },
    says: '[resources-field] resources.limit: "limit" is not a field of a container\'s resources: the API server knows requests and limits (and claims, which need resource claims kube-vip\'s pod does not have); keep requests and limits only, e.g. {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 256Mi}}',
  },
  {
    name: 'resource that is no container resource',
    values: { resources: { requests: { gpu: 1 } } },
    says: '[resources-name] resources.requests.gpu: "gpu" is no resource a container can ask for: the API server takes cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource named with a domain (vendor.example/device); use one of those names, e.g. cpu or memory',
  },
  {
    name: 'negative memory limit',
    values: { resources: { limits: { memory: '-1Gi' } } },
    says: '[resources-quantity] resources.limits.memory: "-1Gi" is no quantity the toolkit takes: a number that is not negative (at most 40 digits either side of the point), with a suffix such as m, Mi or Gi, or an exponent of at most 3 digits; write a quantity such as 50m (CPU) or 64Mi (memory)',
  },
  {
    name: "cloud provider's memory in the wrong case",
    values: withCloudProvider({ resources: { requests: { memory: '64MI' } } }),
    says: '[resources-quantity] ipam.cloudProvider.resources.requests.memory: "64MI" is no quantity the toolkit takes: a number that is not negative (at most 40 digits either side of the point), with a suffix such as m, Mi or Gi, or an exponent of at most 3 digits; write a quantity such as 50m (CPU) or 64Mi (memory)',
  },
  {
    name: 'IPVS bypass forwarding',
    values: { controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: 'bypass' } } },
    says: '[lb-forwarding-bypass] controlPlane.loadBalancer.forwardingMethod: "bypass" forwards nothing to the API servers: IPVS\'s bypass method sends each packet on to its own destination, the VIP, and clients of the VIP port time out (every release, shown on real kube-vip with IPVS); use masquerade to balance over the control-plane nodes, or local for the VIP holder\'s own API server',
  },
  {
    name: 'CPU request above its limit',
    values: { resources: { requests: { cpu: '200m' }, limits: { cpu: '0.1' } } },
    says: '[resources-request-above-limit] resources.requests.cpu: "200m" is more than the limit of the same resource: the API server takes a request only up to its limit; lower the request, or raise the limit under limits',
  },
  {
    name: 'extended resource request below its limit',
    values: { resources: { requests: { 'example.com/dongle': 1 }, limits: { 'example.com/dongle': 2 } } },
    says: '[resources-request-not-limit] resources.requests.example.com/dongle: 1 has no equal limit: hugepages and extended resources cannot be overcommitted, so the API server needs the limit of the same resource set to the same quantity; set the same quantity under limits, or give only the limit (the request then defaults to it)',
  },
  {
    name: 'half an extended resource',
    values: { resources: { limits: { 'example.com/dongle': '0.5' } } },
    says: '[resources-extended-whole] resources.limits.example.com/dongle: "0.5" is not a whole number: the API server counts an extended resource in whole units; give a whole number of units, e.g. 1',
  },
  {
    name: 'node affinity without terms',
    values: { scheduling: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } } },
    says: '[affinity-node-terms] scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: [] is empty: the API server needs at least one node selector term (and a pod with none could run nowhere); add a term, e.g. {matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]}, or remove requiredDuringSchedulingIgnoredDuringExecution',
  },
  {
    name: 'preferred pod anti-affinity without a topology key',
    values: {
      scheduling: {
        affinity: {
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: '' } }] },
        },
      },
    },
    says: '[affinity-topology-key] scheduling.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: "" is empty: the API server needs the node label that names the topology domain; set it, e.g. kubernetes.io/hostname',
  },
  {
    name: 'node requirement with an empty key',
    values: {
      scheduling: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: '', operator: 'Exists' }] }],
            },
          },
        },
      },
    },
    says: '[affinity-requirement-key] scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: "" is empty: the API server needs the label key the requirement is about; set the label key, e.g. kubernetes.io/hostname',
  },
  {
    name: 'node requirement NotIn without values',
    values: {
      scheduling: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'example.com/rack', operator: 'NotIn' }] }],
            },
          },
        },
      },
    },
    says: '[affinity-requirement-values] scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: (unset) is empty while the operator is In or NotIn: the API server needs the values to compare with; list the values, or use operator Exists',
  },
  {
    name: 'node requirement Lt of a word',
    values: {
      scheduling: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'example.com/cores', operator: 'Lt', values: ['many'] }] }],
            },
          },
        },
      },
    },
    says: '[affinity-requirement-values] scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: ["many"] is not one whole number while the operator is Gt or Lt: the API server needs exactly one value, and the scheduler compares it as an integer; give one whole number, e.g. values: ["3"]',
  },
  {
    name: 'ServiceAccount neither created nor named',
    values: { serviceAccount: { create: false } },
    says: '[service-account-missing] serviceAccount.name: "" is empty while serviceAccount.create is false: the DaemonSet would run as a ServiceAccount nobody creates, and its pods would not start; name the existing ServiceAccount, or set serviceAccount.create: true',
  },
  {
    name: 'node group without a name',
    values: { nodeGroups: [group('', { zone: 'a' })] },
    says: '[node-group-name-empty] nodeGroups[0].name: "" is empty; the group\'s DaemonSet needs a name of its own, <name>-<group>; name the group after its nodes, e.g. name: dell',
  },
  {
    name: 'node group with an empty selector',
    values: { nodeGroups: [group('a', {})] },
    says: '[node-group-selector-empty] nodeGroups[0].nodeSelector: {} is empty, so the group takes every node and no node is left for another group; select the nodes by a label, e.g. nodeSelector: {example.com/nic: eno1}',
  },
  {
    name: 'node group without an interface',
    values: { nodeGroups: [{ name: 'a', nodeSelector: { zone: 'a' } }] },
    says: '[node-group-interface-empty] nodeGroups[0].interface: (unset) and servicesInterface are both empty, so the group changes no interface; set the interface its nodes have, e.g. interface: eno1 (see `ip -br link` on one of them)',
  },
  {
    name: 'node groups with one name',
    values: { nodeGroups: [group('a', { zone: 'a' }), group('a', { zone: 'b' })] },
    says: '[node-group-name-duplicate] nodeGroups[1].name: "a" names an earlier group too, and both would write one DaemonSet; give each group a name of its own',
  },
  {
    name: 'node group the node selector excludes',
    values: { scheduling: { nodeSelector: { zone: 'a' } }, nodeGroups: [group('b', { zone: 'b' })] },
    says: '[node-group-selector-conflict] nodeGroups[0].nodeSelector: {"zone":"b"} gives a label another value than scheduling.nodeSelector does, so the group selects no node; use the same value in both, or keep the label in one of them',
  },
  {
    name: 'node groups a node can be in twice',
    values: { nodeGroups: [group('a', { zone: 'a' }), group('b', { rack: 'b' })] },
    says: '[node-group-overlap] nodeGroups[1].nodeSelector: {"rack":"b"} can select a node group a selects too (no label they both set has different values): there two kube-vips elect on one lease with one identity, the node\'s name, and both announce; give both groups one label with different values, e.g. example.com/nic: eno1 and example.com/nic: ens192',
  },
  {
    name: 'node groups on a static pod alone',
    values: { controlPlane: staticPod, ...noServices, nodeGroups: [group('a', { zone: 'a' })] },
    says: '[node-groups-static-pod] nodeGroups: [{"interface":"eth0","name":"a","nodeSelector":{"zone":"a"}}] split DaemonSets, and this config has none: the control plane runs as a static pod, which takes interface; remove nodeGroups, and write each node\'s static pod with its interface (e.g. synth --set interface=eno1)',
  },
  {
    name: 'node group port above 65535',
    values: { metrics: { servicesPort: 65534 }, nodeGroups: [group('a', { zone: 'a' }), group('b', { zone: 'b' })] },
    says: '[port-range] metrics.servicesPort: 65534 gives the node group DaemonSet kube-vip-b the metrics port 65536, above 65535 (each group adds 2); lower the port, or use fewer node groups',
  },

  // Addresses no node can announce (lib/net/address-classes.ts).
  {
    name: 'loopback VIP',
    values: vip('127.0.0.1'),
    says: '[address-class] controlPlane.address: "127.0.0.1" is in 127.0.0.0/8, the loopback block; it never leaves the node that has it, so no client reaches it; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'unspecified VIP',
    values: vip('0.0.0.0'),
    says: '[address-class] controlPlane.address: "0.0.0.0" is in 0.0.0.0/8, the "this network" block; no host has such an address (RFC 791, RFC 1122), and 0.0.0.0 means "any address" to a socket; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'link-local VIP',
    values: vip('169.254.10.10'),
    says: '[address-class] controlPlane.address: "169.254.10.10" is in 169.254.0.0/16, the link-local block; it is not routed beyond one link (and 169.254.169.254 is the metadata address of many clouds); choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'multicast VIP',
    values: vip('224.0.0.18'),
    says: '[address-class] controlPlane.address: "224.0.0.18" is in 224.0.0.0/4, the multicast block; it names a group of receivers, not one host; ARP and BGP do not announce it as a host address; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'limited broadcast VIP',
    values: vip('255.255.255.255'),
    says: '[address-class] controlPlane.address: "255.255.255.255" is in 255.255.255.255/32, the limited broadcast block; it reaches every host on the link and is never routed; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'reserved VIP',
    values: vip('240.0.0.1'),
    says: '[address-class] controlPlane.address: "240.0.0.1" is in 240.0.0.0/4, the reserved block; it is reserved (RFC 1112, RFC 6890: not forwardable), and many hosts and routers drop it; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'IPv6 loopback VIP',
    values: vip('::1', {}),
    says: '[address-class] controlPlane.address: "::1" is in ::1/128, the loopback block; it never leaves the node that has it; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'IPv6 unspecified VIP',
    values: vip('::', {}),
    says: '[address-class] controlPlane.address: "::" is in ::/128, the unspecified block; it means "any address" to a socket; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'IPv6 link-local VIP',
    values: vip('fe80::10', {}),
    says: '[address-class] controlPlane.address: "fe80::10" is in fe80::/10, the link-local block; it is valid on one link only and needs a zone (fe80::1%eth0) that a VIP cannot carry; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'IPv6 multicast VIP',
    values: vip('ff02::12', {}),
    says: '[address-class] controlPlane.address: "ff02::12" is in ff00::/8, the multicast block; it names a group of receivers, not one host; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'IPv4-mapped VIP',
    values: vip('::ffff:192.168.0.100', {}),
    says: '[address-class] controlPlane.address: "::ffff:192.168.0.100" is in ::ffff:0:0/96, the IPv4-mapped IPv6 block; kube-vip and the kernel treat it as the IPv4 address it maps, which the checks against node and API-server addresses would not see; write the IPv4 address 192.168.0.100 instead',
  },
  {
    name: 'IPv6 discard-only VIP',
    values: vip('100::10', {}),
    says: '[address-class] controlPlane.address: "100::10" is in 100::/64, the discard-only block; it is the discard prefix (RFC 6666): routers drop what is sent to it, so no client reaches it; choose unicast addresses clients can reach for the control-plane VIP, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'IPv4-compatible VIP',
    values: vip('::192.168.0.100', {}),
    says: '[address-class] controlPlane.address: "::192.168.0.100" is in ::/96, the IPv4-compatible IPv6 block; it is deprecated (RFC 4291 2.5.5.1): no stack routes it as IPv6 any more, and the IPv4 address it embeds is what was meant; write the IPv4 address 192.168.0.100 instead',
  },
  {
    name: 'discard-only pool',
    values: { ipam: { enabled: true, global: { cidrs: ['100::/120'] } } },
    says: '[address-class] ipam.global.cidrs[0]: "100::/120" overlaps 100::/64, the discard-only block; it is the discard prefix (RFC 6666): routers drop what is sent to it, so no client reaches it; choose unicast addresses clients can reach for a LoadBalancer pool, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'loopback pool',
    values: pool({ cidrs: ['127.0.0.0/30'] }),
    says: '[address-class] ipam.global.cidrs[0]: "127.0.0.0/30" overlaps 127.0.0.0/8, the loopback block; it never leaves the node that has it, so no client reaches it; choose unicast addresses clients can reach for a LoadBalancer pool, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'link-local pool range',
    values: pool({ ranges: ['169.254.0.10-169.254.0.20'] }),
    says: '[address-class] ipam.global.ranges[0]: "169.254.0.10-169.254.0.20" overlaps 169.254.0.0/16, the link-local block; it is not routed beyond one link (and 169.254.169.254 is the metadata address of many clouds); choose unicast addresses clients can reach for a LoadBalancer pool, e.g. unused ones of the nodes\' subnet',
  },
  {
    name: 'multicast namespace pool',
    values: { ipam: { enabled: true, namespaces: { 'team-a': { cidrs: ['239.1.1.0/29'] } } } },
    says: '[address-class] ipam.namespaces.team-a.cidrs[0]: "239.1.1.0/29" overlaps 224.0.0.0/4, the multicast block; it names a group of receivers, not one host; ARP and BGP do not announce it as a host address; choose unicast addresses clients can reach for a LoadBalancer pool, e.g. unused ones of the nodes\' subnet',
  },

  // Addresses that take over the cluster's own (P4).
  {
    name: "VIP equal to an API server's address",
    values: vip('192.168.0.11', { apiServerAddresses: ['192.168.0.11'] }),
    says: '[P4-announced-address-in-use] controlPlane.address: "192.168.0.11" is an API server address (cluster.apiServerAddresses[0] = 192.168.0.11); announcing it takes that address away from its owner; choose addresses that no host holds, so not 192.168.0.11; with ARP, free ones of the nodes\' subnet, where ARP is answered',
  },
  {
    name: "VIP equal to a node's address",
    values: vip('192.168.0.12', { nodeAddresses: ['192.168.0.12/24'] }),
    says: '[P4-announced-address-in-use] controlPlane.address: "192.168.0.12" is a node address (cluster.nodeAddresses[0] = 192.168.0.12/24); announcing it takes that address away from its owner; choose addresses that no host holds, so not 192.168.0.12; with ARP, free ones of the nodes\' subnet, where ARP is answered',
  },
  {
    name: 'VIP in the pod CIDR',
    values: vip('10.244.1.1'),
    says: '[P4-announced-address-in-cluster-network] controlPlane.address: "10.244.1.1" overlaps the pod CIDR 10.244.0.0/16 (cluster.podCIDRs[0]); traffic to it would be routed into the cluster network; choose addresses outside 10.244.0.0/16',
  },
  {
    name: 'VIP in the Service CIDR',
    values: vip('10.96.0.10'),
    says: '[P4-announced-address-in-cluster-network] controlPlane.address: "10.96.0.10" overlaps the Service CIDR 10.96.0.0/12 (cluster.serviceCIDRs[0]); traffic to it would be routed into the cluster network; choose addresses outside 10.96.0.0/12',
  },
  {
    name: "VIP at the nodes' subnet address",
    values: vip('192.168.0.0'),
    says: '[P4-subnet-zero-address] controlPlane.address: "192.168.0.0" includes 192.168.0.0, the subnet-zero (network) address of the node subnet 192.168.0.11/24; leave the first and last address of the subnet out',
  },
  {
    name: "VIP at the nodes' broadcast address",
    values: vip('192.168.0.255'),
    says: '[P4-subnet-zero-address] controlPlane.address: "192.168.0.255" includes 192.168.0.255, the broadcast address of the node subnet 192.168.0.11/24; leave the first and last address of the subnet out',
  },
  {
    name: 'IPv6 VIP on IPv4 nodes',
    values: vip('fd00::100'),
    says: '[P4-address-family] controlPlane.address: "fd00::100" is IPv6, but the cluster is IPv4 only; use an IPv4 address',
  },
  {
    name: "pool CIDR holding an API server's address",
    values: pool({ cidrs: ['192.168.0.8/29'] }, { apiServerAddresses: ['192.168.0.11'] }),
    says: '[P4-announced-address-in-use] ipam.global.cidrs[0]: "192.168.0.8/29" contains an API server address (cluster.apiServerAddresses[0] = 192.168.0.11); announcing it takes that address away from its owner; choose addresses that no host holds, so not 192.168.0.11; with ARP, free ones of the nodes\' subnet, where ARP is answered',
  },
  {
    name: "pool range holding a node's address",
    values: pool({ ranges: ['192.168.0.10-192.168.0.20'] }, { nodeAddresses: ['192.168.0.12/24'] }),
    says: '[P4-announced-address-in-use] ipam.global.ranges[0]: "192.168.0.10-192.168.0.20" contains a node address (cluster.nodeAddresses[0] = 192.168.0.12/24); announcing it takes that address away from its owner; choose addresses that no host holds, so not 192.168.0.12; with ARP, free ones of the nodes\' subnet, where ARP is answered',
  },
  {
    name: 'pool overlapping the Service CIDR',
    values: pool({ cidrs: ['10.96.0.0/24'] }),
    says: '[P4-announced-address-in-cluster-network] ipam.global.cidrs[0]: "10.96.0.0/24" overlaps the Service CIDR 10.96.0.0/12 (cluster.serviceCIDRs[0]); traffic to it would be routed into the cluster network; choose addresses outside 10.96.0.0/12',
  },
  {
    name: 'pool holding the subnet address',
    values: pool({ ranges: ['192.168.0.0-192.168.0.5'] }),
    says: '[P4-subnet-zero-address] ipam.global.ranges[0]: "192.168.0.0-192.168.0.5" includes 192.168.0.0, the subnet-zero (network) address of the node subnet 192.168.0.11/24; leave the first and last address of the subnet out',
  },
  {
    name: 'pool holding the VIP',
    values: { controlPlane: cp, ...pool({ ranges: ['192.168.0.90-192.168.0.110'] }) },
    says: '[P4-announced-addresses-overlap] ipam.global.ranges[0]: "192.168.0.90-192.168.0.110" overlaps the control-plane VIP 192.168.0.100 (controlPlane.address); the same address could be announced twice; make the pools, the VIP and the addresses Services ask for disjoint',
  },
  {
    name: 'a namespace pool inside the global one',
    values: { ipam: { enabled: true, global: { cidrs: ['192.168.0.192/28'] }, namespaces: { 'team-a': { cidrs: ['192.168.0.200/29'] } } } },
    says: '[P4-announced-addresses-overlap] ipam.namespaces.team-a.cidrs[0]: "192.168.0.200/29" overlaps a LoadBalancer pool 192.168.0.192/28 (ipam.global.cidrs[0]); the same address could be announced twice; make the pools, the VIP and the addresses Services ask for disjoint',
  },
  {
    name: 'range end before its start',
    values: pool({ ranges: ['192.168.0.220-192.168.0.200'] }),
    says: '[address-syntax] ipam.global.ranges[0]: "192.168.0.220-192.168.0.200" is not a range "first-last" of one IP family, first <= last; write a range "first-last" of one IP family, first <= last',
  },
  {
    name: 'range across families',
    values: pool({ ranges: ['192.168.0.200-fd00::1'] }),
    says: '[address-syntax] ipam.global.ranges[0]: "192.168.0.200-fd00::1" is not a range "first-last" of one IP family, first <= last; write a range "first-last" of one IP family, first <= last',
  },
  {
    name: "pool outside kube-router's range",
    values: { ...pool({ cidrs: ['192.168.0.192/28'] }), ...kubeRouter({ loadBalancerIPRanges: ['192.168.0.224/28'] }) },
    says: '[P4-kube-router-lb-range] ipam.global.cidrs[0]: "192.168.0.192/28" is outside kube-router\'s --loadbalancer-ip-range (192.168.0.224/28); kube-router >= v2.8 rejects such LoadBalancer addresses; move the pool inside that range, or widen the range',
  },
  {
    name: "IPVS VIP outside kube-router's excluded CIDRs",
    values: { controlPlane: { ...cp, loadBalancer: { enabled: true } }, ...kubeRouter({ excludedCIDRs: ['10.0.0.0/8'] }) },
    says: "[P4-kube-router-excluded-cidrs] controlPlane.address: \"192.168.0.100\" is not in kube-router's --excluded-cidrs, so kube-router deletes kube-vip's IPVS service for it and the API server load balancer flaps; add 192.168.0.100/32 to kube-router's --excluded-cidrs and to cluster.kubeRouter.excludedCIDRs",
  },
  {
    name: 'kube-router announcing pool addresses too',
    values: {
      ...pool({ cidrs: ['192.168.0.192/28'] }),
      ...kubeRouter({ advertiseLoadBalancerIP: true, loadBalancerIPRanges: ['192.168.0.192/28'] }),
    },
    says: "[P4-kube-router-double-announce] cluster.kubeRouter.advertiseLoadBalancerIP: true means kube-router announces LoadBalancer addresses too; two speakers for one address fight; turn off kube-router's --advertise-loadbalancer-ip, or leave Services to kube-router",
  },
];
