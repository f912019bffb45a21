import { TOPOLOGIES } from '../support/matrix';
import { readdirSync } from 'fs';

test('every topology of the matrix has its snapshot test file', () => {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts') && f !== 'topologies.test.ts');
  expect(files.map((f) => f.replace(/\.test\.ts$/, '')).sort()).toEqual(Object.keys(TOPOLOGIES).sort());
});
