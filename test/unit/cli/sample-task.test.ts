import { describe, expect, it } from 'vitest';
import { sampleTask } from '../../../src/cli/commands/sample-task.js';
import { TASK_KEYS } from '../../../src/config/schema.js';

describe('the sample task of `ignite init --task`', () => {
  it('shows every task field, and only task fields', () => {
    const fields = [...sampleTask('api').matchAll(/^ {2}(?:\/\/ )?(\w+):/gm)].map((m) => m[1]);
    expect(new Set(fields)).toEqual(new Set(TASK_KEYS));
    expect(fields).toHaveLength(TASK_KEYS.size);
  });

  it('names the constant after the task when it can', () => {
    expect(sampleTask('api')).toContain("const api = defineTask({\n  name: \"api\",");
    expect(sampleTask('web-1')).toContain("const task = defineTask({\n  name: \"web-1\",");
  });
});
