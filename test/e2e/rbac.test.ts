import { KubeVipValuesInput } from '../../lib';
import { ANNOUNCEMENTS } from '../support/matrix';
import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { allowedCalls, ApiCall, at, call, cluster, deniedCalls } from './support/access';
import { useApiServer } from './support/apiserver';
import { KubeApiError, KubeClient, KubeObject, serviceAccountUser } from './support/kube';
import { namespaceObject } from './support/pod-security';

/**
 * RBAC proof: for each feature set, the API calls kube-vip makes (from its source: client-go's
 * LeaseLock, the Service and EndpointSlice watchers, node labelling, egress CIDR discovery; see
 * lib/kube-vip/rbac.ts for the grant behind each) must be allowed for the ServiceAccount we
 * generate, and the calls it has no business making must be denied. The API server's own
 * authorizer answers, through SubjectAccessReviews as that ServiceAccount, and, for a few
 * calls, through requests made with a token of that ServiceAccount.
 */

/** A LoadBalancer Service in some user namespace, as kube-vip would serve it. */
const SERVICE = { namespace: 'default', name: 'web' };

// ---- the calls kube-vip makes, by feature ---------------------------------------------------

/** client-go's LeaseLock: get, create when missing, update to renew. Never list, watch or delete. */
const lease = (namespace: string, name: string, why: string): ApiCall[] =>
  ['get', 'create', 'update'].map((verb) => call(verb, 'leases.coordination.k8s.io', at(namespace, name), why));

const KUBE_VIP_CALLS = {
  controlPlaneLease: (namespace: string, name: string) =>
    lease(namespace, `${name}-cp-lock`, "control-plane leader election, in the pod's own namespace"),
  servicesLease: (namespace: string, name: string) =>
    lease(namespace, `${name}-svcs-lock`, 'one lease for all Services when per-Service election is off'),
  perServiceLeases: [
    ...lease(SERVICE.namespace, `kubevip-${SERVICE.name}`, "per-Service election: the lease is in the Service's namespace"),
    ...lease('team-a', 'kubevip-api', 'per-Service election, a Service in another namespace'),
  ],
  services: [
    call('list', 'services', cluster(), 'the Service watcher, all namespaces (svc_namespace unset)'),
    call('watch', 'services', cluster(), 'the Service watcher'),
    call('get', 'services', at(SERVICE.namespace, SERVICE.name), 're-read a Service before updating it'),
    call('update', 'services', at(SERVICE.namespace, SERVICE.name), 'annotations kube-vip.io/vipHost, active-endpoint, egress'),
    call('update', 'services/status', at(SERVICE.namespace, SERVICE.name), 'publish the address in status.loadBalancer'),
    call('list', 'endpointslices.discovery.k8s.io', at(SERVICE.namespace), 'endpoints of a Service (externalTrafficPolicy Local, egress)'),
    call('watch', 'endpointslices.discovery.k8s.io', at(SERVICE.namespace), 'endpoints of a Service'),
    call('list', 'endpoints', at(SERVICE.namespace), 'kube-vip before v1.0, or enable_endpoints'),
    call('watch', 'endpoints', at(SERVICE.namespace), 'kube-vip before v1.0, or enable_endpoints'),
  ],
  ipvsBackends: [
    call('list', 'nodes', cluster(), 'the IPVS load balancer follows control-plane nodes (lb_enable)'),
    call('watch', 'nodes', cluster(), 'the IPVS load balancer follows control-plane nodes'),
    call('get', 'nodes', cluster('control-plane-1'), "a backend node's addresses"),
  ],
  nodeLabeling: [
    call('get', 'nodes', cluster('node-1'), 'read the node before labelling it'),
    call('patch', 'nodes', cluster('node-1'), 'label kube-vip.io/has-ip (JSON patch)'),
  ],
  egressDiscovery: [call('list', 'pods', at('kube-system'), "egress CIDR discovery reads kube-controller-manager's flags (P3)")],
};

// ---- calls it must never make ---------------------------------------------------------------

