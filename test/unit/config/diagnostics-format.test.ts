import { describe, expect, it } from 'vitest';
import { error, warning, type LoadFailure } from '../../../src/core/diagnostics.js';
import { formatDiagnostics, formatLoadFailure } from '../../../src/render/diagnostics.js';
import { CONFIG_NAMES } from '../../../src/config/load.js';

describe('formatDiagnostics', () => {
  it('prints errors first, then warnings, each with its path', () => {
    const text = formatDiagnostics('ignite.config.ts', [
      warning('tasks[0].logs.file', 'all 2 replicas write to the same log file'),
      error('tasks[1].dependsOn[0]', 'unknown task "dbb" — did you mean "db"?'),
      error('tasks[3].restart.backoff', 'expected a duration like "500ms" or "2s", got "fast"'),
    ]);
    expect(text).toBe(
      [
        '✖ ignite.config.ts: 2 problems',
        '  tasks[1].dependsOn[0]: unknown task "dbb" — did you mean "db"?',
        '  tasks[3].restart.backoff: expected a duration like "500ms" or "2s", got "fast"',
        '⚠ ignite.config.ts: 1 warning',
        '  tasks[0].logs.file: all 2 replicas write to the same log file',
      ].join('\n'),
    );
  });
});

describe('formatLoadFailure', () => {
  const options = { debug: false, cwd: '/work/app' };

  it('shows the file relative to the working folder', () => {
    const failure: LoadFailure = {
      reason: 'invalid',
      file: '/work/app/conf/ignite.config.ts',
      diagnostics: [error('tasks[0].name', 'duplicate task name "a" (also tasks[1])')],
    };
    expect(formatLoadFailure(failure, options)).toBe('✖ conf/ignite.config.ts: 1 problem\n  tasks[0].name: duplicate task name "a" (also tasks[1])');
  });

  it('keeps the stack of a config that threw for --debug only', () => {
    const failure = { reason: 'threw', file: '/work/app/ignite.config.ts', message: 'boom', stack: 'Error: boom\n    at x.ts:1:1' } as const;
    expect(formatLoadFailure(failure, options)).toBe('✖ ignite.config.ts: the config threw while loading: boom\n  (run with --debug for the stack trace)');
    expect(formatLoadFailure(failure, { ...options, debug: true })).toBe(
      '✖ ignite.config.ts: the config threw while loading: boom\n  Error: boom\n      at x.ts:1:1',
    );
  });

  it('tells how to create a config when none is found', () => {
    expect(formatLoadFailure({ reason: 'not-found', searchedFrom: '/x', names: CONFIG_NAMES }, options)).toBe(
      '✖ no ignite.config.ts, .mts, .js, .mjs, .json, .yaml, .yml or .toml found in /x or any parent folder — run `npx --no ignite init` to create one',
    );
  });
});
