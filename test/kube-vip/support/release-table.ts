import { checkValues, KubeVipConfigError } from '../../../lib';
import { EGRESS_SHOWN, EgressOutcome, IPVS_SHOWN, IpvsOutcome, PORT_SECURITY_SHOWN, PortSecurityOutcome } from './shown';
import { KUBE_VIP_RELEASES } from '../../support/tools';

/**
 * The README's release table: for each feature, kube-vip release and image, what real kube-vip
 * did on a bare node and on one with kube-proxy's tables (support/shown.ts, asserted by the
 * scenario tests), and what the toolkit does with that configuration (its validator, run here).
 */

const RELEASES = KUBE_VIP_RELEASES;
const IMAGES = ['standard', 'iptables'] as const;

const PORT_SECURITY: Record<PortSecurityOutcome, string> = {
  enforced: 'works',
  'not enforced': 'fails silently (a WARN, nothing filtered)',
  'Service blocked': 'fails: every port of the Service dropped',
  'no address': 'fails loudly (no address)',
};
const EGRESS: Record<EgressOutcome, string> = {
  'SNAT, removed with the Service': 'works',
  'SNAT, left behind': 'works, but the SNAT rule stays after the Service is deleted',
  'no SNAT': 'fails loudly (an ERROR, no SNAT)',
  'no address': 'fails loudly (no address)',
};
/** What a cell of ipvs.test.ts (support/shown.ts IPVS_SHOWN) came to, for the table. */
function ipvsCell(method: string, outcome: IpvsOutcome | undefined): string {
  if (outcome === undefined) return 'not run';
  if (/client 200, counted by IPVS$/.test(outcome)) return 'works';
  if (/^FWM .*client ECONNREFUSED$/.test(outcome))
    return 'fails: the VIP is up but nothing is marked (no mangle table or nat/POSTROUTING), connections refused';
  if (method === 'masquerade' && /client ETIMEDOUT/.test(outcome))
    return 'fails: no masquerade rule ("iptables" not in $PATH), the backend answers the client directly, which times out';
  if (method === 'local' && /client ECONNREFUSED/.test(outcome)) return "no balancing: IPVS delivers to the VIP holder's own sockets";
  if (method === 'bypass' && /client ETIMEDOUT/.test(outcome))
    return 'fails: IPVS sends each packet on to the VIP itself, the client times out';
  return outcome;
}

/** The toolkit's answer to a configuration: refused with rule ids, or accepted (with warnings). */
export function toolkit(...values: unknown[]): string {
  const base = {
    cluster: {
      apiServerAddresses: ['192.168.0.11'],
      nodeAddresses: ['192.168.0.11/24'],
      podCIDRs: ['10.244.0.0/16'],
      serviceCIDRs: ['10.96.0.0/12'],
    },
  };
  try {
    const { warnings } = checkValues(base, ...values);
    return warnings.length === 0 ? 'accepted' : `accepted, warns ${warnings.map((w) => w.rule).join(', ')}`;
  } catch (error) {
    if (!(error instanceof KubeVipConfigError)) throw error;
    return `refused: ${error.problems.map((p) => p.rule).join(', ')}`;
  }
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function releaseTable(): string {
  const lines = [
    row(['feature', 'release', 'image', 'bare node', "node with kube-proxy's tables", 'toolkit']),
    row(['---', '---', '---', '---', '---', '---']),
  ];
  for (const release of RELEASES) {
    for (const image of IMAGES) {
      const cell = (firewall: string, env: string) =>
        PORT_SECURITY[PORT_SECURITY_SHOWN[`${release} ${image} image, ${firewall} node, ${env}`]];
      const values = { services: { enabled: true, onlyAllowTrafficServicePorts: true }, image: { variant: image, tag: release } };
      lines.push(row(['port security (our output)', release, image, cell('bare', 'ours'), cell('kube-proxy', 'ours'), toolkit(values)]));
      if (`${release} ${image} image, bare node, kube-vip default` in PORT_SECURITY_SHOWN) {
        lines.push(
          row([
            "port security (kube-vip's nftables default)",
            release,
            image,
            cell('bare', 'kube-vip default'),
            cell('kube-proxy', 'kube-vip default'),
            'never written: egress_withnftables=false',
          ]),
        );
      }
    }
  }
  for (const release of RELEASES) {
    for (const image of IMAGES) {
      for (const backend of ['nftables', 'iptables'] as const) {
        const key = (firewall: string, address: string) => `${release} ${image} image, ${backend} backend, ${firewall} node, ${address}`;
        const cell = (firewall: string) => EGRESS[EGRESS_SHOWN[key(firewall, 'annotation')]];
        const spec = EGRESS_SHOWN[key('bare', 'annotation + spec.loadBalancerIP')];
        const note = spec ? `; with spec.loadBalancerIP too: ${EGRESS[spec]}` : '';
        const values = {
          services: { enabled: true, election: true },
          egress: { enabled: true, backend },
          image: { variant: image, tag: release },
        };
        lines.push(row([`egress (${backend} backend)`, release, image, cell('bare') + note, cell('kube-proxy'), toolkit(values)]));
      }
    }
  }
  const lb = (method: string) => ({
    controlPlane: { enabled: true, address: '192.168.0.100', loadBalancer: { enabled: true, forwardingMethod: method } },
  });
  for (const release of RELEASES) {
    for (const image of IMAGES) {
      const cell = (firewall: string) => ipvsCell('masquerade', IPVS_SHOWN[`${release} ${image} image, ${firewall} node, masquerade`]);
      const natOnly = IPVS_SHOWN[`${release} ${image} image, nat-only node, masquerade`];
      const sameAsBare = natOnly === IPVS_SHOWN[`${release} ${image} image, bare node, masquerade`];
      const note = natOnly
        ? `; with nat/POSTROUTING but no mangle table: ${sameAsBare ? 'the same' : ipvsCell('masquerade', natOnly)}`
        : '';
      const values = { ...lb('masquerade'), image: { variant: image, tag: release } };
      lines.push(row(['masquerade (P1)', release, image, cell('bare') + note, cell('kube-proxy'), toolkit(values)]));
    }
  }
  for (const method of ['local', 'directroute', 'tunnel', 'bypass']) {
    for (const release of RELEASES) {
      const cell = ipvsCell(method, IPVS_SHOWN[`${release} iptables image, kube-proxy node, ${method}`]);
      const values = { ...lb(method), image: { variant: 'iptables', tag: release } };
      lines.push(row([`IPVS forwarding: ${method}`, release, 'iptables', 'not run', cell, toolkit(values)]));
    }
  }
  return lines.join('\n');
}

export const TABLE_START =
  '<!-- release-table: generated by test/kube-vip/support/release-table.ts; UPDATE_README=1 npx jest test/kube-vip/release-table.test.ts -->';
export const TABLE_END = '<!-- release-table end -->';
