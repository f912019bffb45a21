import {
  AnnounceMode,
  ControlPlaneDeployment,
  EgressBackend,
  ForwardingMethod,
  IMAGES,
  ImageVariant,
  KUBE_VIP_DEFAULTS as KV,
  LEASE_TIMINGS,
  StaticPodKubeconfig,
} from '../kube-vip/defaults';
import { CLOUD_PROVIDER_CONFIG_MAP, CLOUD_PROVIDER_IMAGE, CLOUD_PROVIDER_TOLERATIONS } from '../kube-vip/cloud-provider';
import { Distribution, NODE_KUBECONFIGS } from '../kube-vip/distributions';
import { SYSTEM_PRIORITY_CLASSES } from '../kube-vip/pod';
import { ADDRESS_PATTERN, PATTERNS } from '../net/patterns';
import { field as f, defaultsOf, Infer, InferInput } from './schema';

/**
 * The config model: one kube-vip deployment, as a values file describes it. The constructs'
 * props, the Helm chart's values.yaml and schema, the CLI and the docs all derive from this.
 */

const ip = { pattern: PATTERNS.ip, patternHint: 'an IPv4 or IPv6 address' };
const cidr = { pattern: PATTERNS.cidr, patternHint: 'a CIDR such as 10.0.0.0/16' };
/** Dual stack in one string, as kube-vip's egress variables take it. */
const cidrList2 = {
  pattern: PATTERNS.cidrList,
  patternHint: 'a CIDR, or two comma separated without spaces, such as 10.244.0.0/16,fd00:10:244::/56',
};
const iface = { pattern: PATTERNS.interfaceName, patternHint: 'a Linux interface name (1-15 characters, no "/", ":" or spaces)' };
const port = (description: string, def: number) => f.integer(description, def, 1, 65535);
const seconds = (description: string, def: number) => f.integer(description, def, 1, 3600);
const cidrList = (description: string) => f.array(description, f.string('A CIDR.', '', cidr));
/** Kubernetes object names: what to write, in the words of every refusal. */
const subdomain = (what: string) => ({
  pattern: PATTERNS.dnsSubdomain,
  patternHint: `${what} (lower case letters, digits, "-" and ".", alphanumeric at both ends)`,
});
const namespaceName = {
  pattern: PATTERNS.dnsLabel,
  patternHint: 'a namespace name (lower case letters, digits and "-", at most 63, alphanumeric at both ends)',
};
const keys = {
  pattern: PATTERNS.qualifiedName,
  hint: 'a key such as example.com/team (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")',
};
const annotations = (description: string) => f.map(description, f.string('An annotation value.'), keys);
const labelValue = {
  pattern: PATTERNS.labelValue,
  patternHint: 'at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends',
};
const labelMap = (description: string) => f.map(description, f.string('A label value.', '', labelValue), keys);

const configMapKey = {
  pattern: PATTERNS.configMapKey,
  patternHint: 'a key of letters, digits, "-", "_" and "." (at most 253)',
};

const secretKeyRef = f.record(
  'A key of a Secret in the release namespace.',
  { name: f.string('Secret name.', '', subdomain('a Secret name')), key: f.string('Key in the Secret.', '', configMapKey) },
  ['name', 'key'],
);

/** A key of a ConfigMap or Secret in the pod's namespace, for an env var. */
const keySelector = (what: string) =>
  f.record(
    `A key of a ${what} in the pod's namespace.`,
    {
      name: f.string(`The ${what}.`, '', subdomain(`a ${what} name`)),
      key: f.string('The key.', '', configMapKey),
      optional: f.boolean(`Start without the variable when the ${what} or key is missing.`, false),
    },
    ['name', 'key'],
  );

/** Where an env var's valueFrom may take its value: exactly one of these. */
export const ENV_VALUE_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const;