const neverCalls = (namespace: string, name: string): ApiCall[] => [
  ...['get', 'list', 'watch'].flatMap((verb) => [
    call(verb, 'secrets', at(namespace), 'kube-vip reads no Secret; BGP passwords reach it as env from the kubelet'),
    call(verb, 'secrets', at('kube-system'), 'no Secrets'),
    call(verb, 'secrets', cluster(), 'no Secrets anywhere'),
  ]),
  call('list', 'pods', at('default'), 'pods only in kube-system, for egress discovery'),
  call('list', 'pods', cluster(), 'pods only in kube-system'),
  call('create', 'pods', at(namespace), 'kube-vip starts no pods'),
  call('create', 'pods/exec', at('kube-system'), 'no exec into control-plane pods'),
  call('create', 'nodes', cluster(), "nodes are the kubelet's"),
  call('update', 'nodes', cluster('node-1'), 'node labelling is a patch'),
  call('delete', 'nodes', cluster('node-1'), 'never delete a node'),
  call('create', 'namespaces', cluster(), 'no namespaces'),
  call('delete', 'namespaces', cluster('default'), 'no namespaces'),
  call('create', 'clusterroles.rbac.authorization.k8s.io', cluster(), 'no RBAC writes'),
  call('update', 'clusterroles.rbac.authorization.k8s.io', cluster(name), 'may not widen its own role'),
  call('escalate', 'clusterroles.rbac.authorization.k8s.io', cluster(name), 'no escalation'),
  call('bind', 'clusterroles.rbac.authorization.k8s.io', cluster('cluster-admin'), 'no escalation'),
  call('create', 'clusterrolebindings.rbac.authorization.k8s.io', cluster(), 'no RBAC writes'),
  call('create', 'rolebindings.rbac.authorization.k8s.io', at(namespace), 'no RBAC writes'),
  call('update', 'roles.rbac.authorization.k8s.io', at(namespace, name), 'may not widen its own role'),
  call('update', 'daemonsets.apps', at(namespace, name), 'may not rewrite its own workload'),
  call('delete', 'daemonsets.apps', at(namespace, name), 'may not remove its own workload'),
  call('create', 'serviceaccounts/token', at(namespace, name), 'may not mint tokens'),
  call('get', 'configmaps', at('kube-system', 'kubevip'), "the IPAM ConfigMap is kube-vip-cloud-provider's input, not kube-vip's"),
  call('list', 'configmaps', at('kube-system'), 'no ConfigMaps'),
  call('update', 'configmaps', at('kube-system', 'kubevip'), 'no ConfigMaps'),
  call('create', 'services', at(SERVICE.namespace), 'it serves Services, never creates them'),
  call('delete', 'services', at(SERVICE.namespace, SERVICE.name), 'it never deletes Services'),
  call('patch', 'services', at(SERVICE.namespace, SERVICE.name), 'it gets, updates and updates the status of a Service; no patch'),
  call('delete', 'leases.coordination.k8s.io', at(namespace, `${name}-cp-lock`), 'LeaseLock never deletes'),
  call('list', 'leases.coordination.k8s.io', at(namespace), 'LeaseLock never lists'),
  call('create', 'events', at(namespace), 'kube-vip records no Events'),
  call('impersonate', 'users', cluster(), 'no impersonation'),
];

/** Writes to leases outside its own namespace: only per-Service election needs them. */
const OTHER_NAMESPACES_LEASES = [
  call('update', 'leases.coordination.k8s.io', at(SERVICE.namespace, `kubevip-${SERVICE.name}`), 'no per-Service election'),
  call('update', 'leases.coordination.k8s.io', at('kube-node-lease', 'node-1'), "node heartbeats are the kubelet's"),
];

// ---- the feature sets -----------------------------------------------------------------------

const FACTS: KubeVipValuesInput = {
  controlPlane: { address: '192.168.0.100' },
  cluster: {
    apiServerAddresses: ['192.168.0.11', '192.168.0.12', '192.168.0.13'],
    nodeAddresses: ['192.168.0.11/24', '192.168.0.12/24', '192.168.0.13/24'],
    podCIDRs: ['10.244.0.0/16'],
    serviceCIDRs: ['10.96.0.0/12'],
  },
};
/** Control plane only: Services are on by default, so say off. */
const CP_ONLY = { controlPlane: { enabled: true }, services: { enabled: false } };
const CP = { controlPlane: { enabled: true } };
const SERVICES = { services: { enabled: true } };

