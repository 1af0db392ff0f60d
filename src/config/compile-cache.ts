/**
 * The fast path for TypeScript configs: esbuild compiles the config (and the user's own
 * modules it imports) to one ESM file, cached beside node_modules, so a later run
 * imports plain JavaScript without loading esbuild or tsx. The cache is keyed by the
 * content of every input esbuild read; a cheap stat (size + mtime) skips the hashing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CACHE_VERSION = 2;

interface CachedInput {
  file: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

interface Manifest {
  version: number;
  output: string;
  inputs: CachedInput[];
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Where the compiled file lives: bare imports (`ignite-run`) must resolve from there as from the config. */
export function cacheDir(configFile: string): string {
  const dir = dirname(configFile);
  return existsSync(join(dir, 'node_modules')) ? join(dir, 'node_modules', '.cache', 'ignite') : join(dir, '.ignite', 'cache');
}

const manifestPath = (configFile: string): string =>
  join(cacheDir(configFile), `manifest-${sha(`${CACHE_VERSION}\0${configFile}`).slice(0, 16)}.json`);

/** The compiled file for `configFile` when the cache is fresh, else undefined. */
export function freshOutput(configFile: string): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath(configFile), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.version !== CACHE_VERSION || !existsSync(manifest.output)) return undefined;
  return manifest.inputs.every(unchanged) ? manifest.output : undefined;
}

function unchanged(input: CachedInput): boolean {
  try {
    const stat = statSync(input.file);
    if (stat.size !== input.size) return false;
    return stat.mtimeMs === input.mtimeMs || sha(readFileSync(input.file)) === input.hash;
  } catch {
    return false;
  }
}

/** Compiles with esbuild and writes the cache. Throws on any esbuild or file-system failure (the caller falls back to tsx). */
export async function compile(configFile: string): Promise<string> {
  const esbuild = await import('esbuild');
  const dir = dirname(configFile);
  const url = pathToFileURL(configFile).href;
  // stop() ends esbuild's service process: left running it costs the supervisor ~13 MB and a wakeup a second
  const result = await esbuild.build({
    entryPoints: [configFile],
    absWorkingDir: dir,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // `--debug` stack traces then name ignite.config.ts:3, not the cache file (Node reads the map only when asked)
    sourcemap: 'inline',
    sourcesContent: false,
    outfile: join(cacheDir(configFile), 'config.mjs'),
    define: {
      'import.meta.url': JSON.stringify(url),
      'import.meta.dirname': JSON.stringify(dir),
      'import.meta.filename': JSON.stringify(configFile),
      __dirname: JSON.stringify(dir),
      __filename: JSON.stringify(configFile),
    },
    // Configs written for CommonJS projects may call require(); resolve it from the config's folder.
    banner: { js: `import { createRequire as __igniteRequire } from 'node:module';\nconst require = __igniteRequire(${JSON.stringify(configFile)});` },
  }).finally(() => esbuild.stop());
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no output');
  const inputs = Object.keys(result.metafile.inputs).map((input) => describeInput(resolve(dir, input)));
  return writeCache(configFile, code, inputs);
}

function describeInput(file: string): CachedInput {
  const stat = statSync(file);
  return { file, size: stat.size, mtimeMs: stat.mtimeMs, hash: sha(readFileSync(file)) };
}

function writeCache(configFile: string, code: string, inputs: CachedInput[]): string {
  const folder = cacheDir(configFile);
  mkdirSync(folder, { recursive: true });
  // Named by content: a changed config gets a new URL, so node's module cache never serves the old one.
  const output = join(folder, `config-${sha(code).slice(0, 16)}.mjs`);
  const manifest = manifestPath(configFile);
  const previous = freshOutputName(manifest);
  atomicWrite(output, code);
  atomicWrite(manifest, JSON.stringify({ version: CACHE_VERSION, output, inputs } satisfies Manifest));
  if (previous !== undefined && previous !== output && basename(previous).startsWith('config-')) rmSync(previous, { force: true });
  return output;
}

function freshOutputName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as Partial<Manifest>).output;
  } catch {
    return undefined;
  }
}

function atomicWrite(file: string, content: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}