/** A Kubernetes EnvVar, as a container spec takes it. */
const envVar = f.record(
  'A Kubernetes EnvVar: a name, and a value or a valueFrom.',
  {
    name: f.string('Variable name.', '', {
      pattern: PATTERNS.envVarName,
      patternHint: 'a name of letters, digits, "_", "-" and "." that does not start with a digit',
    }),
    value: f.string('Its value.'),
    valueFrom: f.record(
      'Where the kubelet takes the value from: exactly one source.',
      {
        fieldRef: f.record(
          'A field of the pod, e.g. spec.nodeName or status.podIP.',
          { fieldPath: f.string('The field.'), apiVersion: f.string('Its API version; empty = v1.') },
          ['fieldPath'],
        ),
        resourceFieldRef: f.record(
          'A resource limit or request of the container, e.g. limits.memory.',
          {
            resource: f.string('The resource.'),
            containerName: f.string('The container; empty = this one.'),
            divisor: f.string('Unit of the value, e.g. 1Mi.'),
          },
          ['resource'],
        ),
        configMapKeyRef: keySelector('ConfigMap'),
        secretKeyRef: keySelector('Secret'),
      },
      [],
    ),
  },
  ['name'],
);

/** A Kubernetes Toleration, with the values the API server takes. */
const toleration = f.record(
  'A Kubernetes Toleration.',
  {
    key: f.string('Taint key; empty (with operator Exists) = every taint.', '', {
      pattern: PATTERNS.qualifiedName,
      patternHint: 'a taint key such as node-role.kubernetes.io/control-plane',
    }),
    operator: f.enumOf('Exists, or Equal (the default) to match value.', ['', 'Exists', 'Equal'] as const, ''),
    value: f.string('Taint value, for Equal.', '', labelValue),
    effect: f.enumOf('Taint effect; empty = every effect.', ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const, ''),
    tolerationSeconds: f.integer(
      'How long a NoExecute taint is tolerated; unset = for ever.',
      0,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ),
  },
  [],
);
const tolerations = (description: string, def: Infer<typeof toleration>[] = []) => f.array(description, toleration, def);

/**
 * A pod's affinity, with the fields and values the API server takes (core/v1 Affinity): what
 * the types cannot say (values that In needs and Exists forbids) is a rule (AFFINITY_RULES).
 */
const labelKey = { pattern: PATTERNS.qualifiedName, patternHint: 'a label key such as kubernetes.io/hostname' };
const requirementOf = <const O extends string>(what: string, operators: readonly O[], value: ReturnType<typeof f.string>) =>
  f.record(
    `A ${what} requirement: key, operator, values.`,
    {
      key: f.string('The label key (for node fields: metadata.name).', '', labelKey),
      operator: f.enumOf(`How the ${what} values are matched.`, operators, operators[0]),
      values: f.array('The values: some for In and NotIn, none for Exists and DoesNotExist, one whole number for Gt and Lt.', value),
    },
    ['key', 'operator'],
  );
// The API server checks a label selector's values as label values, and a node selector's not at all.
const nodeRequirement = requirementOf(
  'node selector',
  ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const,
  f.string('A value.'),
);
const labelRequirement = requirementOf(
  'label selector',
  ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const,
  f.string('A label value.', '', labelValue),
);
const nodeSelectorTerm = f.record(
  'Node selector requirements, all of which a node must meet.',
  {
    matchExpressions: f.array('Requirements on node labels.', nodeRequirement),
    matchFields: f.array('Requirements on node fields (metadata.name only).', nodeRequirement),
  },
  [],
);
const labelSelector = (description: string) =>
  f.record(
    description,
    { matchLabels: labelMap('Labels the objects carry.'), matchExpressions: f.array('Requirements on labels.', labelRequirement) },
    [],
  );
const weight = f.integer('Weight of the preference, 1 to 100.', 1, 1, 100);
const podAffinityTerm = f.record(
  'Pods that must (or must not) run in the same topology domain.',
  {
    labelSelector: labelSelector('The pods it is about.'),
    namespaces: f.array(
      "Their namespaces; empty = the pod's own.",
      f.string('A namespace.', '', { pattern: PATTERNS.dnsLabel, patternHint: 'a namespace name' }),
    ),
    namespaceSelector: labelSelector('Namespaces by label.'),
    topologyKey: f.string('The node label that names the domain, e.g. kubernetes.io/hostname.', '', labelKey),
    matchLabelKeys: f.array('Label keys whose values the pods must share.', f.string('A label key.', '', labelKey)),
    mismatchLabelKeys: f.array('Label keys whose values the pods must not share.', f.string('A label key.', '', labelKey)),
  },
  ['topologyKey'],
);
const podAffinity = (description: string) =>
  f.record(
    description,
    {
      requiredDuringSchedulingIgnoredDuringExecution: f.array('Terms every node must meet.', podAffinityTerm),
      preferredDuringSchedulingIgnoredDuringExecution: f.array(
        'Weighted terms the scheduler prefers.',
        f.record('A weighted term.', { weight, podAffinityTerm }, ['weight', 'podAffinityTerm']),
      ),
    },
    [],
  );
