/**
 * API server warnings our output is known to get, each with why we accept it. Anything else
 * (a deprecated API, a field the server drops, ...) fails the tests that check warnings.
 */
export const KNOWN_WARNINGS: readonly { pattern: RegExp; why: string }[] = [
  // None today. (The control-plane affinity used to match node-role.kubernetes.io/master too,
  // which the API server flags as deprecated; it was dropped for that reason.)
];

export function unexpectedWarnings(warnings: readonly string[]): string[] {
  return warnings.filter((w) => !KNOWN_WARNINGS.some((known) => known.pattern.test(w)));
}
