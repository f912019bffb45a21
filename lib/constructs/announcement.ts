import { AnnounceMode } from '../kube-vip/defaults';
import { KubeVipValuesInput } from '../model/values';

/** A BGP password lives in a Secret; there is deliberately no way to pass it as a string. */
export class BgpPassword {
  public static fromSecret(secretName: string, key: string): BgpPassword {
    return new BgpPassword(secretName, key);
  }

  private constructor(
    public readonly secretName: string,
    public readonly key: string,
  ) {}
}

export interface BgpPeer {
  /** Peer address. */
  readonly address: string;
  /** Peer AS number. */
  readonly as: number;
  /** Peer TCP port (default 179). @default 179 */
  readonly port?: number;
  /** eBGP multihop to this peer. @default false */
  readonly multihop?: boolean;
  /** A key of a Secret in the release namespace. @default each field's default */
  readonly password?: BgpPassword;
}

export interface BgpOptions {
  /** BGP neighbours. Passwords come from Secrets, never from values. */
  readonly peers: readonly BgpPeer[];
  /** Router ID (an IPv4 address); empty = taken from routerInterface. @default "" */
  readonly routerID?: string;
  /** Interface whose address becomes the router ID. @default "" */
  readonly routerInterface?: string;
  /** Local AS number. @default 65000 */
  readonly as?: number;
  /** Source address for BGP sessions. @default "" */
  readonly sourceIP?: string;
  /** Source interface for BGP sessions. @default "" */
  readonly sourceInterface?: string;
  /** BGP hold time. @default 30 */
  readonly holdTimeSeconds?: number;
  /** BGP keepalive interval. @default 10 */
  readonly keepaliveIntervalSeconds?: number;
}

export interface ArpOptions {
  /** Gratuitous ARP period in milliseconds (vip_arpRate). @default 3000 */
  readonly rateMs?: number;
}

export interface RoutingTableOptions {
  /** Routing table (vip_routingtableid). @default 198 */
  readonly tableID?: number;
  /** Route protocol number (vip_routingprotocol). @default 248 */
  readonly protocol?: number;
  /** Remove stale routes of this table at start (vip_cleanroutingtable). @default false */
  readonly cleanOnStart?: boolean;
}

/** How kube-vip tells the network about its addresses. Exactly one per deployment, by construction. */
export class Announcement {
  public static arp(options: ArpOptions = {}): Announcement {
    return new Announcement(AnnounceMode.ARP, { mode: AnnounceMode.ARP, arp: { ...options } });
  }

  public static bgp(options: BgpOptions): Announcement {
    const { peers, ...rest } = options;
    return new Announcement(AnnounceMode.BGP, {
      mode: AnnounceMode.BGP,
      bgp: {
        ...rest,
        peers: peers.map(({ password, ...peer }) => ({
          ...peer,
          ...(password ? { password: { name: password.secretName, key: password.key } } : {}),
        })),
      },
    });
  }

  public static routingTable(options: RoutingTableOptions = {}): Announcement {
    return new Announcement(AnnounceMode.ROUTING_TABLE, { mode: AnnounceMode.ROUTING_TABLE, routingTable: { ...options } });
  }

  private constructor(
    public readonly mode: AnnounceMode,
    /** @internal */
    public readonly _values: NonNullable<KubeVipValuesInput['announce']>,
  ) {}
}
