#!/usr/bin/env node
import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { wrap } from 'module';
import { join } from 'path';
import { Script } from 'vm';

/**
 * The `cdk8s-kube-vip` bin, as published: it runs the bundled CLI (cli.js, next to this file)
 * with the V8 code cache `npm run bundle` wrote for it, so a run compiles less of it (about 10 ms
 * of a 120 ms run here). The cache starts with the SHA-256 of the bundle it was made from: V8
 * checks only the source's length, and a cache of an older bundle of the same length would run
 * the older code. V8 itself ignores a cache made by another Node or with other flags. With
 * CDK8S_KUBE_VIP_WRITE_CODE_CACHE=1 the run writes the cache instead.
 * Only esbuild builds this file into dist/cli; package.json leaves tsc's copy out of the package.
 */

const bundle = join(__dirname, 'cli.js');
const cacheFile = `${bundle}.cache`;
const writeCache = process.env.CDK8S_KUBE_VIP_WRITE_CODE_CACHE === '1';
const source = readFileSync(bundle, 'utf8');
const digest = createHash('sha256').update(source).digest();

function cachedData(): Buffer | undefined {
  if (writeCache || !existsSync(cacheFile)) return undefined;
  const cache = readFileSync(cacheFile);
  return cache.subarray(0, digest.length).equals(digest) ? cache.subarray(digest.length) : undefined;
}

const script = new Script(wrap(source), { filename: bundle, cachedData: cachedData() });
if (writeCache) process.on('exit', () => writeFileSync(cacheFile, Buffer.concat([digest, script.createCachedData()])));
const cjs = { exports: {} };
script.runInThisContext()(cjs.exports, require, cjs, bundle, __dirname);
