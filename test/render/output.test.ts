import { containerOf, envOf, find, synthValues } from '../support/synth';
import { IMAGES } from '../../lib/kube-vip/defaults';

// Control plane only: Services are on by default in the model.
const cp = { controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: false } };
const svc = { services: { enabled: true } };

describe('kube-vip container', () => {
  const { cluster } = synthValues(cp, svc);
  const ds = find(cluster, 'DaemonSet');
  const container = containerOf(ds);

  it('runs `manager` in the host network with its ServiceAccount token mounted', () => {
    expect(container.args).toEqual(['manager']);
    expect(ds.spec.template.spec.hostNetwork).toBe(true);
    expect(ds.spec.template.spec.serviceAccountName).toBe('kube-vip');
    expect(ds.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(cluster, 'ServiceAccount').automountServiceAccountToken).toBe(true);
  });
  it('takes the node name from the pod spec', () => {
    expect(envOf(ds).vip_nodename).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
  });
  it('adds only NET_ADMIN and NET_RAW, drops the rest, is not privileged, and is read-only under the default seccomp profile', () => {
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(JSON.stringify(ds)).not.toContain('SYS_TIME');
  });
  it('pulls IfNotPresent and requests modest resources without a CPU limit', () => {
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(container.resources.limits.cpu).toBeUndefined();
  });
  it('uses kube-vip env names with string values, address rather than vip_address', () => {
    const env = envOf(ds);
    expect(env).toMatchObject({
      cp_enable: 'true',
      address: '192.168.0.100',
      port: '6443',
      vip_arp: 'true',
      svc_enable: 'true',
      svc_election: 'true',
      prometheus_server: '[$(KUBE_VIP_NODE_ADDRESS)]:2112',
    });
    expect(env.vip_address).toBeUndefined();
  });
  it('has readable names, no hashes, and a selector of name and instance only', () => {
    expect(cluster.map((o) => o.metadata.name).every((n: string) => n === 'kube-vip')).toBe(true);
    expect(ds.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'kube-vip', 'app.kubernetes.io/instance': 'kube-vip' });
  });
  it('runs on control-plane nodes, tolerating their taints', () => {
    const terms = ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms.map((t: any) => t.matchExpressions[0].key)).toEqual(['node-role.kubernetes.io/control-plane']);
  });
});

describe('masquerade (P1)', () => {
  const { cluster } = synthValues(cp, { controlPlane: { loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } } });
  const ds = find(cluster, 'DaemonSet');
  it('picks the iptables image before v1.2.2 and the standard one from v1.2.2 (in-process nftables)', () => {
    const older = find(
      synthValues(cp, { image: { tag: 'v1.2.1' }, controlPlane: { loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } } })
        .cluster,
      'DaemonSet',
    );
    expect(containerOf(older).image).toBe('ghcr.io/kube-vip/kube-vip-iptables:v1.2.1');
    expect(containerOf(ds).image).toBe(`ghcr.io/kube-vip/kube-vip:${IMAGES.tag}`);
  });
  it('is privileged, and only then, never with allowPrivilegeEscalation: false', () => {
    expect(containerOf(ds).securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: true });
  });
  it('sets lb_fwdmethod', () => expect(envOf(ds)).toMatchObject({ lb_enable: 'true', lb_fwdmethod: 'masquerade', lb_port: '6443' }));
});

describe('port security (P2)', () => {
  const ds = find(synthValues(svc, { services: { onlyAllowTrafficServicePorts: true } }).cluster, 'DaemonSet');
  it('picks the iptables image and sets enable_service_security', () => {
    expect(containerOf(ds).image).toBe(`ghcr.io/kube-vip/kube-vip-iptables:${IMAGES.tag}`);
    expect(envOf(ds).enable_service_security).toBe('true');
  });
});

