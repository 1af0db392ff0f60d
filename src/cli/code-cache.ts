/**
 * Loads the CLI's CommonJS bundle through `vm.Script` with a V8 code cache, so a
 * run deserialises compiled code instead of parsing and compiling ~1 MB of
 * JavaScript (Node 20 has no `module.enableCompileCache`). The cache is only an
 * accelerator: a missing, stale, rejected or unwritable one is ignored.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { REDUCER_FIRST_LOOK_MS } from './v8-flags.js';

/** The import() the bundle calls (scripts/build.mjs routes it there): V8 loses a Script's own import() callback when its code comes from a cache. */
export type DynamicImport = (specifier: string) => Promise<unknown>;

/** What the bundle's wrapper receives: CommonJS's five, the bundle's own URL for `import.meta.url`, and import(). */
type Wrapper = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
  url: string,
  dynamicImport: DynamicImport,
) => void;

interface Header {
  key: string;
}

/** Where caches for a read-only install go: `$XDG_CACHE_HOME/ignite-run` or `~/.cache/ignite-run`. */
function userCacheFile(bundle: string, command: string): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  const home = homedir();
  const base = xdg !== undefined && xdg !== '' ? xdg : home === '' ? undefined : join(home, '.cache');
  return base === undefined ? undefined : join(base, 'ignite-run', `cli-${fnv1a(bundle)}.${command}.v8cache`);
}

/** A short stable name for the bundle's path (several installs share the user cache folder). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** Cache layout: u32 header length, JSON header, V8's cached data. */
function readCache(file: string, key: string): { header: Header; data: Buffer } | undefined {
  try {
    const raw = readFileSync(file);
    const length = raw.readUInt32LE(0);
    const header = JSON.parse(raw.subarray(4, 4 + length).toString('utf8')) as Partial<Header>;
    if (header.key !== key) return undefined;
    return { header: { key }, data: raw.subarray(4 + length) };
  } catch {
    return undefined;
  }
}

/** Writes atomically (a reader sees the old file or the new one); false when the place is not writable. */
function writeCache(file: string, header: Header, data: Buffer): boolean {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  const temp = `${file}.${String(process.pid)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, Buffer.concat([length, json, data]));
    renameSync(temp, file);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    return false;
  }
}

/**
 * Runs the bundle at `bundle` and returns its exports. Each command has its own
 * cache, written when there was none or V8 rejected it (see `saveSoon`).
 */
export function loadBundle(bundle: string, command: string, dynamicImport: DynamicImport): unknown {
  const source = readFileSync(bundle, 'utf8');
  const stat = statSync(bundle);
  const key = `${process.version} ${process.arch} ${String(stat.size)} ${String(stat.mtimeMs)}`;
  // one cache per command: V8 materialises all of a cache's code, so `up` must not carry `graph`'s
  const name = /^[a-z]+$/.test(command) ? command : 'other';
  const beside = `${bundle}.${name}.v8cache`;
  const user = userCacheFile(bundle, name);
  const found = readCache(beside, key) ?? (user === undefined ? undefined : readCache(user, key));
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __igniteUrl, __igniteImport) {${source}\n})`, {
    filename: bundle,
    ...(found === undefined ? {} : { cachedData: found.data }),
  });
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as Wrapper;
  wrapper(module.exports, createRequire(bundle), module, bundle, dirname(bundle), pathToFileURL(bundle).href, dynamicImport);
  if (found === undefined || script.cachedDataRejected === true) {
    saveSoon(() => {
      const data = script.createCachedData();
      if (!writeCache(beside, { key }, data) && user !== undefined) writeCache(user, { key }, data);
    });
  }
  return module.exports;
}

/**
 * When the cache is made, in ms since the process started (or at exit, if sooner): as late
 * as possible, so that it holds the code a command runs once started (an `up`'s output
 * handling, its stop), but before V8's memory reducer first looks (1 s: v8-flags.ts) and
 * before `up` changes V8's flags (0.9 s: up/idle-gc.ts), which would change their hash.
 */
const SAVE_AT_MS = REDUCER_FIRST_LOOK_MS - 200;

/**
 * A memory-reducing GC drops the bytecode of code that ran only at startup, and a cache
 * made after it lacks that code: made at the exit of an `up` that outlived that GC, it was
 * 515 KB instead of 771, and every later start parsed the whole bundle again (~15–20 ms).
 */
function saveSoon(save: () => void): void {
  let saved = false;
  const once = (): void => {
    if (saved) return;
    saved = true;
    try {
      save();
    } catch {
      // no cache this time
    }
  };
  setTimeout(once, Math.max(0, SAVE_AT_MS - performance.now())).unref();
  process.once('exit', once);
}
