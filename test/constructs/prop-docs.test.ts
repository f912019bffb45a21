import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';
import { Field, fieldAt } from '../../lib/model/schema';
import { valuesSchema } from '../../lib/model/values';

/**
 * Construct props are documented from the config model: a prop that is a model field carries
 * that field's description (the one values.yaml and the chart README show) and, when it is
 * optional, an `@default` with the model's default. Every other prop has its own description,
 * and an `@default` when optional.
 */

const CONSTRUCTS = join(__dirname, '..', '..', 'lib', 'constructs');

/** Interface.member -> model path (`[]` steps into a list's items, `*` into a map's values). */
const PROP_PATHS: Record<string, string> = {
  'BgpPeer.address': 'announce.bgp.peers[].address',
  'BgpPeer.as': 'announce.bgp.peers[].as',
  'BgpPeer.port': 'announce.bgp.peers[].port',
  'BgpPeer.multihop': 'announce.bgp.peers[].multihop',
  'BgpPeer.password': 'announce.bgp.peers[].password',
  'BgpOptions.peers': 'announce.bgp.peers',
  'BgpOptions.routerID': 'announce.bgp.routerID',
  'BgpOptions.routerInterface': 'announce.bgp.routerInterface',
  'BgpOptions.as': 'announce.bgp.as',
  'BgpOptions.sourceIP': 'announce.bgp.sourceIP',
  'BgpOptions.sourceInterface': 'announce.bgp.sourceInterface',
  'BgpOptions.holdTimeSeconds': 'announce.bgp.holdTimeSeconds',
  'BgpOptions.keepaliveIntervalSeconds': 'announce.bgp.keepaliveIntervalSeconds',
  'ArpOptions.rateMs': 'announce.arp.rateMs',
  'RoutingTableOptions.tableID': 'announce.routingTable.tableID',
  'RoutingTableOptions.protocol': 'announce.routingTable.protocol',
  'RoutingTableOptions.cleanOnStart': 'announce.routingTable.cleanOnStart',
  'ControlPlaneLoadBalancer.port': 'controlPlane.loadBalancer.port',
  'ControlPlaneLoadBalancer.forwardingMethod': 'controlPlane.loadBalancer.forwardingMethod',
  'LeaderElection.enabled': 'controlPlane.leaderElection.enabled',
  'LeaderElection.leaseName': 'controlPlane.leaderElection.leaseName',
  'LeaderElection.leaseDurationSeconds': 'controlPlane.leaderElection.leaseDurationSeconds',
  'LeaderElection.renewDeadlineSeconds': 'controlPlane.leaderElection.renewDeadlineSeconds',
  'LeaderElection.retryPeriodSeconds': 'controlPlane.leaderElection.retryPeriodSeconds',
  'KubeVipControlPlaneProps.address': 'controlPlane.address',
  'KubeVipControlPlaneProps.port': 'controlPlane.port',
  'KubeVipControlPlaneProps.leaderElection': 'controlPlane.leaderElection',
  'KubeVipControlPlaneProps.loadBalancer': 'controlPlane.loadBalancer',
  'EgressGatewayProps.backend': 'egress.backend',
  'EgressGatewayProps.cleanOnStart': 'egress.cleanOnStart',
  'ClusterFacts.apiServerAddresses': 'cluster.apiServerAddresses',
  'ClusterFacts.nodeAddresses': 'cluster.nodeAddresses',
  'ClusterFacts.podCIDRs': 'cluster.podCIDRs',
  'ClusterFacts.serviceCIDRs': 'cluster.serviceCIDRs',
  'ClusterFacts.kubeRouter': 'cluster.kubeRouter',
  'KubeVipProps.name': 'name',
  'KubeVipProps.namespace': 'namespace',
  'KubeVipProps.interface': 'interface',
  'KubeVipProps.distribution': 'distribution',
  'KubeVipProps.pullPolicy': 'image.pullPolicy',
  'KubeVipProps.pullSecrets': 'image.pullSecrets',
  'KubeVipProps.pod': 'pod',
  'KubeVipProps.serviceAccount': 'serviceAccount',
  'KubeVipProps.updateStrategy': 'updateStrategy',
  'KubeVipProps.metrics': 'metrics',
  'KubeVipProps.scheduling': 'scheduling',
  'KubeVipProps.resources': 'resources',
  'KubeVipProps.extraEnv': 'extraEnv',
  'KubeVipProps.cluster': 'cluster',
  'PoolOptions.cidrs': 'ipam.global.cidrs',
  'PoolOptions.ranges': 'ipam.global.ranges',
  'NamespacePoolOptions.allowShare': 'ipam.namespaces.*.allowShare',
  'NamespacePoolOptions.interface': 'ipam.namespaces.*.interface',
  'LoadBalancerPoolsProps.global': 'ipam.global',
  'LoadBalancerPoolsProps.namespaces': 'ipam.namespaces',
  'LoadBalancerPoolsProps.skipEndIPsInCIDR': 'ipam.skipEndIPsInCIDR',
  'KubeVipCloudProviderProps.replicas': 'ipam.cloudProvider.replicas',
  'KubeVipCloudProviderProps.image': 'ipam.cloudProvider.image',
  'KubeVipCloudProviderProps.resources': 'ipam.cloudProvider.resources',
  'KubeVipCloudProviderProps.nodeSelector': 'ipam.cloudProvider.nodeSelector',
  'KubeVipCloudProviderProps.tolerations': 'ipam.cloudProvider.tolerations',
  'KubeVipCloudProviderProps.priorityClassName': 'ipam.cloudProvider.priorityClassName',
  'CloudProviderImageOptions.repository': 'ipam.cloudProvider.image.repository',
  'CloudProviderImageOptions.tag': 'ipam.cloudProvider.image.tag',
  'CloudProviderImageOptions.digest': 'ipam.cloudProvider.image.digest',
  'CloudProviderImageOptions.pullPolicy': 'ipam.cloudProvider.image.pullPolicy',
  'CommonServicesProps.election': 'services.election',
  'CommonServicesProps.leaseName': 'services.leaseName',
  'CommonServicesProps.interface': 'services.interface',
  'CommonServicesProps.watchNamespace': 'services.watchNamespace',
  'CommonServicesProps.loadBalancerClass': 'services.loadBalancerClass',
  'CommonServicesProps.nodeLabeling': 'services.nodeLabeling',
  'LoadBalancerClassOptions.name': 'services.loadBalancerClass.name',
  'LoadBalancerClassOptions.only': 'services.loadBalancerClass.only',
  'LoadBalancerClassOptions.legacyHandling': 'services.loadBalancerClass.legacyHandling',
};

