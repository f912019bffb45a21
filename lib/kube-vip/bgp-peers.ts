import { parseIp, IpFamily } from '../net/ip';
import { KUBE_VIP_DEFAULTS } from './defaults';
import { bgpPeerPasswordEnvName } from './env';

/** A peer as the model holds it (announce.bgp.peers). */
export interface BgpPeer {
  readonly address: string;
  readonly as: number;
  readonly password?: unknown;
  readonly multihop?: boolean;
  readonly port?: number;
}

/**
 * kube-vip's bgp_peers: `addr:AS:password:multihop:port` per peer, comma separated, IPv6
 * addresses in brackets (pkg/kubevip/config_bgp.go). A password is a $(VAR) reference to a
 * secret-backed env var that Kubernetes expands, so no password is ever written in a manifest.
 */
export function bgpPeersValue(peers: readonly BgpPeer[]): string {
  return peers
    .map((peer, i) => {
      const address = parseIp(peer.address)?.family === IpFamily.IPV6 ? `[${peer.address}]` : peer.address;
      const password = peer.password ? `$(${bgpPeerPasswordEnvName(i)})` : '';
      return [address, peer.as, password, peer.multihop ?? false, peer.port ?? KUBE_VIP_DEFAULTS.bgpPeerPort].join(':');
    })
    .join(',');
}
