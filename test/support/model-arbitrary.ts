import * as fc from 'fast-check';
import { Field } from '../../lib/model/schema';
import { valuesSchema } from '../../lib/model/values';
import { ADDRESS_PATTERN, PATTERNS } from '../../lib/net/patterns';

/**
 * Values files generated from the config model itself (lib/model/values.ts): every field of
 * every kind, each set now and then, so a generated file reaches every value the model has,
 * not only the axes a hand-written matrix varies. Strings come from samples per pattern; a
 * pattern without samples is an error, so a new pattern is not silently left untested.
 */

const SAMPLES: Record<string, readonly string[]> = {
  [PATTERNS.ip]: ['192.168.0.100', '10.1.2.3', 'fd00::100'],
  [PATTERNS.ipList]: ['192.168.0.100', '192.168.0.100,fd00::100'],
  [PATTERNS.cidr]: ['10.244.0.0/16', '192.168.10.0/28', 'fd00:10:244::/56'],
  [PATTERNS.cidrList]: ['10.244.0.0/16', '10.244.0.0/16,fd00:10:244::/56'],
  [PATTERNS.range]: ['192.168.20.1-192.168.20.9'],
  [ADDRESS_PATTERN]: ['192.168.0.11', '192.168.0.11/24'],
  [PATTERNS.interfaceName]: ['eth0', 'bond0.100'],
  [PATTERNS.imageTag]: ['v1.2.2', 'v1.2.1', 'v1.0.0', 'latest', '1.2'],
  [PATTERNS.imageRepository]: ['ghcr.io/kube-vip/kube-vip', 'registry.example.com/mirror/kube-vip', 'plndr/kube-vip'],
  // Words YAML reads as numbers or booleans unless they are quoted.
  [PATTERNS.dnsSubdomain]: ['kube-vip', 'team-a.lock', '1234'],
  [PATTERNS.dnsLabel]: ['kube-vip', 'edge-lb', '1234', 'true'],
  [PATTERNS.semver]: ['v2.2.1', 'v2.1.0'],
  [PATTERNS.imageDigest]: [`sha256:${'0123456789abcdef'.repeat(4)}`],
  [PATTERNS.labelValue]: ['edge', '1234', 'true'],
  [PATTERNS.prometheusDuration]: ['30s', '1m30s'],
  [PATTERNS.imageRegistry]: ['registry.example.com', 'localhost:5000/mirror'],
  [PATTERNS.qualifiedName]: ['node-role.kubernetes.io/control-plane', 'example.com/dedicated'],
  [PATTERNS.envVarName]: ['HTTPS_PROXY', 'vip_arpRate', 'x.y-z'],
  [PATTERNS.configMapKey]: ['password', 'bgp.pass_1', '1234'],
};

const KEY_SAMPLES: Record<string, readonly string[]> = {
  [PATTERNS.qualifiedName]: ['example.com/team', 'tier', 'app.kubernetes.io/part-of'],
  [PATTERNS.dnsLabel]: ['team-a', 'team-b'],
};

function missing(path: string): never {
  throw new Error(`no key samples for the map at ${path}: add them to KEY_SAMPLES`);
}

const FREE_TEXT = ['example', 'kube-vip.io/kube-vip-class', '1', 'yes'];

/** Now and then: most fields keep their default, so a file changes a few things at once. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

export function arbitraryOf(field: Field, path = ''): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      // A record item's default (0 for a peer's AS) may be outside the range: it is no value then.
      return fc.oneof(
        fc.constantFrom(...[field.default, field.minimum, field.maximum].filter((n) => n >= field.minimum && n <= field.maximum)),
        fc.integer({ min: field.minimum, max: field.maximum }),
      );
    case 'enum':
      return fc.constantFrom(...field.values);
    case 'string': {
      if (!field.pattern) return fc.constantFrom(field.default, ...FREE_TEXT);
      const samples = SAMPLES[field.pattern];
      if (!samples) throw new Error(`no samples for the pattern of ${path}: add them to SAMPLES`);
      return fc.constantFrom('', ...samples);
    }
    case 'array':
      return fc.array(arbitraryOf(field.items, `${path}[]`), { maxLength: 2 });
    case 'map':
      // Keys drawn from their pattern's samples (label keys: a prefixed one, and one a rule reserves).
      return fc.dictionary(
        fc.constantFrom(...(field.keys ? (KEY_SAMPLES[field.keys.pattern] ?? missing(path)) : ['team-a', 'team-b'])),
        arbitraryOf(field.values, `${path}.*`),
        { maxKeys: 2 },
      );
    case 'record': {
      const required = new Set<string>(field.required);
      const entries = Object.entries(field.fields).map(([key, f]) => {
        const arbitrary = arbitraryOf(f, `${path}.${key}`);
        return [key, required.has(key) ? arbitrary : sometimes(arbitrary)] as const;
      });
      return fc.record(Object.fromEntries(entries)).map(withoutUndefined);
    }
    case 'object': {
      const entries = Object.entries(field.fields).map(
        ([key, f]) => [key, sometimes(arbitraryOf(f, path ? `${path}.${key}` : key))] as const,
      );
      return fc.record(Object.fromEntries(entries)).map(withoutUndefined);
    }
    case 'nameRef': {
      // Either form: a name, or {name} with a name that is not empty (the API server refuses that).
      const name = arbitraryOf(field.name, path);
      return fc.oneof(
        name,
        name.filter((n) => n !== '').map((n) => ({ name: n })),
      );
    }
    case 'opaque':
      return field.jsonType === 'array'
        ? fc.constantFrom(field.default, [{ key: 'example.com/dedicated', operator: 'Exists', effect: 'NoSchedule' }])
        : fc.constantFrom(field.default, { example: { nested: 'value' } });
  }
}

/** A values file of the whole model. */
export const anyValuesFile = arbitraryOf(valuesSchema) as fc.Arbitrary<Record<string, unknown>>;
