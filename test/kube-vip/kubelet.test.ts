import { containerCapabilities, containerConfinement, expand, hostsFile, PodContext, resolveEnv } from './support/kubelet';
import { IMAGES } from '../../lib/kube-vip/defaults';
import { KUBE_VIP_RELEASES } from '../support/tools';
import { hostPorts, schedulable, TestNode } from './support/cluster';

/** The kubelet stand-in's own rules, checked against what the kubelet does. */
describe('the kubelet stand-in', () => {
  const vars: Record<string, string> = { A: '1', PASS: 's3cr:t' };
  const lookup = (name: string) => vars[name];

  it.each([
    ['$(A)', '1'],
    ['x$(A)y$(A)', 'x1y1'],
    ['$$(A)', '$(A)'], // escaped
    ['$(B)', '$(B)'], // undefined: kept as written
    ['$(A', '$(A'], // unclosed: kept
    ['a$b', 'a$b'],
    ['end$', 'end$'],
    ['$$$(A)', '$1'],
    ['192.168.77.250:64512:$(PASS):false', '192.168.77.250:64512:s3cr:t:false'],
  ])('expands %j to %j as Kubernetes does', (input, output) => {
    expect(expand(input, lookup)).toBe(output);
  });

  const context = (over: Partial<PodContext> = {}): PodContext => ({
    nodeName: 'cp-1',
    nodeAddress: '192.168.77.11',
    podName: 'kube-vip-abc',
    namespace: 'kube-system',
    staticPod: false,
    secret: async (_ns, name) => (name === 'bgp' ? { password: 'pw' } : undefined),
    configMap: async () => undefined,
    serviceEnv: { KUBERNETES_SERVICE_HOST: '192.168.77.2' },
    ...over,
  });

  it('resolves fieldRef, secretKeyRef and $(VAR) only against variables defined before', async () => {
    const container = {
      name: 'kube-vip',
      env: [
        { name: 'vip_nodename', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'early', value: '$(late)' },
        { name: 'BGP_PASS', valueFrom: { secretKeyRef: { name: 'bgp', key: 'password' } } },
        { name: 'bgp_peers', value: '192.168.77.250:64512:$(BGP_PASS):false' },
        { name: 'late', value: 'x' },
        { name: 'api', value: '$(KUBERNETES_SERVICE_HOST)' },
      ],
    };
    const env = await resolveEnv(container, context());
    expect(env).toMatchObject({ vip_nodename: 'cp-1', early: '$(late)', bgp_peers: '192.168.77.250:64512:pw:false', api: '192.168.77.2' });
  });

  it('fails the pod for a missing Secret, and for any Secret in a static pod', async () => {
    const ref = (name: string) => ({ name: 'kube-vip', env: [{ name: 'p', valueFrom: { secretKeyRef: { name, key: 'password' } } }] });
    await expect(resolveEnv(ref('absent'), context())).rejects.toThrow(/secret kube-system\/absent not found/);
    await expect(resolveEnv(ref('bgp'), context({ staticPod: true }))).rejects.toThrow(/a static pod cannot reference secret bgp/);
  });

  it('writes hostAliases after the node entries in /etc/hosts', () => {
    const hosts = hostsFile({ hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }] }, 'cp-1', '192.168.77.11');
    expect(hosts).toMatch(/192\.168\.77\.11\tcp-1\n\n# Entries added by HostAliases\.\n127\.0\.0\.1\tkubernetes\n$/);
  });

  const node = (controlPlane: boolean): TestNode => ({
    name: 'n',
    host: { netns: 'x', address: '192.168.77.11' },
    root: '/nonexistent',
    labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {},
    taints: controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
  });

  it('schedules by required node affinity and taints', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }],
        },
      },
    };
    const tolerateAll = [{ operator: 'Exists', effect: 'NoSchedule' }];
    expect(schedulable({ affinity, tolerations: tolerateAll }, node(true))).toBe(true);
    expect(schedulable({ affinity, tolerations: tolerateAll }, node(false))).toBe(false);
    expect(schedulable({}, node(true))).toBe(false); // the control-plane taint, not tolerated
    expect(schedulable({}, node(false))).toBe(true);
  });

  it('gives a container the capabilities its securityContext asks for, as the runtime does', () => {
    expect(containerCapabilities({ securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] } } })).toEqual([
      'NET_ADMIN',
      'NET_RAW',
    ]);
    expect(containerCapabilities({ securityContext: { capabilities: { drop: ['ALL'] } } })).toEqual([]);
    expect(containerCapabilities({})).toContain('NET_RAW');
    expect(containerCapabilities({})).not.toContain('NET_ADMIN'); // not in the runtime's default set
    expect(containerCapabilities({ securityContext: { privileged: true, capabilities: { drop: ['ALL'] } } })).toBeUndefined();
  });

  it("confines a container as its securityContext (or its pod's) asks, and a privileged one without seccomp", () => {
    const hardened = { readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' }, allowPrivilegeEscalation: false };
    expect(containerConfinement({}, { securityContext: hardened })).toEqual({
      readOnlyRoot: true,
      runtimeDefaultSeccomp: true,
      noNewPrivileges: true,
    });
    expect(containerConfinement({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, {})).toEqual({
      readOnlyRoot: false,
      runtimeDefaultSeccomp: true,
      noNewPrivileges: false,
    });
    expect(
      containerConfinement(
        {},
        { securityContext: { privileged: true, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } } },
      ),
    ).toEqual({
      readOnlyRoot: true,
      runtimeDefaultSeccomp: false,
      noNewPrivileges: false,
    });
    expect(() => containerConfinement({}, { securityContext: { seccompProfile: { type: 'Localhost' } } })).toThrow(/not modelled/);
  });

  it('counts every container port of a hostNetwork pod as a host port', () => {
    const containers = [{ ports: [{ containerPort: 2112 }] }];
    expect(hostPorts({ hostNetwork: true, containers })).toEqual([2112]);
    expect(hostPorts({ containers })).toEqual([]);
  });
});

describe('the default image', () => {
  it('is a release the suite runs on real kube-vip', () => {
    expect(KUBE_VIP_RELEASES).toContain(IMAGES.tag);
  });
});
