import { stringify } from 'yaml';

/**
 * Manifests in the shape other tools write them: kube-vip's `manifest daemonset|pod` (v1.2:
 * vip_arp and port always, the node name from the pod, no labels but its own, capabilities or
 * privileged for masquerade, the host's kubeconfig for a pod) and the upstream chart (SYS_TIME
 * in older versions). Built here so each test says exactly what it changes. The image is the
 * newest release the suite runs, unless a test says otherwise.
 */

type Json = Record<string, any>;

export interface UpstreamOptions {
  readonly image?: string;
  readonly namespace?: string;
  readonly securityContext?: Json;
  readonly serviceAccountName?: string;
  /** Pod only: the host file mounted at /etc/kubernetes/admin.conf (undefined: none). */
  readonly kubeconfig?: string;
}

const NET_CAPS = { capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } };

function container(env: Record<string, string>, options: UpstreamOptions, mount: boolean): Json {
  const masquerade = env.lb_fwdmethod === 'masquerade';
  return {
    name: 'kube-vip',
    image: options.image ?? 'ghcr.io/kube-vip/kube-vip:v1.2.2',
    imagePullPolicy: 'IfNotPresent',
    args: ['manager'],
    env: [
      { name: 'vip_arp', value: env.vip_arp ?? 'false' },
      { name: 'port', value: '6443' },
      { name: 'vip_nodename', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ...Object.entries(env)
        .filter(([name]) => name !== 'vip_arp')
        .map(([name, value]) => ({ name, value })),
    ],
    resources: {},
    securityContext: options.securityContext ?? (masquerade ? { privileged: true } : NET_CAPS),
    ...(mount ? { volumeMounts: [{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf' }] } : {}),
  };
}

export function upstreamDaemonSet(env: Record<string, string>, options: UpstreamOptions = {}): Json {
  const labels = { 'app.kubernetes.io/name': 'kube-vip-ds', 'app.kubernetes.io/version': 'v1.2.2' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-vip-ds', namespace: options.namespace ?? 'kube-system', labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'kube-vip-ds' } },
      template: {
        metadata: { labels },
        spec: {
          containers: [container(env, options, false)],
          hostNetwork: true,
          serviceAccountName: options.serviceAccountName ?? 'kube-vip',
        },
      },
    },
  };
}

export function upstreamPod(env: Record<string, string>, options: UpstreamOptions = {}): Json {
  const mount = options.kubeconfig !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-vip', namespace: options.namespace ?? 'kube-system' },
    spec: {
      containers: [container(env, options, mount)],
      hostAliases: [{ hostnames: ['kubernetes'], ip: '127.0.0.1' }],
      hostNetwork: true,
      ...(mount ? { volumes: [{ name: 'kubeconfig', hostPath: { path: options.kubeconfig } }] } : {}),
    },
  };
}

export interface KubesprayOptions {
  /** kube_vip_image_tag (default: the newest release the suite runs). */
  readonly tag?: string;
  /** kube_vip_admin_conf: the host file mounted as admin.conf (super-admin.conf on a kubeadm >= 1.29 init). */
  readonly adminConf?: 'admin.conf' | 'super-admin.conf';
  /** Env the role adds for its optional settings (lb_enable, lb_fwdmethod, svc_enable, bgp_*, ...). */
  readonly env?: Record<string, string>;
  /** kube_vip_metrics_enabled: prometheus_server ":2112" and a metrics container port. */
  readonly metrics?: boolean;
}

/**
 * The static pod kubespray's kube-vip role writes to each control-plane host (its
 * kube-vip.manifest.j2, with the role's defaults): the node name written out rather than read
 * from the pod, vip_subnet 32 (vip_cidr before kube-vip 0.9), dns_mode first, cp_detect and
 * vip_ddns false, leader election on plndr-cp-lock at 5/3/1, a kubernetes host alias for
 * 127.0.0.1, the numeric priority of system-node-critical, and privileged only for masquerade.
 */
export function kubesprayPod(options: KubesprayOptions = {}): Json {
  const env: Record<string, string> = {
    vip_arp: 'true',
    port: '6443',
    vip_nodename: 'node1',
    vip_interface: 'eth0',
    vip_subnet: '32',
    dns_mode: 'first',
    cp_enable: 'true',
    cp_namespace: 'kube-system',
    vip_ddns: 'false',
    cp_detect: 'false',
    vip_leaderelection: 'true',
    vip_leasename: 'plndr-cp-lock',
    vip_leaseduration: '5',
    vip_renewdeadline: '3',
    vip_retryperiod: '1',
    address: '192.168.0.100',
    ...(options.metrics ? { prometheus_server: ':2112' } : {}),
    ...options.env,
  };
  const privileged = env.lb_fwdmethod === 'masquerade';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'kube-vip',
      namespace: 'kube-system',
      labels: { 'addonmanager.kubernetes.io/mode': 'Reconcile', 'k8s-app': 'kube-vip' },
    },
    spec: {
      containers: [
        {
          args: ['manager'],
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          image: `ghcr.io/kube-vip/kube-vip:${options.tag ?? 'v1.2.2'}`,
          imagePullPolicy: 'IfNotPresent',
          name: 'kube-vip',
          resources: {},
          ...(options.metrics ? { ports: [{ name: 'metrics', containerPort: 2112, protocol: 'TCP' }] } : {}),
          securityContext: privileged ? { privileged: true } : NET_CAPS,
          volumeMounts: [{ mountPath: '/etc/kubernetes/admin.conf', name: 'kubeconfig' }],
        },
      ],
      hostAliases: [{ hostnames: ['kubernetes'], ip: '127.0.0.1' }],
      hostNetwork: true,
      priority: 2000001000,
      volumes: [{ hostPath: { path: `/etc/kubernetes/${options.adminConf ?? 'admin.conf'}` }, name: 'kubeconfig' }],
    },
    status: {},
  };
}

export function role(namespace: string, rules: Json[], name = 'kube-vip-egress'): Json {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules };
}

export function roleBinding(namespace: string, roleName: string, subject: { name: string; namespace: string }): Json {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: roleName, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects: [{ kind: 'ServiceAccount', ...subject }],
  };
}

export function egressService(name = 'web'): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', annotations: { 'kube-vip.io/egress': 'true' } },
    spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] },
  };
}

export function yamlOf(...objects: Json[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