describe('egress (P3)', () => {
  const egress = { egress: { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' } };
  it('always sets both CIDRs and clean-up', () => {
    const ds = find(synthValues(svc, egress).cluster, 'DaemonSet');
    expect(envOf(ds)).toMatchObject({
      egress_podcidr: '10.244.0.0/16',
      egress_servicecidr: '10.96.0.0/12',
      egress_clean: 'true',
      egress_withnftables: 'true',
    });
  });
  it('grants list pods in kube-system through a Role, also when kube-vip runs elsewhere', () => {
    const { cluster } = synthValues(svc, egress, { namespace: 'lb' });
    const role = find(cluster, 'Role', 'kube-vip-egress');
    expect(role.metadata.namespace).toBe('kube-system');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
    const binding = find(cluster, 'RoleBinding', 'kube-vip-egress');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-vip', namespace: 'lb' }]);
  });
});

describe('least-privilege RBAC', () => {
  it('gives a control-plane-only DaemonSet nothing cluster-wide', () => {
    const { cluster } = synthValues(cp);
    expect(cluster.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
    expect(find(cluster, 'Role').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
  });
  it('never grants secrets, pods outside kube-system or deletes', () => {
    const { cluster } = synthValues(cp, svc, {
      egress: { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' },
      services: { nodeLabeling: true },
    });
    const rules = cluster
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .flatMap((r) => r.rules.map((rule: any) => ({ ...rule, ns: r.metadata.namespace })));
    expect(rules.some((r) => r.resources.includes('secrets'))).toBe(false);
    expect(rules.filter((r) => r.resources.includes('pods')).map((r) => r.ns)).toEqual(['kube-system']);
    expect(rules.some((r) => r.verbs.includes('delete') || r.verbs.includes('*'))).toBe(false);
  });
});

describe('static pod (P5)', () => {
  const both = { ...cp, controlPlane: { ...cp.controlPlane, deployment: 'staticPod', kubeconfig: 'superAdmin' }, ...svc };
  const { cluster, staticPods } = synthValues(both);
  const pod = find(staticPods, 'Pod');

  it('mounts super-admin.conf where kube-vip reads admin.conf', () => {
    expect(pod.spec.volumes).toEqual([{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/super-admin.conf', type: 'File' } }]);
    expect(containerOf(pod).volumeMounts).toEqual([{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true }]);
  });
  it('mounts admin.conf by default', () => {
    const plain = synthValues({ ...cp, controlPlane: { ...cp.controlPlane, deployment: 'staticPod' } });
    expect(find(plain.staticPods, 'Pod').spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/admin.conf');
  });
  it('resolves kubernetes to the local API server and has no ServiceAccount', () => {
    expect(pod.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['kubernetes'] }]);
    expect(pod.spec.serviceAccountName).toBeUndefined();
  });
  it('leaves Services to a DaemonSet that cannot collide with it on a node', () => {
    const ds = find(cluster, 'DaemonSet');
    expect(ds.metadata.name).toBe('kube-vip-services');
    expect(envOf(pod)).toMatchObject({
      prometheus_server: '[$(KUBE_VIP_NODE_ADDRESS)]:2112',
      instance_name: 'kube-vip',
      cp_enable: 'true',
    });
    expect(envOf(ds)).toMatchObject({
      prometheus_server: '[$(KUBE_VIP_NODE_ADDRESS)]:2113',
      instance_name: 'kube-vip-services',
      svc_enable: 'true',
    });
    expect(envOf(ds).cp_enable).toBeUndefined();
    expect(envOf(pod).svc_enable).toBeUndefined();
    expect(cluster.some((o) => o.kind === 'Pod')).toBe(false);
  });
});

describe('BGP', () => {
  const bgp = {
    announce: {
      mode: 'bgp',
      bgp: {
        routerID: '192.168.0.11',
        peers: [
          { address: '192.168.0.1', as: 65001, password: { name: 'bgp', key: 'pw' } },
          { address: 'fd00::1', as: 65002, multihop: true },
        ],
      },
    },
  };
  const env = envOf(find(synthValues(cp, bgp).cluster, 'DaemonSet'));
  it('never writes a password: bgp_peers refers to a Secret-backed variable defined before it', () => {
    expect(env.BGP_PEER_0_PASSWORD).toEqual({ secretKeyRef: { name: 'bgp', key: 'pw' } });
    expect(env.bgp_peers).toBe('192.168.0.1:65001:$(BGP_PEER_0_PASSWORD):false:179,[fd00::1]:65002::true:179');
    const names = Object.keys(env);
    expect(names.indexOf('BGP_PEER_0_PASSWORD')).toBeLessThan(names.indexOf('bgp_peers'));
  });
});
