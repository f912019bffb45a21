import { hasKey, isPlainObject } from '../../model/plain';
import { Json } from '../json';

/**
 * The JSON types of the Kubernetes fields `check` and `import` read, as the API server's schema
 * gives them. A foreign manifest is read defensively, but a field of the wrong type (an `env`
 * written as a map, `containers` as a string) is one the API server refuses: such an object is
 * refused here, with the field, before any rule reads it. Fields not listed are not read.
 */
type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'map'
  | { readonly list: Shape }
  | { readonly fields: Readonly<Record<string, Shape>> }
  | { readonly values: Shape };

const strings = { list: 'string' } as const;
const stringMap = { values: 'string' } as const;
const ref = { fields: { name: 'string', key: 'string' } } as const;

const CONTAINER: Shape = {
  fields: {
    name: 'string',
    image: 'string',
    imagePullPolicy: 'string',
    command: strings,
    args: strings,
    env: {
      list: {
        fields: {
          name: 'string',
          value: 'string',
          valueFrom: { fields: { fieldRef: { fields: { fieldPath: 'string' } }, secretKeyRef: ref, configMapKeyRef: ref } },
        },
      },
    },
    envFrom: {
      list: { fields: { prefix: 'string', configMapRef: { fields: { name: 'string' } }, secretRef: { fields: { name: 'string' } } } },
    },
    volumeMounts: { list: { fields: { name: 'string', mountPath: 'string', subPath: 'string', readOnly: 'boolean' } } },
    ports: { list: { fields: { name: 'string', containerPort: 'integer', hostPort: 'integer', protocol: 'string' } } },
    securityContext: { fields: { privileged: 'boolean', capabilities: { fields: { add: strings, drop: strings } } } },
  },
};

const POD_SPEC: Shape = {
  fields: {
    containers: { list: CONTAINER },
    initContainers: { list: CONTAINER },
    volumes: { list: { fields: { name: 'string', hostPath: { fields: { path: 'string', type: 'string' } } } } },
    hostNetwork: 'boolean',
    nodeName: 'string',
    nodeSelector: stringMap,
    serviceAccount: 'string',
    serviceAccountName: 'string',
  },
};

const METADATA: Shape = {
  fields: { name: 'string', namespace: 'string', labels: stringMap, annotations: stringMap, ownerReferences: { list: 'map' } },
};

const TEMPLATE: Shape = { fields: { metadata: METADATA, spec: POD_SPEC } };

/** By kind: the fields of that kind's objects the toolkit reads (metadata for every kind). */
const KINDS: Readonly<Record<string, Shape>> = {
  Pod: { fields: { spec: POD_SPEC } },
  DaemonSet: { fields: { spec: { fields: { template: TEMPLATE } } } },
  Deployment: { fields: { spec: { fields: { template: TEMPLATE } } } },
  StatefulSet: { fields: { spec: { fields: { template: TEMPLATE } } } },
  ReplicaSet: { fields: { spec: { fields: { template: TEMPLATE } } } },
  Job: { fields: { spec: { fields: { template: TEMPLATE } } } },
  CronJob: { fields: { spec: { fields: { jobTemplate: { fields: { spec: { fields: { template: TEMPLATE } } } } } } } },
  ConfigMap: { fields: { data: stringMap } },
  ClusterRole: { fields: { rules: { list: { fields: { apiGroups: strings, resources: strings, verbs: strings } } } } },
  Role: { fields: { rules: { list: { fields: { apiGroups: strings, resources: strings, verbs: strings } } } } },
  ClusterRoleBinding: { fields: { roleRef: { fields: { kind: 'string', name: 'string' } }, subjects: { list: 'map' } } },
  RoleBinding: { fields: { roleRef: { fields: { kind: 'string', name: 'string' } }, subjects: { list: 'map' } } },
};

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return typeof value === 'string' ? 'a string' : `${JSON.stringify(value) ?? String(value)}`;
}

function expected(shape: Shape): string {
  if (typeof shape === 'string') return shape === 'map' ? 'a map' : shape === 'integer' ? 'a whole number' : `a ${shape}`;
  return 'list' in shape ? 'a list' : 'a map';
}

function fits(value: unknown, shape: Shape): boolean {
  if (shape === 'string') return typeof value === 'string';
  if (shape === 'boolean') return typeof value === 'boolean';
  if (shape === 'integer') return Number.isInteger(value);
  if (shape === 'map' || !('list' in shape)) return isPlainObject(value);
  return Array.isArray(value);
}

/** The first field whose value the API server's schema refuses, as `field: what`; null (absent) fits anything. */
function misfit(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!fits(value, shape)) return `${path} is ${typeOf(value)}, where the API server takes ${expected(shape)}`;
  if (typeof shape === 'string') return undefined;
  if ('list' in shape) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const found = misfit(items[i], shape.list, `${path}[${i}]`);
      if (found) return found;
    }
  } else {
    for (const [key, child] of Object.entries(value as Json)) {
      const childShape = 'fields' in shape ? (hasKey(shape.fields, key) ? shape.fields[key] : undefined) : shape.values;
      const found = childShape && misfit(child, childShape, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Why the API server would refuse this object's shape, in the fields the toolkit reads, if it would. */
export function shapeProblem(object: Json): string | undefined {
  const kind = typeof object.kind === 'string' && hasKey(KINDS, object.kind) ? KINDS[object.kind] : undefined;
  return misfit(object.metadata, METADATA, 'metadata') ?? (kind && misfit(object, kind, ''));
}
