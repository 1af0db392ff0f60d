/**
 * Imports the config module. Plain JavaScript goes through `import()`; TypeScript
 * through the esbuild compile cache, falling back to tsx (loaded only then).
 * Import errors become LoadFailures: a syntax error with its location, a package the
 * config imports that is not installed, an import that can never finish, or "threw".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { LoadFailure } from '../core/diagnostics.js';
import { err, ok, type Result } from '../core/result.js';
import { compile, freshOutput } from './compile-cache.js';

export type ModuleNamespace = Record<string, unknown>;

const TS = /\.(c|m)?tsx?$/;

export interface ImportOptions {
  /** False: always load TypeScript with tsx (slower; for debugging the cache). */
  compileCache?: boolean;
  /**
   * A reload in the same process: a JavaScript config is imported under a URL named by its
   * content, as Node would hand back the module it loaded first (its own imports stay as
   * loaded). Node never frees an imported module, so an unchanged file gets its module back
   * rather than one more copy per reload. TypeScript needs nothing: the compile cache names
   * its output by content.
   */
  fresh?: boolean;
  /** How long the import may take (default LOAD_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * How long a config module may take to load: as long as `up -d` waits for its background
 * supervisor (which loads it too) to answer. A top-level await still pending then is
 * reported, not waited for.
 */
const LOAD_TIMEOUT_MS = 30_000;

export async function importConfig(file: string, options: ImportOptions = {}): Promise<Result<ModuleNamespace, LoadFailure>> {
  try {
    return await settledWithin(importAny(file, options), file, 'import', options.timeoutMs);
  } catch (error) {
    return err(await classify(error, file));
  }
}

function importAny(file: string, options: ImportOptions): Promise<ModuleNamespace> {
  if (!TS.test(file)) {
    const url = pathToFileURL(file);
    if (options.fresh === true) url.search = `reload=${createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)}`;
    return import(url.href) as Promise<ModuleNamespace>;
  }
  return options.compileCache === false ? importWithTsx(file) : importTypeScript(file);
}

/**
 * `promise`'s value; or, when it never settles or is still pending after `timeoutMs`,
 * the `unsettled` failure saying what the config was `waitingFor`.
 */
export async function settledWithin<T>(
  promise: Promise<T>,
  file: string,
  waitingFor: 'import' | 'default-export',
  timeoutMs = LOAD_TIMEOUT_MS,
): Promise<Result<T, LoadFailure>> {
  const value = await untilSettled(promise, timeoutMs);
  if (value === UNSETTLED) return err({ reason: 'unsettled', file, waitingFor });
  if (value === TIMED_OUT) return err({ reason: 'unsettled', file, waitingFor, withinMs: timeoutMs });
  return ok(value);
}

const UNSETTLED: unique symbol = Symbol('unsettled');
const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `promise`; or UNSETTLED if the event loop empties while it is pending: nothing is left
 * that could settle it (`await new Promise(() => {})`), and Node would exit 0 in silence;
 * or TIMED_OUT if it is still pending after `timeoutMs` (it waits on a timer or a
 * connection that does not come). The timer does not keep the process alive.
 */
function untilSettled<T>(promise: Promise<T>, timeoutMs: number): Promise<T | typeof UNSETTLED | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const onEmptyLoop = (): void => resolve(UNSETTLED);
    process.once('beforeExit', onEmptyLoop);
    const timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs).unref();
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      process.off('beforeExit', onEmptyLoop);
    });
  });
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
  const missing = missingPackage(error, file);
  if (missing !== undefined) return { reason: 'missing-package', file, package: missing };
  const message = withoutTsxInternals(error.message);
  return error.stack === undefined ? { reason: 'threw', file, message } : { reason: 'threw', file, message, stack: withoutTsxInternals(error.stack) };
}

// Node's "not found" errors: ESM `Cannot find package 'x' imported from /file`, CommonJS (tsx
// in a project without "type": "module") `Cannot find module 'x'\nRequire stack:\n- /file?namespace=…`.
const NOT_FOUND = /^Cannot find (?:package|module) '([^']+)'(?: imported from ([^\n]+))?(?:\nRequire stack:\n- ([^\n]+))?/;

/** The package a bare import in the config itself names, when it does not resolve. */
function missingPackage(error: Error, file: string): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const [, specifier = '', importedFrom, required] = NOT_FOUND.exec(error.message) ?? [];
  const importer = withoutTsxInternals(importedFrom ?? required ?? '');
  if (importer !== file || /^[./]|^[a-z]+:/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** tsx loads each config in a namespace of its own: `/file?namespace=<uuid>` means nothing to a user. */
function withoutTsxInternals(text: string): string {
  return text.replace(/\nRequire stack:\n- ([^\n]+)(\n- [^\n]+)*/, ' (required from $1)').replace(/\?namespace=[\w-]+/g, '');
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
