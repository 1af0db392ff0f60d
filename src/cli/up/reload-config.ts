import { dirname } from 'node:path';
import type { ControlApi } from '../../core/model.js';
import { err } from '../../core/result.js';
import type { Supervisor } from '../../supervisor/supervisor.js';

/**
 * The control API's `reload` for a stack run from `file`: load the file again, as a
 * fresh module, and apply it. An invalid config changes nothing and says why, in the
 * words `ignite validate` uses.
 */
export function reloaderFor(sup: Supervisor, file: string): NonNullable<ControlApi['reload']> {
  return async () => {
    const [{ loadConfig }, { formatLoadFailure }, { formatFailure }] = await Promise.all([
      import('../../config/load.js'),
      import('../../render/diagnostics.js'),
      import('../../core/failure-text.js'),
    ]);
    const cwd = dirname(file);
    const loaded = await loadConfig({ file, cwd, fresh: true });
    // the client prefixes 'ignite: '; the ✖ of a whole report would double it
    if (!loaded.ok) return err({ message: formatLoadFailure(loaded.error, { debug: false, cwd }).trimEnd().replace(/^\u2716 /, '') });
    const applied = await sup.reload(loaded.value);
    return applied.ok ? applied : err({ message: formatFailure(applied.error), failure: applied.error });
  };
}
