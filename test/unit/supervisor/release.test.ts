import { describe, expect, it } from 'vitest';
import type { Dependency, TaskSpec } from '../../../src/core/model.js';
import type { TaskState } from '../../../src/core/states.js';
import { checkRelease, satisfies } from '../../../src/supervisor/release.js';
import { canTransition } from '../../../src/supervisor/task-run.js';

const specWith = (dependsOn: Dependency[]): TaskSpec => ({ dependsOn }) as unknown as TaskSpec;
const dep = (task: string, condition: Dependency['condition'] = 'ready'): Dependency => ({ task, condition, restart: false });

describe('dependency release', () => {
  it('satisfies each condition by the states that imply it', () => {
    const states: TaskState[] = ['pending', 'starting', 'ready', 'completed', 'backoff', 'failed'];
    expect(states.filter((s) => satisfies(s, 'started'))).toEqual(['starting', 'ready', 'completed']);
    expect(states.filter((s) => satisfies(s, 'ready'))).toEqual(['ready', 'completed']);
    expect(states.filter((s) => satisfies(s, 'completed'))).toEqual(['completed']);
  });

  it('waits on the first unmet dependency and goes when all are met', () => {
    const states: Record<string, TaskState> = { db: 'ready', cache: 'starting' };
    const lookup = (task: string) => [{ name: task, state: states[task] ?? 'idle' }];
    const spec = specWith([dep('db'), dep('cache')]);
    expect(checkRelease(spec, lookup)).toEqual({ kind: 'wait', on: 'cache' });
    states.cache = 'ready';
    expect(checkRelease(spec, lookup)).toEqual({ kind: 'go' });
  });

  it('needs every instance of a replicated dependency', () => {
    const spec = specWith([dep('w')]);
    const lookup = () => [
      { name: 'w:0', state: 'ready' as TaskState },
      { name: 'w:1', state: 'starting' as TaskState },
    ];
    expect(checkRelease(spec, lookup)).toEqual({ kind: 'wait', on: 'w' });
  });

  it('blocks as soon as one dependency failed, even while another is still pending', () => {
    const states: Record<string, TaskState> = { a: 'pending', b: 'failed' };
    const lookup = (task: string) => [{ name: task, state: states[task] ?? 'idle' }];
    expect(checkRelease(specWith([dep('a'), dep('b')]), lookup)).toMatchObject({ kind: 'blocked', dependency: { name: 'b' } });
  });

  it('allows only the transitions of the state machine', () => {
    expect(canTransition('idle', 'pending')).toBe(true);
    expect(canTransition('pending', 'starting')).toBe(true);
    expect(canTransition('starting', 'ready')).toBe(true);
    expect(canTransition('stopped', 'starting')).toBe(false);
    expect(canTransition('completed', 'failed')).toBe(false);
  });
});