const affinity = f.record(
  'Affinity (a Kubernetes Affinity); empty = on a DaemonSet that serves the control plane, its nodes only.',
  {
    nodeAffinity: f.record(
      'Which nodes.',
      {
        requiredDuringSchedulingIgnoredDuringExecution: f.record(
          'Node selector terms, one of which a node must meet.',
          { nodeSelectorTerms: f.array('The terms.', nodeSelectorTerm) },
          ['nodeSelectorTerms'],
        ),
        preferredDuringSchedulingIgnoredDuringExecution: f.array(
          'Weighted terms the scheduler prefers.',
          f.record('A weighted term.', { weight, preference: nodeSelectorTerm }, ['weight', 'preference']),
        ),
      },
      [],
    ),
    podAffinity: podAffinity('Pods to run next to.'),
    podAntiAffinity: podAffinity('Pods to keep away from.'),
  },
  [],
);

const bgpPeer = f.record(
  'A BGP neighbour.',
  {
    address: f.string('Peer address.', '', ip),
    as: f.integer('Peer AS number.', 0, 1, 4294967295),
    port: port(`Peer TCP port (default ${KV.bgpPeerPort}).`, KV.bgpPeerPort),
    multihop: f.boolean('eBGP multihop to this peer.', false),
    password: secretKeyRef,
  },
  ['address', 'as'],
);

const ipamPool = {
  cidrs: cidrList('CIDRs Services may be given addresses from.'),
  ranges: f.array(
    'Address ranges ("first-last") Services may be given addresses from.',
    f.string('A range.', '', { pattern: PATTERNS.range, patternHint: 'a range such as 192.168.1.100-192.168.1.120' }),
  ),
};

const nodeGroup = f.record(
  'A group of nodes with the same interface names.',
  {
    name: f.string('Suffix of its DaemonSet and objects: <name>-<group>.', '', {
      pattern: PATTERNS.dnsLabel,
      patternHint: 'a DNS label (lower case letters, digits and "-", at most 63)',
    }),
    nodeSelector: labelMap(
      "Node labels that pick the group's nodes, added to scheduling.nodeSelector. Two groups must give one label different values, so no node is in both.",
    ),
    interface: f.string("Its nodes' interface for addresses (vip_interface); empty = interface.", '', iface),
    servicesInterface: f.string(
      "Its nodes' interface for Service addresses (vip_servicesinterface); empty = services.interface.",
      '',
      iface,
    ),
  },
  ['name', 'nodeSelector'],
);

/**
 * What an empty name or namespace stands for outside Helm. They default to empty in the model
 * (so values.yaml can say "derive it") because the chart derives both from the release instead.
 */
export const UNSET_DEFAULTS = { name: 'kube-vip', namespace: KV.leaseNamespace } as const;