interface FeatureSet {
  readonly title: string;
  /** Also the base name of every object, so the sets live side by side in one server. */
  readonly name: string;
  readonly namespace: string;
  readonly values: KubeVipValuesInput;
  /** The DaemonSet's ServiceAccount (a static pod has none). */
  readonly serviceAccount: string;
  readonly calls: ApiCall[];
  /** Calls of features this set does not enable, on top of neverCalls. */
  readonly notCalls: ApiCall[];
}

function featureSet(
  title: string,
  name: string,
  values: KubeVipValuesInput,
  calls: ApiCall[],
  notCalls: ApiCall[],
  serviceAccount = name,
): FeatureSet {
  const namespace = (values.namespace as string | undefined) ?? 'kube-system';
  return { title, name, namespace, values: { ...values, name }, serviceAccount, calls, notCalls };
}

const C = KUBE_VIP_CALLS;
const FEATURE_SETS: FeatureSet[] = [
  featureSet('control plane DaemonSet, ARP, leader election', 'cp-arp', CP_ONLY, C.controlPlaneLease('kube-system', 'cp-arp'), [
    ...C.services,
    ...C.ipvsBackends,
    ...C.nodeLabeling,
    ...C.egressDiscovery,
    ...OTHER_NAMESPACES_LEASES,
  ]),
  featureSet(
    'control plane with the IPVS load balancer',
    'cp-ipvs',
    { ...CP_ONLY, controlPlane: { enabled: true, loadBalancer: { enabled: true } } },
    [...C.controlPlaneLease('kube-system', 'cp-ipvs'), ...C.ipvsBackends],
    [...C.services, ...C.egressDiscovery, C.nodeLabeling[1], ...OTHER_NAMESPACES_LEASES],
  ),
  featureSet(
    'Services, per-Service election',
    'svc-election',
    { ...SERVICES },
    [...C.services, ...C.perServiceLeases],
    [...C.ipvsBackends, ...C.nodeLabeling, ...C.egressDiscovery],
  ),
  featureSet(
    'Services, one lease for all (no per-Service election)',
    'svc-one-lease',
    { services: { enabled: true, election: false } },
    [...C.services, ...C.servicesLease('kube-system', 'svc-one-lease')],
    [...C.ipvsBackends, ...C.nodeLabeling, ...C.egressDiscovery, ...OTHER_NAMESPACES_LEASES],
  ),
  featureSet(
    'egress, kube-vip in kube-system',
    'egress-ks',
    { ...SERVICES, egress: { enabled: true } },
    [...C.services, ...C.perServiceLeases, ...C.egressDiscovery],
    [...C.ipvsBackends, ...C.nodeLabeling],
  ),
  featureSet(
    'egress, kube-vip outside kube-system (P3)',
    'egress-other',
    { namespace: 'kube-vip', ...SERVICES, egress: { enabled: true } },
    [...C.services, ...C.perServiceLeases, ...C.egressDiscovery],
    [...C.ipvsBackends, ...C.nodeLabeling, call('list', 'pods', at('kube-vip'), 'discovery reads kube-system only')],
  ),
  featureSet(
    'IPAM pools (the kubevip ConfigMap is read by kube-vip-cloud-provider, not by kube-vip)',
    'ipam',
    { ...SERVICES, ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.220'] } } },
    [...C.services, ...C.perServiceLeases],
    [...C.ipvsBackends, ...C.nodeLabeling, ...C.egressDiscovery],
  ),
  featureSet(
    'node labelling',
    'labeling',
    { services: { enabled: true, nodeLabeling: true } },
    [...C.services, ...C.perServiceLeases, ...C.nodeLabeling],
    [...C.egressDiscovery, C.ipvsBackends[0]],
  ),
  featureSet(
    'routing-table mode, control plane and Services',
    'table',
    { ...CP, ...SERVICES, ...ANNOUNCEMENTS.routingTable },
    [...C.controlPlaneLease('kube-system', 'table'), ...C.services, ...C.perServiceLeases],
    [...C.ipvsBackends, ...C.nodeLabeling, ...C.egressDiscovery],
  ),
  featureSet(
    'BGP, control plane and Services, a peer password from a Secret',
    'bgp',
    { ...CP, ...SERVICES, ...ANNOUNCEMENTS.bgp },
    [...C.controlPlaneLease('kube-system', 'bgp'), ...C.services, ...C.perServiceLeases],
    [
      ...C.ipvsBackends,
      ...C.nodeLabeling,
      ...C.egressDiscovery,
      call('get', 'secrets', at('kube-system', 'bgp-auth'), 'the kubelet puts the password into env; kube-vip never reads the Secret'),
    ],
  ),
  featureSet(
    'control plane as a static pod with the IPVS load balancer, Services in a DaemonSet',
    'split',
    { controlPlane: { enabled: true, deployment: 'staticPod', loadBalancer: { enabled: true } }, ...SERVICES },
    [...C.services, ...C.perServiceLeases],
    // The static pod does IPVS with the node's admin.conf; the Services DaemonSet needs no nodes.
    [...C.ipvsBackends, ...C.nodeLabeling, ...C.egressDiscovery],
    'split-services',
  ),
];

const synthSet = (set: FeatureSet) => synthValues(FACTS, set.values);

const EGRESS_OUTSIDE_KUBE_SYSTEM = FEATURE_SETS.find((set) => set.name === 'egress-other')!;
/** P3's fault: the same egress deployment outside kube-system, minus our Role in kube-system. */
const WITHOUT_KUBE_SYSTEM_ROLE = featureSet('P3 without our kube-system Role', 'p3-no-role', EGRESS_OUTSIDE_KUBE_SYSTEM.values, [], []);
function withoutKubeSystemRole(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => !(o.kind.startsWith('Role') && o.metadata.namespace === 'kube-system'));
}

