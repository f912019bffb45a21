import { Scope } from '../expr/cond';
import { evaluate, expr } from '../expr/value';
import { GrantScope } from '../kube-vip/rbac';
import {
  CLOUD_PROVIDER_COMMAND,
  CLOUD_PROVIDER_ENV,
  CLOUD_PROVIDER_GRANTS,
  CLOUD_PROVIDER_HEALTH,
  CLOUD_PROVIDER_SECURITY_CONTEXT,
} from '../kube-vip/cloud-provider';
import { CLOUD_PROVIDER_NAMES } from '../model/cloud-provider';
import { nonEmpty } from '../model/plain';
import { KubeVipValues } from '../model/values';
import { imageReference } from '../model/workloads';
import { envOf } from './env';
import { MANAGED_BY } from './labels';
import { pullSecretNames } from './pod';
import { rbacObjects, RoleSlot } from './rbac';

type Json = Record<string, unknown>;

const NAME = CLOUD_PROVIDER_NAMES.name;

/**
 * kube-vip-cloud-provider as we deploy it (ipam.cloudProvider), as data where the chart needs
 * the same derivation: its name, image, labels and roles are Exprs the chart's templates are
 * generated from; its env and RBAC are the tables of lib/kube-vip/cloud-provider.ts.
 */
export const CLOUD_PROVIDER_PLAN = {
  name: NAME,
  image: imageReference(expr.read('values.ipam.cloudProvider.image.repository'), 'values.ipam.cloudProvider.image'),
  /** Never change for the life of the Deployment: its selector is immutable. */
  selectorLabels: {
    'app.kubernetes.io/name': expr.literal('kube-vip-cloud-provider'),
    'app.kubernetes.io/instance': NAME,
  },
  labels: {
    'app.kubernetes.io/version': expr.read('values.ipam.cloudProvider.image.tag'),
    'app.kubernetes.io/component': expr.literal('cloud-provider'),
    'app.kubernetes.io/part-of': expr.literal('kube-vip'),
  },
  /** Its roles: cluster-wide for Services, nodes and events; its own namespace for its lease; the pools' namespace to read them. */
  roles: [
    { scope: GrantScope.CLUSTER, kind: 'ClusterRole', name: NAME },
    { scope: GrantScope.OWN_NAMESPACE, kind: 'Role', name: NAME, namespace: expr.read('values.namespace') },
    // The pools may be in its own namespace: the separate name keeps the two Roles apart.
    {
      scope: GrantScope.POOLS_NAMESPACE,
      kind: 'Role',
      name: CLOUD_PROVIDER_NAMES.poolsRole,
      namespace: expr.read('values.ipam.configMap.namespace'),
    },
  ] satisfies readonly RoleSlot[],
  command: [
    expr.literal(CLOUD_PROVIDER_COMMAND.binary),
    expr.format('%s=%s', expr.literal(CLOUD_PROVIDER_COMMAND.leaseNameFlag), NAME),
    expr.format('%s=%s', expr.literal(CLOUD_PROVIDER_COMMAND.leaseNamespaceFlag), expr.read('values.namespace')),
  ],
  livenessProbe: {
    httpGet: { path: CLOUD_PROVIDER_HEALTH.path, port: CLOUD_PROVIDER_HEALTH.port, scheme: CLOUD_PROVIDER_HEALTH.scheme },
    initialDelaySeconds: 15,
    periodSeconds: 10,
    failureThreshold: 3,
  },
} as const;

function evaluated(record: Record<string, Parameters<typeof evaluate>[0]>, scope: Scope): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, String(evaluate(value, scope))]));
}

/** Its objects: ServiceAccount, roles with bindings, Deployment; none unless ipam and ipam.cloudProvider are on. */
export function cloudProviderManifests(values: KubeVipValues): Json[] {
  if (!values.ipam.enabled || !values.ipam.cloudProvider.enabled) return [];
  const scope: Scope = { values, workload: {} };
  const plan = CLOUD_PROVIDER_PLAN;
  const provider = values.ipam.cloudProvider;
  const name = String(evaluate(plan.name, scope));
  const selector = evaluated(plan.selectorLabels, scope);
  const labels = { ...selector, ...evaluated(plan.labels, scope), 'app.kubernetes.io/managed-by': MANAGED_BY };
  const account = { name, namespace: values.namespace, create: true };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: values.namespace, labels },
    spec: {
      replicas: provider.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: true,
          ...nonEmpty(
            'imagePullSecrets',
            pullSecretNames(values).map((secret) => ({ name: secret })),
          ),
          ...(provider.priorityClassName ? { priorityClassName: provider.priorityClassName } : {}),
          ...nonEmpty('nodeSelector', provider.nodeSelector),
          ...nonEmpty('tolerations', provider.tolerations),
          containers: [
            {
              name: 'kube-vip-cloud-provider',
              image: String(evaluate(plan.image, scope)),
              imagePullPolicy: provider.image.pullPolicy,
              command: plan.command.map((part) => String(evaluate(part, scope))),
              env: envOf(CLOUD_PROVIDER_ENV, scope),
              livenessProbe: structuredClone(plan.livenessProbe),
              resources: provider.resources,
              securityContext: structuredClone(CLOUD_PROVIDER_SECURITY_CONTEXT),
            },
          ],
        },
      },
    },
  };
  return [...rbacObjects(plan.roles, CLOUD_PROVIDER_GRANTS, scope, account, labels), deployment];
}
