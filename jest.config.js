// The suite synthesises hundreds of deployments that warn on purpose, and the constructs emit
// each warning as a Node process warning: the workers (and what they spawn) do not print them.
// What the constructs warn is asserted through KubeVip.warnings, and through a real `cdk8s
// synth` with this variable taken out (test/constructs/warnings.test.ts).
process.env.NODE_NO_WARNINGS = '1';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // ts-jest type-checks every test file: the type-level tests in test/types rely on it.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
  testTimeout: 60_000,
};
