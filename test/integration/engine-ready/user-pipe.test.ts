import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackSpec } from '../../../src/core/model.js';
import { harness, stack, task } from './helpers.js';

const make = harness();
const isRoot = process.getuid?.() === 0;

/** A task running as nobody that signals readiness through its FIFO. */
function pipeStack(projectMode: number): StackSpec {
  return stack((dir) => {
    // mkdtemp makes the folder 0700; a project folder is usually 0755
    chmodSync(dir, projectMode);
    return [task('api', 'echo "pipe $IGNITE_READY_PIPE"; echo ready > "$IGNITE_READY_PIPE"; exec sleep 30', { user: 'nobody', ready: { kind: 'pipe' }, readyTimeoutMs: 3000, restart: { policy: 'never' } }, dir)];
  });
}

describe.runIf(isRoot)('ready.pipe for a task that runs as another user', () => {
  it('lets a task running as nobody open its FIFO and become ready', async () => {
    const spec = pipeStack(0o755);
    const { sup, rec } = make(spec);
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: ['api'], failed: [], blocked: [] } });
    const fifo = (await rec.waitFor('task-output', (e) => e.task === 'api')).lines[0]?.slice('pipe '.length) ?? '';
    // the FIFO lives in a folder of its own, owned by nobody, not in the private run folder
    expect(fifo.startsWith(join(spec.stateDir, 'ready'))).toBe(true);
    const folder = statSync(join(fifo, '..'));
    expect({ uid: folder.uid, mode: folder.mode & 0o777 }).toEqual({ uid: 65534, mode: 0o700 });
    expect(statSync(join(spec.stateDir, 'run')).mode & 0o777).toBe(0o700);
    await sup.down();
    expect(readdirSync(join(spec.stateDir, 'ready'))).toEqual([]);
  });

  it('explains which folder the user cannot reach instead of timing out', async () => {
    const spec = pipeStack(0o700);
    const { sup, rec } = make(spec);
    const result = await sup.up();
    expect(result.ok && result.value.failed).toEqual(['api']);
    const failure = rec.of('task-state', 'api').find((e) => e.failure !== undefined)?.failure;
    expect(failure).toMatchObject({ reason: 'ready-error' });
    expect(failure && 'message' in failure ? failure.message : '').toContain(`user 65534 cannot reach ${spec.dir} (mode 0700)`);
    expect(existsSync(join(spec.stateDir, 'ready')) ? readdirSync(join(spec.stateDir, 'ready')) : []).toEqual([]);
  });
});
