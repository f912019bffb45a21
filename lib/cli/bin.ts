#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { wrap } from 'module';
import { join } from 'path';
import { Script } from 'vm';

/**
 * The `cdk8s-kube-vip` bin, as published: it runs the bundled CLI (cli.js, next to this file)
 * with the V8 code cache `npm run bundle` wrote for it, so a run compiles less of it (about 10 ms
 * of a 120 ms run here). V8 ignores a cache that does not fit (another Node, another bundle) and
 * compiles as usual. With CDK8S_KUBE_VIP_WRITE_CODE_CACHE set, the run writes the cache instead.
 * Only esbuild builds this file into dist/cli; the copy tsc writes to dist/js is not used.
 */

const bundle = join(__dirname, 'cli.js');
const cacheFile = `${bundle}.cache`;
const writeCache = Boolean(process.env.CDK8S_KUBE_VIP_WRITE_CODE_CACHE);
const script = new Script(wrap(readFileSync(bundle, 'utf8')), {
  filename: bundle,
  cachedData: !writeCache && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined,
});
if (writeCache) process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
const cjs = { exports: {} };
script.runInThisContext()(cjs.exports, require, cjs, bundle, __dirname);
