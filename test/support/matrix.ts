import { KubeVipValuesInput } from '../../lib';

/**
 * The snapshot matrix: every combination of topology x announcement x control-plane load
 * balancer x port security x egress. Shared by the snapshot test and (later) the Helm parity
 * and real-cluster tests, so they all cover the same configs.
 */
export const TOPOLOGIES = {
  combined: { controlPlane: { enabled: true }, services: { enabled: true } },
  staticPodAndServices: { controlPlane: { enabled: true, deployment: 'staticPod' }, services: { enabled: true } },
  controlPlaneOnly: { controlPlane: { enabled: true }, services: { enabled: false } },
  servicesOnly: { services: { enabled: true } },
} as const satisfies Record<string, KubeVipValuesInput>;

export const ANNOUNCEMENTS = {
  arp: { announce: { mode: 'arp' } },
  bgp: {
    announce: {
      mode: 'bgp',
      bgp: {
        routerID: '192.168.0.11',
        as: 64512,
        peers: [
          { address: '192.168.0.1', as: 64513, password: { name: 'bgp-auth', key: 'password' } },
          { address: 'fd00::1', as: 64513, multihop: true, port: 1179 },
        ],
      },
    },
  },
  routingTable: { announce: { mode: 'routingTable', routingTable: { tableID: 200 } } },
} as const satisfies Record<string, KubeVipValuesInput>;

export const LOAD_BALANCERS = ['off', 'local', 'masquerade', 'tunnel', 'directroute', 'bypass'] as const;
export const PORT_SECURITY = [false, true] as const;
export const EGRESS = ['off', 'kubeSystem', 'otherNamespace'] as const;

/** Cluster facts every case carries, so the address checks (P4) run on every case too. */
const CLUSTER: KubeVipValuesInput = {
  controlPlane: { address: '192.168.0.100' },
  cluster: {
    apiServerAddresses: ['192.168.0.11', '192.168.0.12', '192.168.0.13'],
    nodeAddresses: ['192.168.0.11/24', '192.168.0.12/24', '192.168.0.13/24', '192.168.0.21/24'],
    podCIDRs: ['10.244.0.0/16'],
    serviceCIDRs: ['10.96.0.0/12'],
  },
};

export interface MatrixCase {
  readonly name: string;
  readonly values: KubeVipValuesInput;
}

function merge(...parts: KubeVipValuesInput[]): KubeVipValuesInput {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const prev = out[key];
      out[key] =
        prev && typeof prev === 'object' && !Array.isArray(prev) && value && typeof value === 'object' && !Array.isArray(value)
          ? merge(prev as KubeVipValuesInput, value as KubeVipValuesInput)
          : value;
    }
  }
  return out as KubeVipValuesInput;
}

export function matrixCases(): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const [topology, t] of Object.entries(TOPOLOGIES)) {
    for (const [announce, a] of Object.entries(ANNOUNCEMENTS)) {
      for (const lb of LOAD_BALANCERS) {
        for (const portSecurity of PORT_SECURITY) {
          for (const egress of EGRESS) {
            const name = `${topology}/${announce}/lb-${lb}/portsec-${portSecurity ? 'on' : 'off'}/egress-${egress}`;
            const values = merge(
              CLUSTER,
              t as KubeVipValuesInput,
              a as KubeVipValuesInput,
              lb === 'off' ? {} : { controlPlane: { loadBalancer: { enabled: true, forwardingMethod: lb } } },
              portSecurity ? { services: { onlyAllowTrafficServicePorts: true } } : {},
              egress === 'off' ? {} : { egress: { enabled: true } },
              egress === 'otherNamespace' ? { namespace: 'kube-vip' } : {},
            );
            cases.push({ name, values });
          }
        }
      }
    }
  }
  return cases;
}
