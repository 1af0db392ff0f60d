// Bundled by load-harness.ts and run in a plain node process: loads a config as the CLI would.
import { loadConfig } from '../../../src/config/index.js';
import { formatLoadFailure } from '../../../src/render/diagnostics.js';

const [cwd = process.cwd(), file] = process.argv.slice(2);
const compileCache = process.env.IGNITE_TEST_COMPILE_CACHE !== 'off';
const timeout = process.env.IGNITE_TEST_LOAD_TIMEOUT_MS;
const options = { cwd, compileCache, ...(timeout === undefined ? {} : { timeoutMs: Number(timeout) }) };
const result = await loadConfig(file === undefined ? options : { ...options, file });
const output = result.ok
  ? {
      ok: true,
      file: result.value.file,
      tasks: result.value.tasks.map((task) => ({ name: task.name, cwd: task.cwd, env: task.env, dependsOn: task.dependsOn.map((d) => d.task), ready: task.ready?.kind })),
    }
  : { ok: false, reason: result.error.reason, text: formatLoadFailure(result.error, { debug: false, cwd }) };
// exit once written: a config that gave up loading may still hold a timer open
process.stdout.write(JSON.stringify(output), () => process.exit(0));
