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
  readonly address: string;
  readonly as: number;
  /** @default 179 */
  readonly port?: number;
  /** @default false */
  readonly multihop?: boolean;
  readonly password?: BgpPassword;
}

export interface BgpOptions {
  readonly peers: readonly BgpPeer[];
  /** An IPv4 address; or give routerInterface. */
  readonly routerID?: string;
  readonly routerInterface?: string;
  /** @default 65000 */
  readonly as?: number;
  readonly sourceIP?: string;
  readonly sourceInterface?: string;
  readonly holdTimeSeconds?: number;
  readonly keepaliveIntervalSeconds?: number;
}

export interface ArpOptions {
  /** Gratuitous ARP period. @default 3000 */
  readonly rateMs?: number;
}

export interface RoutingTableOptions {
  readonly tableID?: number;
  readonly protocol?: number;
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
