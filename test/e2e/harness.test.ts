import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startApiServer } from './support/apiserver';
import { warningsOf } from './support/kube';

/** The harness's own failure paths, with stand-in scripts instead of the API server. */
describe('the API server harness', () => {
  let scripts: string;
  beforeAll(() => {
    scripts = mkdtempSync(join(tmpdir(), 'kube-vip-e2e-harness-'));
  });
  afterAll(() => rmSync(scripts, { recursive: true, force: true }));

  const script = (name: string, body: string) => {
    const path = join(scripts, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  /** The stand-ins print their --data-dir argument, so the tests can check it was removed. */
  const dataDirOf = (message: string) => /data dir (\S+)/.exec(message)![1];

  it('reports a server that exits before it is ready, with its last stderr lines, and cleans up', async () => {
    const binary = script('exits', 'echo "data dir $2" >&2\necho "etcd: cannot bind" >&2\nexit 3');
    const error: Error = await startApiServer({ binary }).then(
      () => undefined as never,
      (e) => e,
    );
    expect(error.message).toMatch(/^kube-apiserver-test exited \(3\) before it was ready; last stderr:\n/);
    expect(error.message).toContain('etcd: cannot bind');
    expect(existsSync(dataDirOf(error.message))).toBe(false);
  });

  it('gives up after the timeout and stops the server', async () => {
    const binary = script('hangs', 'echo "data dir $2" >&2\necho "still starting" >&2\nexec sleep 60');
    const error: Error = await startApiServer({ binary, timeoutMs: 1000 }).then(
      () => undefined as never,
      (e) => e,
    );
    expect(error.message).toMatch(/^kube-apiserver-test printed no READY line within 1s; last stderr:\n/);
    expect(error.message).toContain('still starting');
    expect(existsSync(dataDirOf(error.message))).toBe(false);
  });

  it('reports a binary that cannot be started', async () => {
    await expect(startApiServer({ binary: join(scripts, 'missing') })).rejects.toThrow(
      /^kube-apiserver-test exited \(not started: spawn \S+ ENOENT\) before it was ready/,
    );
  });

  it('reads each Warning header separately, unescaping its text', () => {
    const raw = ['Content-Type', 'application/json', 'Warning', '299 - "a, b"', 'warning', '299 - "say \\"hi\\""'];
    expect(warningsOf(raw)).toEqual(['a, b', 'say "hi"']);
  });
});
