import * as fs from 'fs';
import * as path from 'path';

/**
 * The layers of lib/, bottom first. A module may import from its own folder and from lower
 * layers only; folders on one layer do not import each other. This is the order the README's
 * layout section describes.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['net'],
  ['expr'],
  ['kube-vip'],
  ['model'],
  ['validation', 'render'],
  ['constructs', 'chart'],
  ['cli'],
  ['index.ts'],
];

const LIB = path.join(__dirname, '..', 'lib');

function rankOf(folder: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0) throw new Error(`lib/${folder} is in no layer: add it to LAYERS and to the README's layout`);
  return rank;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top folder of lib/ a file is in (or `index.ts` for lib/index.ts). */
function folderOf(file: string): string {
  return path.relative(LIB, file).split(path.sep)[0];
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
}

describe('layers of lib/', () => {
  const files = sources(LIB);

  test('every folder of lib/ has a layer', () => {
    const folders = [...new Set(files.map(folderOf))];
    expect(folders.filter((f) => LAYERS.every((layer) => !layer.includes(f)))).toEqual([]);
  });

  test("no module imports from its own layer's neighbours or from a layer above", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to === from) continue;
        if (rankOf(to) >= rankOf(from)) upward.push(`${path.relative(LIB, file)} imports lib/${path.relative(LIB, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });
});

test("the README's layout names every folder of lib/, bottom layer first", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const layout = readme.slice(readme.indexOf('## Layout'));
  const listed = [...layout.matchAll(/^lib\/([a-z-]+)\//gm)].map((m) => m[1]);
  const folders = LAYERS.flat().filter((f) => !f.endsWith('.ts'));
  expect(listed).toEqual(folders);
});