interface Prop {
  readonly key: string;
  readonly optional: boolean;
  readonly description: string;
  readonly defaultText: string | undefined;
}

function propsOf(file: string): Prop[] {
  const source = ts.createSourceFile(file, readFileSync(join(CONSTRUCTS, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const props: Prop[] = [];
  source.forEachChild((node) => {
    // Exported interfaces, and the props interfaces exported types are made of.
    if (!ts.isInterfaceDeclaration(node)) return;
    const exported = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported && !node.name.text.endsWith('Props')) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) continue;
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      const tags = docs.flatMap((d) => [...(d.tags ?? [])]);
      const text = (comment: ts.JSDoc['comment']) => (typeof comment === 'string' ? comment : (comment ?? []).map((c) => c.text).join(''));
      const defaultTag = tags.find((t) => t.tagName.text === 'default');
      props.push({
        key: `${node.name.text}.${member.name.getText()}`,
        optional: member.questionToken !== undefined,
        description: docs
          .map((d) => text(d.comment))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
        defaultText: defaultTag ? text(defaultTag.comment).trim() : undefined,
      });
    }
  });
  return props;
}

function modelField(path: string): Field | undefined {
  let field: Field | undefined = valuesSchema;
  for (const step of path.split('.')) {
    const items = step.endsWith('[]');
    const key = items ? step.slice(0, -2) : step;
    if (key === '*') {
      field = field?.kind === 'map' ? field.values : undefined;
      continue;
    }
    field = field && fieldAt(field, key);
    if (items) field = field?.kind === 'array' ? field.items : undefined;
  }
  return field;
}

/** How a default may be written: its JSON, the bare string, or an enum member with that value. */
function defaultMatches(written: string, value: unknown): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (written === JSON.stringify(value) || written === String(value)) return true;
  return typeof value === 'string' && /^[A-Z][A-Za-z]*\.[A-Z_]+$/.test(written) && squash(written.split('.')[1]) === squash(value);
}

const props = readdirSync(CONSTRUCTS)
  .filter((f) => f.endsWith('.ts'))
  .flatMap(propsOf);

describe('construct props', () => {
  test('every prop of the model is mapped to its field', () => {
    expect(Object.keys(PROP_PATHS).filter((key) => !modelField(PROP_PATHS[key]))).toEqual([]);
    expect(Object.keys(PROP_PATHS).filter((key) => !props.some((p) => p.key === key))).toEqual([]);
  });

  test.each(props.map((p) => [p.key, p] as const))('%s is documented', (key, prop) => {
    expect(prop.description).not.toBe('');
    if (prop.optional) expect(prop.defaultText).toBeDefined();
    const path = PROP_PATHS[key];
    if (!path) return;
    const field = modelField(path)!;
    expect(prop.description).toContain(field.description);
    const scalar = field.kind === 'string' || field.kind === 'integer' || field.kind === 'boolean' || field.kind === 'enum';
    if (prop.optional && scalar && !defaultMatches(prop.defaultText!, field.default)) {
      throw new Error(`${key}: @default ${prop.defaultText} is not the model's default ${JSON.stringify(field.default)} (${path})`);
    }
  });
});
