import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { FAULT_TABLE_END, FAULT_TABLE_START, faultTable } from './support/fault-table';
import { releaseTable, TABLE_END, TABLE_START } from './support/release-table';

const README = join(__dirname, '..', '..', 'README.md');

/**
 * The README's release and fault tables are what the scenario tests assert on real kube-vip
 * (support/shown.ts) next to what the toolkit does with each configuration today.
 * UPDATE_README=1 rewrites them.
 */
describe.each([
  { name: 'release table', start: TABLE_START, end: TABLE_END, table: releaseTable },
  { name: 'fault table', start: FAULT_TABLE_START, end: FAULT_TABLE_END, table: faultTable },
])("the README's $name", ({ start: startMarker, end: endMarker, table: generate }) => {
  it('is the one the tests and the toolkit give', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(startMarker);
    const end = readme.indexOf(endMarker);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = generate();
    if (process.env.UPDATE_README === '1') {
      writeFileSync(README, `${readme.slice(0, start)}${startMarker}\n${table}\n${readme.slice(end)}`);
      return;
    }
    expect(readme.slice(start + startMarker.length, end).trim()).toBe(table);
  });
});
