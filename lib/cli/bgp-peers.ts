import { parseIp } from '../net/ip';
import { parseGoBool } from './args';

/** One peer of kube-vip's `bgp_peers` / `--bgppeers`; the password as written (it may be a $(VAR) reference). */
export interface KubeVipBgpPeer {
  readonly address: string;
  readonly as: number;
  readonly password?: string;
  readonly multihop?: boolean;
  readonly port?: number;
}

/**
 * kube-vip's peer syntax, `address:AS[:password[:multihop[:port]]]`, IPv6 addresses in
 * brackets. Returns the peer, or why the text is not one.
 */
export function parseBgpPeer(text: string): KubeVipBgpPeer | string {
  if (text.includes('/')) return `"${text}" has MP-BGP options after "/", which cdk8s-kube-vip does not model`;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  const address = bracketed ? bracketed[1] : text.split(':')[0];
  const rest = bracketed ? (bracketed[2] ?? '').split(':') : text.split(':').slice(1);
  if (!parseIp(address)) return `"${text}" does not start with an IP address (write IPv6 addresses in brackets: [2001:db8::1]:65000)`;
  const [asText, password, multihopText, portText] = rest;
  if (asText === undefined || !/^[0-9]+$/.test(asText))
    return `"${text}" has no AS number after the address (address:AS[:password[:multihop[:port]]])`;
  const multihop = multihopText === undefined || multihopText === '' ? undefined : parseGoBool(multihopText);
  if (multihop === undefined && multihopText) return `"${text}": multihop "${multihopText}" is not true or false`;
  if (portText !== undefined && portText !== '' && !/^[0-9]+$/.test(portText)) return `"${text}": port "${portText}" is not a number`;
  return {
    address,
    as: Number(asText),
    ...(password ? { password } : {}),
    ...(multihop !== undefined ? { multihop } : {}),
    ...(portText ? { port: Number(portText) } : {}),
  };
}

/** kube-vip splits the list at commas. */
export function splitBgpPeers(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}
