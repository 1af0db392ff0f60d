import { describe, expect, it } from 'vitest';
import { sampleTask } from '../../../src/cli/commands/sample-task.js';
import { TASK_KEYS } from '../../../src/config/schema.js';

describe('the sample task of `ignite init --task`', () => {
  it('shows every task field, and only task fields', () => {
    const fields = [...sampleTask('api').matchAll(/^ {2}(?:\/\/ )?(\w+):/gm)].map((m) => m[1]);
    expect(new Set(fields)).toEqual(new Set(TASK_KEYS));
    expect(fields).toHaveLength(TASK_KEYS.size);
  });

  it('names the constant after the task, never as a reserved word or a clash with the init sample', () => {
    expect(sampleTask('api')).toContain('const apiTask = defineTask({\n  name: "api",');
    expect(sampleTask('web-1.v2')).toContain('const web1V2Task = defineTask({');
    expect(sampleTask('class')).toContain('const classTask = defineTask({');
    expect(sampleTask('9lives')).toContain('const task9lives = defineTask({');
  });
});
