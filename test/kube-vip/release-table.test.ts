import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { releaseTable, TABLE_END, TABLE_START } from './support/release-table';

const README = join(__dirname, '..', '..', 'README.md');

/**
 * The README's release table is what the scenario tests assert on real kube-vip (support/shown.ts)
 * next to what the toolkit does with each configuration today. UPDATE_README=1 rewrites it.
 */
describe("the README's release table", () => {
  it('is the one the tests and the toolkit give', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = releaseTable();
    if (process.env.UPDATE_README === '1') {
      writeFileSync(README, `${readme.slice(0, start)}${TABLE_START}\n${table}\n${readme.slice(end)}`);
      return;
    }
    expect(readme.slice(start + TABLE_START.length, end).trim()).toBe(table);
  });
});
