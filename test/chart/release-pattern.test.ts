import fc from 'fast-check';
import { releaseAtLeastPattern } from '../../lib/chart/json-schema';
import { compareVersions, parseRelease, releaseAtLeast } from '../../lib/kube-vip/releases';

const version = fc.tuple(fc.nat(120), fc.nat(120), fc.nat(1200));
const tag = (v: readonly number[], prefix: boolean) => `${prefix ? 'v' : ''}${v.join('.')}`;

/** The schema's pattern for "this release or newer" says what releases.ts says, on any versions. */
describe('releaseAtLeastPattern', () => {
  it('matches a tag exactly when its release is the given one or newer', () => {
    fc.assert(
      fc.property(version, version, fc.boolean(), (v, since, prefix) => {
        const matched = new RegExp(releaseAtLeastPattern(tag(since, true))).test(tag(v, prefix));
        expect(matched).toBe(compareVersions(v, since) >= 0);
        expect(matched).toBe(releaseAtLeast(tag(v, prefix), tag(since, true)));
      }),
      { numRuns: 2000 },
    );
  });
  it('matches no tag that is not a plain version', () => {
    for (const text of ['latest', 'v1.2.2-rc1', 'v01.2.2', '1.2', 'v1.2.2.1', 'main']) {
      expect(parseRelease(text)).toBeUndefined();
      expect(new RegExp(releaseAtLeastPattern('v0.0.0')).test(text)).toBe(false);
    }
  });
});