// ---- the tests --------------------------------------------------------------------------------

const describeE2e = describeWithTools(['kube-apiserver-test']);

describeE2e('RBAC of the generated ServiceAccount, decided by a real API server', () => {
  const server = useApiServer();
  const kube = () => server().admin;

  beforeAll(async () => {
    await kube().apply(namespaceObject('kube-vip'));
    for (const set of FEATURE_SETS) {
      for (const object of synthSet(set).cluster) await kube().apply(object as KubeObject);
    }
    const p3 = withoutKubeSystemRole(synthSet(WITHOUT_KUBE_SYSTEM_ROLE).cluster as KubeObject[]);
    for (const object of p3) await kube().apply(object);
  });

  describe.each(FEATURE_SETS.map((set) => [set.title, set] as const))('%s', (_, set) => {
    const who = serviceAccountUser(set.namespace, set.serviceAccount);

    it('the generated ServiceAccount is the one the DaemonSet runs as', () => {
      const cluster = synthSet(set).cluster;
      expect(cluster.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
        `${set.namespace}/${set.serviceAccount}`,
      ]);
      expect(cluster.find((o) => o.kind === 'DaemonSet')!.spec.template.spec.serviceAccountName).toBe(set.serviceAccount);
    });

    it('allows every call kube-vip makes', async () => {
      expect(await deniedCalls(kube(), who, set.calls)).toEqual([]);
    });

    it('denies every call it must not make', async () => {
      expect(await allowedCalls(kube(), who, [...neverCalls(set.namespace, set.serviceAccount), ...set.notCalls])).toEqual([]);
    });
  });

  describe('P3: kube-vip outside kube-system with egress must list pods in kube-system', () => {
    const listPods = [call('list', 'pods', at('kube-system'), 'egress CIDR discovery')];
    const withRole = EGRESS_OUTSIDE_KUBE_SYSTEM;

    it('is allowed with our Role in kube-system', async () => {
      expect(await deniedCalls(kube(), serviceAccountUser('kube-vip', withRole.serviceAccount), listPods)).toEqual([]);
    });

    it('is denied without it (the bug of kube-vip issue 966)', async () => {
      expect(await allowedCalls(kube(), serviceAccountUser('kube-vip', WITHOUT_KUBE_SYSTEM_ROLE.serviceAccount), listPods)).toEqual([]);
    });

    it("the same, with each ServiceAccount's own token", async () => {
      const withToken = await kube().asServiceAccount('kube-vip', withRole.serviceAccount);
      const withoutToken = await kube().asServiceAccount('kube-vip', WITHOUT_KUBE_SYSTEM_ROLE.serviceAccount);
      await expect(withToken.list('v1', 'Pod', 'kube-system')).resolves.toMatchObject({ status: 200 });
      await expect(withoutToken.list('v1', 'Pod', 'kube-system')).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining(
          'User "system:serviceaccount:kube-vip:p3-no-role" cannot list resource "pods" in API group "" in the namespace "kube-system"',
        ),
      });
    });
  });

  describe('acting as kube-vip, with a token of its ServiceAccount', () => {
    let asControlPlane: KubeClient;
    let asServices: KubeClient;

    beforeAll(async () => {
      await kube().apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
      await kube().apply({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: SERVICE.name, namespace: SERVICE.namespace },
        spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      });
      asControlPlane = await kube().asServiceAccount('kube-system', 'cp-ipvs');
      asServices = await kube().asServiceAccount('kube-system', 'labeling');
    });

    it('the control plane takes and renews its lease, and reads nodes', async () => {
      const lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'cp-ipvs-cp-lock', namespace: 'kube-system' },
        spec: { holderIdentity: 'control-plane-1', leaseDurationSeconds: 15 },
      };
      await expect(asControlPlane.create(lease)).resolves.toMatchObject({ status: 201 });
      const current = (await asControlPlane.get({ ...lease, name: lease.metadata.name, namespace: 'kube-system' })).body;
      (current.spec as any).renewTime = new Date().toISOString().replace('Z', '000Z');
      await expect(asControlPlane.replace(current)).resolves.toMatchObject({ status: 200 });
      await expect(asControlPlane.list('v1', 'Node')).resolves.toMatchObject({ status: 200 });
    });

    it('the Services side announces a Service: lease, annotation, status, node label', async () => {
      const ref = { apiVersion: 'v1', kind: 'Service', ...SERVICE };
      await expect(asServices.list('v1', 'Service')).resolves.toMatchObject({ status: 200 });
      await expect(
        asServices.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: `kubevip-${SERVICE.name}`, namespace: SERVICE.namespace },
          spec: { holderIdentity: 'node-1' },
        }),
      ).resolves.toMatchObject({ status: 201 });
      const service = (await asServices.get(ref)).body;
      service.metadata.annotations = { 'kube-vip.io/vipHost': 'node-1' };
      const updated = (await asServices.replace(service)).body;
      // As kube-vip's updateStatus: Get, Update (annotations), UpdateStatus (address and ports).
      (updated as any).status = { loadBalancer: { ingress: [{ ip: '192.168.0.200', ports: [{ port: 80, protocol: 'TCP' }] }] } };
      await expect(asServices.replace(updated, { subresource: 'status' })).resolves.toMatchObject({ status: 200 });
      await expect(asServices.list('discovery.k8s.io/v1', 'EndpointSlice', SERVICE.namespace)).resolves.toMatchObject({ status: 200 });
      const nodePath = await asServices.objectPath({ apiVersion: 'v1', kind: 'Node', name: 'node-1' });
      await expect(
        asServices.request('PATCH', nodePath, {
          body: [{ op: 'add', path: '/metadata/labels', value: { 'kube-vip.io/has-ip': '192.168.0.200' } }],
          contentType: 'application/json-patch+json',
        }),
      ).resolves.toMatchObject({ status: 200 });
      expect((await kube().get(ref)).body.status).toMatchObject({
        loadBalancer: { ingress: [{ ip: '192.168.0.200', ports: [{ port: 80 }] }] },
      });
    });

    it('gets a real 403 for what it must not do', async () => {
      const forbidden = async (call: Promise<unknown>) => {
        const error = await call.then(
          () => undefined,
          (e) => e,
        );
        return error instanceof KubeApiError ? error.status : error;
      };
      expect(await forbidden(asServices.list('v1', 'Secret', 'kube-system'))).toBe(403);
      expect(await forbidden(asServices.list('v1', 'Secret'))).toBe(403);
      expect(await forbidden(asServices.list('v1', 'Pod', 'kube-system'))).toBe(403); // no egress in this set
      expect(await forbidden(asServices.delete({ apiVersion: 'v1', kind: 'Node', name: 'node-1' }))).toBe(403);
      expect(await forbidden(asControlPlane.list('v1', 'Service'))).toBe(403); // control plane only
      await expect(
        asServices.selfSubjectAccessReview({ verb: 'get', group: '', resource: 'secrets', namespace: 'kube-system' }),
      ).resolves.toMatchObject({
        allowed: false,
      });
    });
  });
});
