/**
 * Imports the config module. Plain JavaScript goes through `import()`; TypeScript
 * through the esbuild compile cache, falling back to tsx (loaded only then).
 * Import errors become LoadFailures: a syntax error with its location, or "threw".
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { LoadFailure } from '../core/diagnostics.js';
import { err, ok, type Result } from '../core/result.js';
import { compile, freshOutput } from './compile-cache.js';

export type ModuleNamespace = Record<string, unknown>;

const TS = /\.(c|m)?tsx?$/;

/** `compileCache: false` always loads TypeScript with tsx (slower; for debugging the cache). */
export async function importConfig(file: string, options: { compileCache?: boolean } = {}): Promise<Result<ModuleNamespace, LoadFailure>> {
  try {
    if (!TS.test(file)) return ok((await import(pathToFileURL(file).href)) as ModuleNamespace);
    return ok(options.compileCache === false ? await importWithTsx(file) : await importTypeScript(file));
  } catch (error) {
    return err(await classify(error, file));
  }
}

async function importTypeScript(file: string): Promise<ModuleNamespace> {
  let compiled = freshOutput(file);
  if (compiled === undefined) compiled = await compile(file).catch(() => undefined);
  if (compiled !== undefined) {
    try {
      return (await import(pathToFileURL(compiled).href)) as ModuleNamespace;
    } catch (error) {
      // A bare import that only tsx resolves (tsconfig `paths`, say): try tsx; anything else is the config's own error.
      if (!isResolutionError(error)) throw error;
    }
  }
  return importWithTsx(file);
}

async function importWithTsx(file: string): Promise<ModuleNamespace> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(file).href, import.meta.url)) as ModuleNamespace;
}

function isResolutionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || code === 'ERR_UNSUPPORTED_DIR_IMPORT';
}

// esbuild's (and so tsx's) parse errors: `/abs/file.ts:1:10: ERROR: Unexpected ";"`.
const ESBUILD_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m;

async function classify(error: unknown, file: string): Promise<LoadFailure> {
  if (!(error instanceof Error)) return { reason: 'threw', file, message: String(error) };
  const parsed = ESBUILD_ERROR.exec(error.message);
  if (parsed !== null && error.message.startsWith('Transform failed')) {
    const [, where = file, line = '0', column = '0', message = error.message] = parsed;
    return { reason: 'syntax', file, message, location: { file: where, line: Number(line), column: Number(column) + 1, lineText: lineOf(where, Number(line)) } };
  }
  if (error.name === 'SyntaxError') return { reason: 'syntax', file, message: error.message, ...(await locateSyntaxError(file)) };
  return error.stack === undefined ? { reason: 'threw', file, message: error.message } : { reason: 'threw', file, message: error.message, stack: error.stack };
}

function lineOf(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n')[line - 1];
  } catch {
    return undefined;
  }
}

/** Node's SyntaxError for an ES module carries no location: ask esbuild's parser (error path only). */
async function locateSyntaxError(file: string): Promise<{ location?: NonNullable<Extract<LoadFailure, { reason: 'syntax' }>['location']> }> {
  try {
    const esbuild = await import('esbuild');
    await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'js', format: 'esm', sourcefile: file, logLevel: 'silent' });
    return {};
  } catch (error) {
    const location = (error as { errors?: { location?: { line: number; column: number; lineText: string } | null }[] }).errors?.[0]?.location;
    if (location == null) return {};
    return { location: { file, line: location.line, column: location.column + 1, lineText: location.lineText } };
  }
}
