import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ensureCompiled } from '../cli/support/cli';

/**
 * The fleet bench compares routes that must write the same files, or its ratios compare unlike
 * work; the README's advice (one App per site) rests on the same: the files do not change.
 */

const MODES = ['constructs', 'plain', 'shape', 'apps'] as const;

/** Each file the route wrote, by name. */
function written(mode: string, sites: number): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), `fleet-${mode}-`));
  // Construct metadata would be one more file, written once per App: not what is compared here.
  const { CDK8S_RECORD_CONSTRUCT_METADATA: _metadata, ...env } = process.env;
  try {
    const run = spawnSync(process.execPath, [join(__dirname, 'fleet.js'), mode, String(sites)], {
      encoding: 'utf8',
      env: { ...env, FLEET_OUTDIR: outdir },
    });
    if (run.status !== 0) throw new Error(`fleet.js ${mode} ${sites} exited ${run.status}:\n${run.stdout}${run.stderr}`);
    return new Map(readdirSync(outdir).map((name) => [name, readFileSync(join(outdir, name), 'utf8')]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the fleet bench', () => {
  beforeAll(() => ensureCompiled());

  it('writes the same files on every route: one chart file a site, the same bytes', () => {
    const sites = 3;
    const [first, ...others] = MODES.map((mode) => written(mode, sites));
    expect([...first.keys()].sort()).toEqual(['site-0.k8s.yaml', 'site-1.k8s.yaml', 'site-2.k8s.yaml']);
    expect(first.get('site-1.k8s.yaml')).toContain('kind: DaemonSet');
    for (const files of others) expect(files).toEqual(first);
  });
});
