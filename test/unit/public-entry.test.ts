import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HEAVY = /^(node_modules\/|src\/(supervisor|graph|render|cli|control|ready)\/|src\/config\/(?!define\.ts$))/;

describe('the public entry', () => {
  it('pulls in no zod, graphology, listr2, tsx, esbuild or engine code when a config imports it', async () => {
    const result = await esbuild.build({
      entryPoints: ['src/index.ts'],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // The library API reaches the loader and the engine only through import(): those stay lazy.
      splitting: true,
      outdir: 'out',
    });
    const entry = Object.values(result.metafile.outputs).find((output) => output.entryPoint === 'src/index.ts');
    const statics = new Set<string>();
    const walk = (path: string): void => {
      const output = result.metafile.outputs[path];
      if (output === undefined) return;
      for (const input of Object.keys(output.inputs)) statics.add(input);
      for (const imported of output.imports) if (imported.kind === 'import-statement' && !statics.has(`chunk:${imported.path}`)) {
        statics.add(`chunk:${imported.path}`);
        walk(imported.path);
      }
    };
    const entryPath = Object.keys(result.metafile.outputs).find((path) => result.metafile.outputs[path] === entry);
    expect(entryPath).toBeDefined();
    walk(entryPath!);
    const loaded = [...statics].filter((input) => !input.startsWith('chunk:'));
    expect(loaded.filter((input) => HEAVY.test(input))).toEqual([]);
    expect(loaded).toContain('src/config/define.ts');
    // The heavy modules are in the bundle, only behind import(): the check above can see them.
    expect(Object.keys(result.metafile.inputs)).toContain('src/config/load.ts');
  });
});
