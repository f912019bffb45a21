import { parseCidr, parseIp } from './ip';

/**
 * Regular expressions for the JSON schema, where the parser in ip.ts cannot run. They must
 * accept exactly what the parser accepts (test/net/ip.test.ts checks it on random input);
 * only the parser can say whether a CIDR has host bits set.
 */

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H = '[0-9a-fA-F]{1,4}';
const IPV6 = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,7}:`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `:(?:(?::${H}){1,7}|:)`,
  // An IPv4 tail counts as two groups: six before it, or k before "::" and at most 5 - k after.
  `(?:${H}:){6}${IPV4}`,
  `::(?:${H}:){0,5}${IPV4}`,
  ...[1, 2, 3, 4, 5].map((k) => `(?:${H}:){${k - 1}}${H}::(?:${H}:){0,${5 - k}}${IPV4}`),
].join('|');
const IP = `(?:${IPV4}|(?:${IPV6}))`;
const PREFIX_V4 = '(?:3[0-2]|[12]?[0-9])';
const PREFIX_V6 = '(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])';

export const PATTERNS = {
  ip: `^${IP}$`,
  /** One address or an IPv4 and an IPv6 address, comma separated (a dual-stack VIP). */
  ipList: `^${IP}(?:,${IP})?$`,
  /** Prefix lengths per family; host bits set are for the parser to refuse. */
  cidr: `^(?:${IPV4}/${PREFIX_V4}|(?:${IPV6})/${PREFIX_V6})$`,
  /** One CIDR or two, comma separated, no spaces: kube-vip splits egress CIDRs on commas and picks one per family. */
  cidrList: `^(?:${IPV4}/${PREFIX_V4}|(?:${IPV6})/${PREFIX_V6})(?:,(?:${IPV4}/${PREFIX_V4}|(?:${IPV6})/${PREFIX_V6}))?$`,
  range: `^${IP}-${IP}$`,
  /** Linux IFNAMSIZ is 16 including the NUL; '/', ':' and white space are refused by the kernel. */
  interfaceName: '^[^/:\\s]{1,15}$',
  /** The OCI distribution spec's tag grammar. */
  imageTag: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  imageRepository: '^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$',
  /** A registry host, with a port and a path prefix if need be (a mirror's `registry.example.com:5000/mirror`). */
  imageRegistry: '^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$',
  /** RFC 1123 DNS subdomain, as Kubernetes names most objects. */
  dnsSubdomain: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  /** RFC 1123 label (namespaces, Service names). */
  dnsLabel: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
  semver: '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?([-+].*)?$',
  /** A content digest as registries name images; Kubernetes pulls `repository:tag@digest` by the digest. */
  imageDigest: '^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$',
  /** A label or annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63. */
  qualifiedName:
    '^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$',
  /** A duration as Prometheus and its operator write them: 30s, 1m30s. */
  prometheusDuration: '^(?:0|(?:[0-9]+y)?(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?)$',
  /**
   * An env var name every Kubernetes release takes: a C identifier with "-" and "." (servers from
   * 1.32 take more printable text, older ones refuse it).
   */
  envVarName: '^[-._a-zA-Z][-._a-zA-Z0-9]*$',
  /** A key of a ConfigMap or Secret, as the API server checks it (IsConfigMapKey). */
  configMapKey: '^[-._a-zA-Z0-9]{1,253}$',
  /**
   * A resource quantity the API server takes in a container's requests or limits: a number that
   * is not negative, then an SI or binary suffix or a decimal exponent (k8s.io/apimachinery
   * resource.ParseQuantity). Bounded, where the API server is not, to 40 digits either side of
   * the point and a 3-digit exponent: its parser hangs on exponents past 32 bits, and nothing
   * real needs more.
   */
  quantity: '^\\+?(?:[0-9]{1,40}(?:\\.[0-9]{0,40})?|\\.[0-9]{1,40})(?:[numkMGTPE]|[KMGTPE]i|[eE][-+]?[0-9]{1,3})?$',
  /**
   * A resource a container may request: a standard one (cpu, memory, ephemeral-storage, hugepages
   * of a size), or an extended one named with a domain (vendor.example/gpu).
   */
  containerResourceName:
    '^(?:cpu|memory|ephemeral-storage|hugepages-[0-9]+(?:[KMGTPE]i)?|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$',
  /** A label value: at most 63, alphanumeric at both ends (empty is allowed, as everywhere in the model). */
  labelValue: '^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$',
} as const;

/** An address, plain or with its prefix, as `ip addr` shows node addresses. */
export const ADDRESS_PATTERN = `(${PATTERNS.ip})|(${PATTERNS.cidr})`;

const compiled = new Map<string, RegExp>();

/** A pattern compiled once per process. */
export function regexOf(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) compiled.set(pattern, (regex = new RegExp(pattern)));
  return regex;
}

const listOf = (one: (text: string) => boolean) => (text: string) => {
  const items = text.split(',');
  return items.length <= 2 && items.every(one);
};
const isIp = (text: string) => parseIp(text) !== undefined;
const isCidr = (text: string) => parseCidr(text, { strict: false }) !== undefined;

/**
 * The address patterns as the parser answers them, for TypeScript callers: the same answers
 * (test/net/ip.test.ts compares them on random input), while compiling the regular expressions
 * costs V8 10 to 20 ms each, most of a CLI run's own work.
 */
const PARSED: ReadonlyMap<string, (text: string) => boolean> = new Map([
  [PATTERNS.ip, isIp],
  [PATTERNS.ipList, listOf(isIp)],
  [PATTERNS.cidr, isCidr],
  [PATTERNS.cidrList, listOf(isCidr)],
  [PATTERNS.range, (text: string) => text.split('-').length === 2 && text.split('-').every(isIp)],
  [ADDRESS_PATTERN, (text: string) => isIp(text) || isCidr(text)],
]);

/** Whether `text` matches `pattern`, one of PATTERNS or any other regular expression. */
export function testPattern(pattern: string, text: string): boolean {
  return (PARSED.get(pattern) ?? ((t: string) => regexOf(pattern).test(t)))(text);
}

export function matches(pattern: keyof typeof PATTERNS, text: string): boolean {
  return testPattern(PATTERNS[pattern], text);
}
