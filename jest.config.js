// The suite synthesises hundreds of deployments that warn on purpose, and the constructs emit
// each warning as a Node process warning: the workers (and what they spawn) do not print them.
// What the constructs warn is asserted through KubeVip.warnings, and through a real `cdk8s
// synth` with this variable taken out (test/constructs/warnings.test.ts).
process.env.NODE_NO_WARNINGS = '1';
// With one worker jest runs the tests in this process, where Node's printer of warnings listens
// already (the variable is read at start): it keeps printing every warning but ours.
for (const listener of process.listeners('warning')) {
  if (listener.name !== 'onWarning') continue;
  process.removeListener('warning', listener);
  process.on('warning', (warning) => warning.name === 'KubeVipWarning' || listener(warning));
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // ts-jest type-checks every test file: the type-level tests in test/types rely on it.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
  testTimeout: 60_000,
};
