import { spawnSync } from 'child_process';
import { join } from 'path';

/** `npm run lint` as part of `npm test`: ESLint's and typescript-eslint's rules, and Prettier's format. */
const ROOT = join(__dirname, '..');

function run(bin: string, args: string[]) {
  return spawnSync(join(ROOT, 'node_modules', '.bin', bin), args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

test('eslint finds nothing', () => {
  const result = run('eslint', ['.']);
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
}, 120_000);

test('the code is formatted (npm run format)', () => {
  const result = run('prettier', ['--check', '.', '--log-level', 'warn']);
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
}, 120_000);
