import { regexOf } from '../net/patterns';

/** MAJOR.MINOR.PATCH with an optional `v`, no leading zeros: how kube-vip (and Go modules) tag releases. */
export const VERSION_PATTERN = '^v?(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)$';

export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const match = regexOf(VERSION_PATTERN).exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `text` is version `since` or newer; text that is no version is read as `otherwise`. */
export function versionAtLeast(text: string, since: string, otherwise: string): boolean {
  const version = parseVersion(text) ?? parseVersion(otherwise);
  const floor = parseVersion(since);
  if (!version || !floor) throw new Error(`not a version: ${JSON.stringify(version ? since : otherwise)}`);
  return compareVersions(version, floor) >= 0;
}
