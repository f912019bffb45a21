import * as fc from 'fast-check';
import { Announcement, checkValues, KubeVip, KubeVipCloudProvider, KubeVipImage, KubeVipServicesLB, LoadBalancerPools } from '../../lib';
import { envOf, find, refusals, synthValues, synthWith } from '../support/synth';

const POOLS = { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.210'] } };
const WITH_PROVIDER = { services: { enabled: true }, ipam: { ...POOLS, cloudProvider: { enabled: true } } };

const kinds = (objects: Record<string, any>[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('ipam.cloudProvider', () => {
  it('renders nothing of the provider unless asked', () => {
    const names = kinds(synthValues({ ipam: POOLS }).cluster);
    expect(names.filter((n) => n.includes('cloud-provider'))).toEqual([]);
  });

  it('renders its ServiceAccount, roles with bindings and Deployment, after the pools they read', () => {
    expect(kinds(synthValues(WITH_PROVIDER).cluster).slice(-9)).toEqual([
      'ConfigMap/kubevip',
      'ServiceAccount/kube-vip-cloud-provider',
      'ClusterRole/kube-vip-cloud-provider',
      'ClusterRoleBinding/kube-vip-cloud-provider',
      'Role/kube-vip-cloud-provider',
      'RoleBinding/kube-vip-cloud-provider',
      'Role/kube-vip-cloud-provider-pools',
      'RoleBinding/kube-vip-cloud-provider-pools',
      'Deployment/kube-vip-cloud-provider',
    ]);
  });

  it('is refused without pools to read, naming the fix', () => {
    expect(refusals({ ipam: { cloudProvider: { enabled: true } } })).toEqual([
      '- ipam.cloudProvider.enabled: true deploys kube-vip-cloud-provider while ipam is off: it would find no pools and give no Service an address; set ipam.enabled: true and give it pools (ipam.global or ipam.namespaces), or leave ipam.cloudProvider.enabled off',
    ]);
  });

  it('refuses a node group whose objects would take its names', () => {
    const values = {
      ...WITH_PROVIDER,
      interface: 'eth0',
      nodeGroups: [{ name: 'cloud-provider', nodeSelector: { 'example.com/nic': 'eno1' }, interface: 'eno1' }],
    };
    expect(refusals(values)).toEqual([
      `- nodeGroups[0].name: "cloud-provider" gives the group's DaemonSet and RBAC the names of the cloud provider's objects (<name>-cloud-provider, <name>-cloud-provider-pools); give the group another name`,
    ]);
    expect(refusals({ ...values, ipam: POOLS })).toEqual([]);
  });

  it('reads the pools wherever ipam.configMap puts them, and may read only that ConfigMap', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
    fc.assert(
      fc.property(name, name, (configMap, namespace) => {
        const objects = synthValues({
          ...WITH_PROVIDER,
          ipam: { ...WITH_PROVIDER.ipam, configMap: { name: configMap, namespace } },
        }).cluster;
        const env = envOf(find(objects, 'Deployment', 'kube-vip-cloud-provider'));
        expect(env).toMatchObject({ KUBEVIP_CONFIG_MAP: configMap, KUBEVIP_NAMESPACE: namespace });
        const role = find(objects, 'Role', 'kube-vip-cloud-provider-pools');
        expect(role.metadata.namespace).toBe(namespace);
        expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: [configMap], verbs: ['get'] }]);
      }),
      { numRuns: 25 },
    );
  });

  it('elects its leader on a lease in its own namespace, which its Role covers', () => {
    const objects = synthValues({ ...WITH_PROVIDER, namespace: 'lb' }).cluster;
    const command = find(objects, 'Deployment').spec.template.spec.containers[0].command;
    expect(command).toEqual([
      '/kube-vip-cloud-provider',
      '--leader-elect-resource-name=kube-vip-cloud-provider',
      '--leader-elect-resource-namespace=lb',
    ]);
    const role = find(objects, 'Role', 'kube-vip-cloud-provider');
    expect(role.metadata.namespace).toBe('lb');
    expect(role.rules).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
  });

  it("gets no wildcard, no Secrets and no create on ConfigMaps (it would make an empty one in Helm's way)", () => {
    const objects = synthValues(WITH_PROVIDER).cluster.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
    const rules = objects.filter((o) => o.metadata.name.includes('cloud-provider')).flatMap((o) => o.rules);
    for (const rule of rules) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
      if (rule.resources.includes('configmaps')) expect(rule.verbs).toEqual(['get']);
    }
  });

  /**
   * Which Services kube-vip v1.2.2 serves (pkg/services/watch_services.go: lbClassFilterLegacy
   * with legacy handling, else lbClassFilter), and which v0.0.12 of the provider gives an
   * address to (the framework's controller: no class; with KUBEVIP_ENABLE_LOADBALANCERCLASS: its
   * class only). Written from their source here, apart from the table that derives the env.
   */
  const kubeVipServes = (lb: { name: string; only: boolean; legacyHandling: boolean }, svcClass: string | undefined) =>
    lb.legacyHandling
      ? svcClass !== undefined
        ? svcClass === lb.name
        : !lb.only
      : svcClass === undefined
        ? lb.name === ''
        : svcClass === lb.name;
  const providerServes = (env: Record<string, unknown>, svcClass: string | undefined) =>
    env.KUBEVIP_ENABLE_LOADBALANCERCLASS === 'true'
      ? svcClass === (env.KUBEVIP_CUSTOM_LOADBALANCERCLASS_NAME || 'kube-vip.io/kube-vip-class')
      : svcClass === undefined;

  it('gives addresses to Services kube-vip serves, and to Services without a class whenever kube-vip serves those', () => {
    const cases = fc.record({
      name: fc.constantFrom('', 'kube-vip.io/kube-vip-class', 'example.com/lb'),
      only: fc.boolean(),
      legacyHandling: fc.boolean(),
    });
    let classMode = 0;
    fc.assert(
      fc.property(cases, (lb) => {
        const values = { ...WITH_PROVIDER, services: { enabled: true, loadBalancerClass: lb } };
        if (refusals(values).length > 0) return; // only without a name: refused (lb-class-name)
        const env = envOf(find(synthValues(values).cluster, 'Deployment', 'kube-vip-cloud-provider'));
        if (env.KUBEVIP_ENABLE_LOADBALANCERCLASS === 'true') classMode++;
        for (const svcClass of [undefined, lb.name || undefined, 'other.example/lb']) {
          if (providerServes(env, svcClass)) expect(kubeVipServes(lb, svcClass)).toBe(true);
        }
        expect(providerServes(env, undefined)).toBe(kubeVipServes(lb, undefined));
        // Where kube-vip serves only its class, the provider serves that class: Services of it get addresses.
        if (!kubeVipServes(lb, undefined)) expect(providerServes(env, lb.name)).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(classMode).toBeGreaterThan(0);
  });

  it('reads nodes only where the service controller that needs them runs (not in class mode)', () => {
    const rules = (only: boolean) =>
      find(
        synthValues({ ...WITH_PROVIDER, services: { enabled: true, loadBalancerClass: { only } } }).cluster,
        'ClusterRole',
        'kube-vip-cloud-provider',
      ).rules.flatMap((r: { resources: string[] }) => r.resources);
    expect(rules(false)).toContain('nodes');
    expect(rules(true)).not.toContain('nodes');
  });

  it("refuses kube-vip's ServiceAccount under the provider's name: one account would carry both roles", () => {
    expect(refusals({ ...WITH_PROVIDER, serviceAccount: { name: 'kube-vip-cloud-provider' } })).toEqual([
      `- serviceAccount.name: "kube-vip-cloud-provider" is also the cloud provider's ServiceAccount (kube-vip-cloud-provider): kube-vip and the provider would run as one account, each with the other's rights; choose another serviceAccount.name, or leave it empty for the DaemonSet's name`,
    ]);
  });

  it('refuses a name that makes its object name too long for a label, and an empty image repository or tag', () => {
    const name = 'k'.repeat(50);
    expect(refusals({ ...WITH_PROVIDER, name })).toEqual([
      `- name: "${name}" gives the object name "${name}-cloud-provider", longer than the 63 characters a label value allows; choose a shorter name`,
    ]);
    const image = (field: string) => ({
      ...WITH_PROVIDER,
      ipam: { ...WITH_PROVIDER.ipam, cloudProvider: { enabled: true, image: { [field]: '' } } },
    });
    expect(refusals(image('tag')).join('\n')).toContain('- ipam.cloudProvider.image.tag: "" is empty');
    expect(refusals(image('repository')).join('\n')).toContain('- ipam.cloudProvider.image.repository: "" is empty');
  });

  it('warns of a release the toolkit does not know', () => {
    const { warnings } = checkValues({
      ...WITH_PROVIDER,
      ipam: { ...WITH_PROVIDER.ipam, cloudProvider: { enabled: true, image: { tag: 'v0.0.13' } } },
    });
    expect(warnings.map((p) => `${p.rule} ${p.path}`)).toContain('cloud-provider-release ipam.cloudProvider.image.tag');
  });

  it('takes global.imageRegistry and a digest as kube-vip does', () => {
    const objects = synthValues({
      ...WITH_PROVIDER,
      global: { imageRegistry: 'registry.example.com' },
      ipam: { ...WITH_PROVIDER.ipam, cloudProvider: { enabled: true, image: { digest: `sha256:${'ab'.repeat(32)}` } } },
    }).cluster;
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].image).toBe(
      `registry.example.com/kube-vip/kube-vip-cloud-provider:v0.0.12@sha256:${'ab'.repeat(32)}`,
    );
  });

  it("runs as its image's non-root user by number, which the kubelet can verify", () => {
    const container = find(synthValues(WITH_PROVIDER).cluster, 'Deployment').spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, readOnlyRootFilesystem: true });
  });

  it('through the constructs: KubeVipCloudProvider on the pools gives what the values give', () => {
    const built = synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard(), announce: Announcement.arp() });
      new KubeVipServicesLB(kubeVip, 'services', {});
      const pools = new LoadBalancerPools(kubeVip, 'pools', { global: WITH_PROVIDER.ipam.global });
      new KubeVipCloudProvider(pools, 'cloud-provider', { replicas: 2 });
    }).cluster;
    const fromValues = synthValues({ ...WITH_PROVIDER, ipam: { ...WITH_PROVIDER.ipam, cloudProvider: { enabled: true, replicas: 2 } } });
    expect(built).toEqual(fromValues.cluster);
    expect(find(built, 'Deployment').spec.replicas).toBe(2);
  });

  it('is one per deployment: a second is refused, naming both', () => {
    expect(() =>
      synthWith((chart) => {
        const kubeVip = new KubeVip(chart, 'kube-vip', { image: KubeVipImage.standard(), announce: Announcement.arp() });
        const pools = new LoadBalancerPools(kubeVip, 'pools', { global: WITH_PROVIDER.ipam.global });
        new KubeVipCloudProvider(pools, 'one');
        new KubeVipCloudProvider(pools, 'two');
      }),
    ).toThrow(/pools\/two: a second KubeVipCloudProvider on .*kube-vip \(the first is .*pools\/one\)/);
  });

  it('as a whole (snapshot)', () => {
    const objects = synthValues(WITH_PROVIDER).cluster.filter((o) => o.metadata.name.includes('cloud-provider'));
    expect(objects).toMatchSnapshot();
  });
});