export const valuesSchema = f.object('kube-vip deployment', {
  name: f.string(
    `Base name of every object (DaemonSet, ServiceAccount, RBAC), of the leases and of the nftables instance. Empty = "${UNSET_DEFAULTS.name}"; in the Helm chart, empty = derived from the release name.`,
    '',
    { pattern: PATTERNS.dnsLabel, patternHint: 'a DNS label (lower case letters, digits and "-", at most 63)' },
  ),
  namespace: f.string(
    `Namespace of kube-vip and of its leases. Empty = "${UNSET_DEFAULTS.namespace}"; in the Helm chart, empty = the release namespace.`,
    '',
    namespaceName,
  ),
  image: f.object('kube-vip container image.', {
    repository: f.string('Standard image (FROM scratch: no iptables).', IMAGES.standardRepository, {
      pattern: PATTERNS.imageRepository,
      patternHint: 'an image repository such as ghcr.io/kube-vip/kube-vip',
    }),
    iptablesRepository: f.string(
      'Image with the iptables binaries, which port security needs, and egress and masquerade before v1.2.2.',
      IMAGES.iptablesRepository,
      { pattern: PATTERNS.imageRepository, patternHint: 'an image repository' },
    ),
    tag: f.string('Release tag; both repositories are pushed for every tag.', IMAGES.tag, {
      pattern: PATTERNS.imageTag,
      patternHint: 'an image tag such as v1.2.3',
    }),
    variant: f.enumOf(
      'auto picks the iptables image exactly when an enabled feature needs it.',
      Object.values(ImageVariant),
      ImageVariant.AUTO,
    ),
    pullPolicy: f.enumOf('Image pull policy.', ['IfNotPresent', 'Always', 'Never'] as const, 'IfNotPresent'),
    digest: f.string(
      'Pin the image by digest: pods pull repository:tag@digest, so a moved tag cannot change what runs. A digest names one image, so variant must say which (standard or iptables); the tag must stay the release the digest is of, since what kube-vip supports is judged by it.',
      '',
      { pattern: PATTERNS.imageDigest, patternHint: 'a digest such as sha256: and 64 hex digits' },
    ),
    pullSecrets: f.array(
      'Secrets in the namespace the kubelet pulls the image with (imagePullSecrets), each a name or {name: ...}. Static pods cannot use them.',
      f.nameRef('A Secret: its name, or {name: ...}.', f.string('A Secret name.', '', subdomain('a Secret name'))),
    ),
  }),
  announce: f.object('How addresses are announced to the network: exactly one mode.', {
    mode: f.enumOf('arp, bgp or routingTable.', Object.values(AnnounceMode), AnnounceMode.ARP),
    arp: f.object('ARP (layer 2) mode.', {
      rateMs: f.integer('Gratuitous ARP period in milliseconds (vip_arpRate).', KV.arpRateMs, 100, 600000),
    }),
    bgp: f.object('BGP mode.', {
      routerID: f.string('Router ID (an IPv4 address); empty = taken from routerInterface.', '', {
        pattern: PATTERNS.ip,
        patternHint: 'an IPv4 address',
      }),
      routerInterface: f.string('Interface whose address becomes the router ID.', '', iface),
      as: f.integer('Local AS number.', KV.bgpAs, 1, 4294967295),
      sourceIP: f.string('Source address for BGP sessions.', '', ip),
      sourceInterface: f.string('Source interface for BGP sessions.', '', iface),
      holdTimeSeconds: f.integer('BGP hold time.', KV.bgpHoldTimeSeconds, 3, 65535),
      keepaliveIntervalSeconds: f.integer('BGP keepalive interval.', KV.bgpKeepaliveIntervalSeconds, 1, 21845),
      peers: f.array('BGP neighbours. Passwords come from Secrets, never from values.', bgpPeer),
    }),
    routingTable: f.object('Routing-table mode: addresses become routes for a routing daemon to export.', {
      tableID: f.integer('Routing table (vip_routingtableid).', KV.routingTableId, 1, 4294967295),
      protocol: f.integer('Route protocol number (vip_routingprotocol).', KV.routingProtocol, 0, 255),
      cleanOnStart: f.boolean('Remove stale routes of this table at start (vip_cleanroutingtable).', false),
    }),
  }),
  distribution: f.enumOf(
    `The nodes' Kubernetes distribution, which decides where a control-plane kube-vip finds the API server. kubeadm: the static pod reads /etc/kubernetes/admin.conf (or super-admin.conf), a DaemonSet its ServiceAccount. ${Object.entries(
      NODE_KUBECONFIGS,
    )
      .map(([d, path]) => `${d}: ${path}`)
      .join(
        ', ',
      )}, for the static pod and for a DaemonSet that serves the control plane, so it reaches the API server on its node before the Service network and the CNI exist (cluster-admin rights).`,
    Object.values(Distribution),
    Distribution.KUBEADM,
  ),
  interface: f.string('Interface addresses go on (vip_interface); empty = the default-route interface.', '', iface),
  nodeGroups: f.array(
    "Nodes whose interfaces are named differently: each DaemonSet becomes one per group (<name>-<group>), on the nodes its nodeSelector picks, with the group's interfaces. The groups share the leases, so one node holds each address as before; each has its own metrics port (the workload's port + 2 x the group's position) and instance name, so a node moving between groups never runs two on one port. Nodes in no group run no kube-vip. A static pod is written per node and takes interface.",
    nodeGroup,
  ),
  controlPlane: f.object('A VIP for the Kubernetes API server.', {
    enabled: f.boolean('Announce the control-plane VIP.', false),
    address: f.string('The VIP: one address, or an IPv4 and an IPv6 address comma separated.', '', {
      pattern: PATTERNS.ipList,
      patternHint: 'an IP address, or an IPv4 and an IPv6 address separated by a comma',
    }),
    port: port('API server port behind the VIP.', KV.apiServerPort),
    deployment: f.enumOf(
      'daemonset, or staticPod for kubeadm control planes (then Services, if enabled, get a DaemonSet of their own).',
      Object.values(ControlPlaneDeployment),
      ControlPlaneDeployment.DAEMON_SET,
    ),
    kubeconfig: f.enumOf(
      'staticPod only: admin, or superAdmin for the first node of kubeadm >= 1.29 during init (P5).',
      Object.values(StaticPodKubeconfig),
      StaticPodKubeconfig.ADMIN,
    ),
    leaderElection: f.object('One node holds the VIP at a time.', {
      enabled: f.boolean('Leader election; ARP and routing-table modes need it, BGP may announce from every node.', true),
      leaseName: f.string('Lease name; empty = <name>-cp-lock.', '', subdomain('a Lease name such as plndr-cp-lock')),
      leaseDurationSeconds: seconds(
        "Lease duration; above retryPeriodSeconds + 2 x renewDeadlineSeconds, or a leader cut off from the API server still holds the VIP when another node takes it. 6 (not kube-vip's 15): a lost leader's VIP back in about 8 s, never on two nodes (README, What survives what).",
        LEASE_TIMINGS.leaseDurationSeconds,
      ),
      renewDeadlineSeconds: seconds(
        "Renew deadline; below the lease duration. 2 (not kube-vip's 10): the leader steps down 2 s into an API server that does not answer.",
        LEASE_TIMINGS.renewDeadlineSeconds,
      ),
      retryPeriodSeconds: seconds(
        "Retry period; below the renew deadline. 1 (not kube-vip's 2): each kube-vip asks the API server once a second per lease.",
        LEASE_TIMINGS.retryPeriodSeconds,
      ),
    }),
    loadBalancer: f.object('IPVS load balancing of API server traffic arriving on the VIP.', {
      enabled: f.boolean('Enable the IPVS load balancer (lb_enable).', false),
      port: port('Port IPVS listens on at the VIP (lb_port).', KV.loadBalancerPort),
      forwardingMethod: f.enumOf(
        'IPVS forwarding method; masquerade needs a privileged container, and the iptables image before v1.2.2.',
        Object.values(ForwardingMethod),
        ForwardingMethod.LOCAL,
      ),
    }),
  }),
  services: f.object('Addresses for Services of type LoadBalancer.', {
    enabled: f.boolean(
      'Watch LoadBalancer Services and announce their addresses (on by default, so the defaults alone deploy a working LoadBalancer provider).',
      true,
    ),
    election: f.boolean('Per-Service leader election, spreading Services over nodes; egress needs it.', true),
    leaseName: f.string(
      'Lease for all Services when election is off; empty = <name>-svcs-lock.',
      '',
      subdomain('a Lease name such as plndr-svcs-lock'),
    ),
    interface: f.string('Interface for Service addresses (vip_servicesinterface); empty = interface.', '', iface),
    watchNamespace: f.string('Only watch Services in this namespace; empty = all namespaces.', '', namespaceName),
    loadBalancerClass: f.object('LoadBalancerClass filtering.', {
      name: f.string('Class this kube-vip serves.', KV.loadBalancerClassName),
      only: f.boolean('Serve only Services of that class.', false),
      legacyHandling: f.boolean('Also serve Services without a class.', KV.loadBalancerClassLegacyHandling),
    }),
    onlyAllowTrafficServicePorts: f.boolean(
      'Drop traffic to a Service address except on its declared ports (needs the iptables image).',
      false,
    ),
    nodeLabeling: f.boolean('Label the node holding a Service address with kube-vip.io/has-ip.', false),
  }),
  egress: f.object("Egress: traffic from a Service's pods leaves with the Service address.", {
    enabled: f.boolean('Enable egress for Services annotated kube-vip.io/egress: "true".', false),
    podCIDR: f.string('Pod CIDR excluded from SNAT, or one per family comma separated ("v4,v6"); empty = cluster.podCIDRs.', '', cidrList2),
    serviceCIDR: f.string(
      'Service CIDR excluded from SNAT, or one per family comma separated; empty = cluster.serviceCIDRs.',
      '',
      cidrList2,
    ),
    backend: f.enumOf('nftables or iptables rules.', Object.values(EgressBackend), EgressBackend.NFTABLES),
    cleanOnStart: f.boolean('Remove stale egress rules when kube-vip starts (P3).', true),
  }),
  ipam: f.object('Address pools for kube-vip-cloud-provider, as the ConfigMap it reads.', {
    enabled: f.boolean('Write the kube-vip-cloud-provider ConfigMap.', false),
    configMap: f.object(
      "Where kube-vip-cloud-provider reads its pools (its env KUBEVIP_CONFIG_MAP and KUBEVIP_NAMESPACE). The defaults are the binary's own; its Helm chart reads kube-vip-cloud-provider-cm in its release namespace.",
      {
        name: f.string(
          'ConfigMap name.',
          CLOUD_PROVIDER_CONFIG_MAP.default.name,
          subdomain('a ConfigMap name such as kube-vip-cloud-provider-cm'),
        ),
        namespace: f.string('Its namespace.', CLOUD_PROVIDER_CONFIG_MAP.default.namespace, namespaceName),
      },
    ),
    global: f.object('Pools for every namespace.', ipamPool),
    namespaces: f.map(
      'Pools per namespace.',
      f.record(
        'Pools of one namespace.',
        {
          ...ipamPool,
          allowShare: f.boolean('Services may share an address.', false),
          interface: f.string("Interface for this namespace's addresses.", '', iface),
        },
        [],
      ),
      // kube-vip-cloud-provider reads cidr-<namespace>: a key no namespace can have is a dead pool.
      { pattern: namespaceName.pattern, hint: namespaceName.patternHint },
    ),
    skipEndIPsInCIDR: f.boolean('Never hand out the first and last address of a CIDR pool (subnet zero, broadcast).', true),
    cloudProvider: f.object(
      `Deploy kube-vip-cloud-provider ${CLOUD_PROVIDER_IMAGE.tag} too, reading these pools (its Deployment, ServiceAccount and least RBAC, named <name>-cloud-provider, in kube-vip's namespace). It serves the Services kube-vip serves: those of services.loadBalancerClass.name when kube-vip ignores Services without a class, else those without a class (Services of kube-vip's class then need their address written).`,
      {
        enabled: f.boolean('Deploy it.', false),
        replicas: f.integer(
          'Replicas; they elect one leader (on the Lease <name>-cloud-provider), so a second only shortens a failover.',
          1,
          1,
          5,
        ),
        image: f.object('Its container image.', {
          repository: f.string('Image repository.', CLOUD_PROVIDER_IMAGE.repository, {
            pattern: PATTERNS.imageRepository,
            patternHint: 'an image repository such as ghcr.io/kube-vip/kube-vip-cloud-provider',
          }),
          tag: f.string(`Release tag; the toolkit knows ${CLOUD_PROVIDER_IMAGE.tag}.`, CLOUD_PROVIDER_IMAGE.tag, {
            pattern: PATTERNS.imageTag,
            patternHint: 'an image tag such as v0.0.12',
          }),
          digest: f.string('Pin the image by digest: pods pull repository:tag@digest.', '', {
            pattern: PATTERNS.imageDigest,
            patternHint: 'a digest such as sha256: and 64 hex digits',
          }),
          pullPolicy: f.enumOf('Image pull policy.', ['IfNotPresent', 'Always', 'Never'] as const, 'IfNotPresent'),
        }),
        resources: f.opaque('Container resources.', 'object', {
          requests: { cpu: '10m', memory: '32Mi' },
          limits: { memory: '128Mi' },
        } as Record<string, unknown>),
        nodeSelector: labelMap('Node labels its pods need.'),
        tolerations: tolerations('Tolerations; by default the control-plane taint, so it runs on clusters with control-plane nodes only.', [
          ...CLOUD_PROVIDER_TOLERATIONS,
        ]),
        priorityClassName: f.string('Priority class; empty = none.', '', subdomain('a PriorityClass name')),
      },
    ),
  }),
  cluster: f.object('Facts about the cluster, used only for validation (P4); nothing is rendered from them.', {
    apiServerAddresses: f.array("The API servers' own addresses (not the VIP).", f.string('An address.', '', ip)),
    nodeAddresses: f.array(
      'Node addresses, plain or with their prefix as `ip addr` shows them (192.168.1.11/24).',
      f.string('An address.', '', { pattern: ADDRESS_PATTERN, patternHint: 'an address or address/prefix' }),
    ),
    podCIDRs: cidrList('Pod CIDRs (one per IP family).'),
    serviceCIDRs: cidrList('Service CIDRs (one per IP family).'),
    loadBalancerServices: f.array(
      'LoadBalancer Services kube-vip serves (KubeVipServicesLB.serve records them), checked like the pools and the VIP: an address that is a node or API-server address, in the cluster networks, or another announced address is refused (P4).',
      f.record(
        'A LoadBalancer Service.',
        {
          service: f.string('Its namespace/name, for messages.'),
          address: f.string('The address it asks for (kube-vip.io/loadbalancerIPs); empty = one from the pools.', '', {
            pattern: PATTERNS.ipList,
            patternHint: 'an IP address, or an IPv4 and an IPv6 address separated by a comma',
          }),
          egress: f.boolean("Its pods' traffic leaves with its address (kube-vip.io/egress).", false),
        },
        ['service'],
      ),
    ),
    kubeProxy: f.object("kube-proxy's mode and ARP setting (its ConfigMap kube-proxy in kube-system).", {
      mode: f.enumOf('Its mode; empty = not known, nothing is checked.', ['', 'iptables', 'ipvs', 'nftables'] as const, ''),
      strictARP: f.boolean(
        'ipvs.strictARP: nodes answer ARP only for addresses on the interface asked (arp_ignore 1, arp_announce 2).',
        false,
      ),
    }),
    kubeRouter: f.object('kube-router running as service proxy or BGP speaker.', {
      enabled: f.boolean('kube-router runs in this cluster.', false),
      version: f.string('kube-router version, e.g. v2.2.1.', '', { pattern: PATTERNS.semver, patternHint: 'a version such as v2.2.1' }),
      loadBalancerIPRanges: cidrList('kube-router --loadbalancer-ip-range.'),
      excludedCIDRs: cidrList('kube-router --excluded-cidrs.'),
      advertiseLoadBalancerIP: f.boolean('kube-router --advertise-loadbalancer-ip.', false),
    }),
  }),
  health: f.object(
    "kube-vip's health endpoint (health_check_port), GET /healthz, 1000 above the workload's metrics port (3112 for the control plane, 3113 for Services by default), and a liveness probe on it.",
    {
      enabled: f.boolean('Serve the health endpoint and probe it: the kubelet restarts a kube-vip that stops answering.', false),
    },
  ),
  metrics: f.object('Prometheus metrics (host network: ports are node ports).', {
    port: port('Metrics port of a workload that serves the control plane.', KV.metricsPort),
    servicesPort: port(
      'Metrics port of a workload that serves only Services, so it can share a node with the control plane.',
      KV.metricsPort + 1,
    ),
    bindAddress: f.string(
      "Address the metrics server listens on (prometheus_server). Empty = the node's own address (status.hostIP), where Prometheus scrapes: not the VIPs, which may face the outside world, while the metrics have no authentication. 0.0.0.0 or :: = every address of the node, VIPs included; 127.0.0.1 keeps it off the network.",
      '',
      ip,
    ),
    podMonitor: f.object(
      'A PodMonitor per kube-vip workload (monitoring.coreos.com/v1), so a Prometheus Operator scrapes it; needs its CRD in the cluster.',
      {
        enabled: f.boolean('Render the PodMonitors.', false),
        labels: labelMap("Labels the Prometheus's podMonitorSelector matches, e.g. release: prometheus."),
        interval: f.string("Scrape interval; empty = the Prometheus's own.", '', {
          pattern: PATTERNS.prometheusDuration,
          patternHint: 'a duration such as 30s or 1m30s',
        }),
      },
    ),
  }),
  scheduling: f.object('Where the DaemonSet runs.', {
    nodeSelector: labelMap('Node labels; empty = control-plane nodes when the DaemonSet serves the control plane.'),
    tolerations: tolerations('Tolerations; empty = the control-plane taints when the DaemonSet serves the control plane.'),
    affinity,
    priorityClassName: f.string(
      'Priority class: losing the VIP takes the API server with it.',
      'system-node-critical',
      subdomain('a PriorityClass name'),
    ),
    priority: f.integer(
      `A static pod's numeric priority, which the kubelet reads instead of the class; 0 = the value of a built-in class (${Object.entries(
        SYSTEM_PRIORITY_CLASSES,
      )
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')}), as kubeadm writes it. DaemonSets take theirs from the class.`,
      0,
      0,
      SYSTEM_PRIORITY_CLASSES['system-node-critical'],
    ),
  }),
  updateStrategy: f.opaque(
    'How a DaemonSet rolls out a change (DaemonSetUpdateStrategy); empty = RollingUpdate one node at a time, so a VIP always has a holder.',
    'object',
    {} as Record<string, unknown>,
  ),
  pod: f.object("The kube-vip pods: each DaemonSet's pod template, and the static pod.", {
    annotations: annotations('Pod annotations.'),
    labels: labelMap('Extra pod labels. Keys under app.kubernetes.io/ and helm.sh/ are set by this chart and cannot be given here.'),
    hostAliases: f.array(
      "Extra /etc/hosts entries, e.g. the API server's name, so kube-vip can start before cluster DNS and the Service network. A static pod also gets kubernetes -> 127.0.0.1.",
      f.record(
        'A HostAlias.',
        {
          ip: f.string('The address.', '', ip),
          hostnames: f.array('Names for it.', f.string('A host name.', '', subdomain('a host name'))),
        },
        ['ip', 'hostnames'],
      ),
    ),
    volumes: f.array(
      'Extra volumes, e.g. a kubeconfig on the host. A static pod has one named kubeconfig already.',
      f.openRecord(
        'A Kubernetes Volume: a name and one volume source.',
        { name: f.string('Volume name.', '', { pattern: PATTERNS.dnsLabel, patternHint: 'a DNS label' }) },
        ['name'],
      ),
    ),
    volumeMounts: f.array(
      'Where the kube-vip container mounts them.',
      f.openRecord(
        'A Kubernetes VolumeMount.',
        {
          name: f.string('The volume.', '', { pattern: PATTERNS.dnsLabel, patternHint: 'a DNS label' }),
          mountPath: f.string('Path in the container.'),
          readOnly: f.boolean('Mount it read-only.', false),
          subPath: f.string('A path inside the volume to mount instead of its root.'),
          mountPropagation: f.enumOf(
            'How mounts propagate; Bidirectional needs a privileged container.',
            ['', 'None', 'HostToContainer', 'Bidirectional'] as const,
            '',
          ),
        },
        ['name', 'mountPath'],
      ),
    ),
  }),
  serviceAccount: f.object("The DaemonSet's ServiceAccount, which its RBAC is bound to.", {
    create: f.boolean('Create it; false: use an existing one, named by serviceAccount.name.', true),
    name: f.string("Its name; empty = the DaemonSet's name.", '', subdomain('a ServiceAccount name')),
    annotations: annotations('ServiceAccount annotations (when created).'),
  }),
  resources: f.opaque('Container resources. No CPU limit: throttling the announcer during a failover delays it.', 'object', {
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { memory: '256Mi' },
  } as Record<string, unknown>),
  extraEnv: f.array('Extra env vars for settings the model does not cover.', envVar),
  global: f.openObject(
    "Helm's global values, which an umbrella chart passes to every subchart. Those that make sense for kube-vip are read; others are accepted and ignored.",
    {
      imageRegistry: f.string(
        'Registry for every image of the umbrella: replaces the registry of image.repository and image.iptablesRepository (ghcr.io/kube-vip/kube-vip becomes <registry>/kube-vip/kube-vip).',
        '',
        { pattern: PATTERNS.imageRegistry, patternHint: 'a registry such as registry.example.com or registry.example.com:5000/mirror' },
      ),
      imagePullSecrets: f.opaque(
        'Pull Secrets for every chart of the umbrella, each a name or {name: ...}: added to image.pullSecrets.',
        'array',
        [] as unknown[],
      ),
    },
  ),
});

/** A fully defaulted config. */
export type KubeVipValues = Infer<typeof valuesSchema>;
/** What a values file may contain: any subset of KubeVipValues. */
export type KubeVipValuesInput = InferInput<typeof valuesSchema>;

export function defaultValues(): KubeVipValues {
  return defaultsOf(valuesSchema) as KubeVipValues;
}
