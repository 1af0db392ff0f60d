import type { StackSpec } from '../core/model.js';
import { withConsoleOnStderr } from './config-console.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { fdExhaustionMessage } from './fatal.js';

export type Loaded = { ok: true; stack: StackSpec } | { ok: false; code: number };

/** Loads and validates the config; prints its warnings, or on failure why (exit 2). */
export async function loadStack(ctx: CliContext, file: string | undefined): Promise<Loaded> {
  const [{ loadConfig }, { displayPath, formatDiagnostics, formatLoadFailure }] = await Promise.all([
    import('../config/load.js'),
    import('../render/diagnostics.js'),
  ]);
  // a config that throws is shown with its stack under --debug: at its own lines, not the compiled file's
  if (ctx.debug()) process.setSourceMapsEnabled(true);
  const loaded = await withConsoleOnStderr(() => loadConfig(file === undefined ? { cwd: ctx.cwd } : { file, cwd: ctx.cwd }));
  if (loaded.ok) {
    const { warnings = [], file: loadedFile } = loaded.value;
    if (warnings.length > 0) ctx.stderr.write(`${formatDiagnostics(displayPath(loadedFile, ctx.cwd), warnings)}\n`);
    return { ok: true, stack: loaded.value };
  }
  // out of descriptors while importing the config is the limit's fault, not the config's
  const fd = loaded.error.reason === 'threw' ? fdExhaustionMessage(loaded.error.message) : undefined;
  if (fd !== undefined) {
    ctx.stderr.write(`${fd}\n`);
    return { ok: false, code: EXIT.failed };
  }
  const text = formatLoadFailure(loaded.error, { debug: ctx.debug(), cwd: ctx.cwd });
  ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  return { ok: false, code: EXIT.invalid };
}
