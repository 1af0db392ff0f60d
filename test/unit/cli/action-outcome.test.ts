import { describe, expect, it } from 'vitest';
import { describeOutcome } from '../../../src/cli/commands/action-outcome.js';
import type { TaskState } from '../../../src/core/states.js';
import type { TaskStatus } from '../../../src/core/status.js';
import { statusRow } from '../../helpers/status-row.js';

const row = (name: string, state: TaskState): TaskStatus => statusRow({ name, state });

describe('describeOutcome', () => {
  it('says "started" for a task that is up once the start answered', () => {
    expect(describeOutcome('start', 'started', { before: [row('api', 'stopped')], acted: ['api'], after: [row('api', 'ready')] })).toEqual({
      lines: ['started api'],
      code: 0,
    });
  });

  it('does not say "started" for a task another request stopped before it was up (exit 1)', () => {
    expect(describeOutcome('start', 'started', { before: [row('api', 'stopped')], acted: ['api'], after: [row('api', 'stopped')] })).toEqual({
      lines: ['api stopped before it was up: another request (a stop, a reload) stopped it'],
      code: 1,
    });
  });

  it('does not say "restarted" for a task a reload removed meanwhile (exit 1)', () => {
    expect(describeOutcome('restart', 'restarted', { before: [row('api', 'ready'), row('db', 'ready')], acted: ['api', 'db'], after: [row('db', 'ready')] })).toEqual({
      lines: ['restarted db', 'api is no longer in the stack (a reload removed it)'],
      code: 1,
    });
  });

  it('a stop that finds the task stopped says what it did, as before', () => {
    expect(describeOutcome('stop', 'stopped', { before: [row('api', 'ready')], acted: ['api'], after: [row('api', 'stopped')] })).toEqual({
      lines: ['stopped api'],
      code: 0,
    });
  });
});
