import { IMAGES, ImageVariant } from '../kube-vip/defaults';
import { KubeVipConfigError } from '../model/problem';
import { imageProblems } from '../validation/validate';

/**
 * Images that passed imageProblems, which resolves a whole config to check one: a fleet makes the
 * same image once per site.
 */
const CHECKED_IMAGES = new Set<string>();

/**
 * A kube-vip container image. The variant is part of the type: features that may run the
 * iptables binaries (masquerade forwarding, port security, egress) accept only an IptablesImage.
 * Whether they do depends on the release (since v1.2.2 masquerade and nftables egress run
 * in-process, lib/kube-vip/iptables.ts), which a type cannot see; the iptables image works on
 * every release, so the typed API keeps that rule. Values files and the chart, which know the
 * tag, get the standard image where the release needs no binaries.
 */
export abstract class KubeVipImage {
  /** ghcr.io/kube-vip/kube-vip: FROM scratch with the binary, no iptables. */
  public static standard(tag: string = IMAGES.tag, repository: string = IMAGES.standardRepository): StandardImage {
    return new StandardImageClass(tag, repository);
  }

  /** ghcr.io/kube-vip/kube-vip-iptables: the same binary on alpine with iptables and iptables-legacy. */
  public static iptables(tag: string = IMAGES.tag, repository: string = IMAGES.iptablesRepository): IptablesImage {
    return new IptablesImageClass(tag, repository);
  }

  public abstract readonly variant: ImageVariant.STANDARD | ImageVariant.IPTABLES;

  protected constructor(
    public readonly tag: string,
    public readonly repository: string,
    /** The digest the image is pinned to; empty = pulled by its tag. */
    public readonly digest: string = '',
  ) {
    // The words a values file with this image gets, so that both routes read the same.
    const variant = new.target === IptablesImageClass ? ImageVariant.IPTABLES : ImageVariant.STANDARD;
    const repositoryField = variant === ImageVariant.IPTABLES ? 'iptablesRepository' : 'repository';
    const key = JSON.stringify([variant, repository, tag, digest]);
    if (CHECKED_IMAGES.has(key)) return;
    const problems = imageProblems({ variant, tag, [repositoryField]: repository, digest });
    if (problems.length > 0) throw new KubeVipConfigError(problems);
    CHECKED_IMAGES.add(key);
  }

  /**
   * The same image pinned by digest: pods pull `repository:tag@digest`, so a moved tag cannot
   * change what runs. The tag must stay the release the digest is of: what kube-vip supports is
   * judged by it.
   */
  public abstract withDigest(digest: string): this;

  public get reference(): string {
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }

  public isIptables(): this is IptablesImage {
    return this.variant === ImageVariant.IPTABLES;
  }
}

class StandardImageClass extends KubeVipImage {
  public readonly variant = ImageVariant.STANDARD as const;
  public constructor(tag: string, repository: string, digest?: string) {
    super(tag, repository, digest);
  }
  public withDigest(digest: string): this {
    return new StandardImageClass(this.tag, this.repository, digest) as this;
  }
}

class IptablesImageClass extends KubeVipImage {
  public readonly variant = ImageVariant.IPTABLES as const;
  public constructor(tag: string, repository: string, digest?: string) {
    super(tag, repository, digest);
  }
  public withDigest(digest: string): this {
    return new IptablesImageClass(this.tag, this.repository, digest) as this;
  }
}

/** Made only by KubeVipImage.standard(). */
export type StandardImage = StandardImageClass;
/** Made only by KubeVipImage.iptables(). */
export type IptablesImage = IptablesImageClass;

/**
 * A type no value has, named after why and what to do instead: in a union with the allowed
 * values it turns the compiler's "Type 'true' is not assignable to type 'false'" into an error
 * that names the fix. A union-typed image (`cond ? standard() : iptables()`) is a
 * KubeVipImage, which the types cannot judge: the run-time checks (P1-P3) refuse it then.
 */
export type Refused<Why extends string> = { readonly [reason in Why]: never };

/**
 * A feature refused with the standard image. The compiler prints the alias with its argument,
 * so the argument is the whole reason and fix: `<feature> runs the iptables binaries: use KubeVipImage.iptables()`.
 */
export type NeedsIptablesImage<Why extends `${string}: use KubeVipImage.iptables()`> = Refused<Why>;
