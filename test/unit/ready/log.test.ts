import { describe, expect, it } from 'vitest';
import { prepareReady } from '../../../src/ready/index.js';
import type { ReadySpec } from '../../../src/ready/types.js';
import { later, makeRun, TestOutput } from '../../fixtures/ready/run.js';

const options = { task: 'api', runDir: '/nonexistent', cwd: process.cwd() };

async function waitLog(spec: ReadySpec, output: TestOutput, timeoutMs = 2000) {
  const prepared = await prepareReady(spec, options);
  return prepared.wait(makeRun({ output, timeoutMs }));
}

describe('ready.log', () => {
  it('resolves only once a matching line arrives', async () => {
    const output = new TestOutput();
    let markedAt = 0;
    later(30, () => output.line('booting'));
    later(60, () => {
      markedAt = Date.now();
      output.line('server listening on :80');
    });
    const result = await waitLog({ kind: 'log', pattern: /listening/, stream: 'both' }, output);
    expect(result).toEqual({ ok: true, value: undefined });
    expect(markedAt).toBeGreaterThan(0);
    expect(output.listenerCount).toBe(0);
  });

  it('matches a line that arrived before the wait began', async () => {
    const output = new TestOutput();
    output.line('ready to accept connections');
    const result = await waitLog({ kind: 'log', pattern: /ready to accept/, stream: 'stdout' }, output);
    expect(result.ok).toBe(true);
  });

  it('matches a prompt still waiting for its newline', async () => {
    const output = new TestOutput();
    later(20, () => output.partial('mysql> '));
    const result = await waitLog({ kind: 'log', pattern: /^mysql> $/, stream: 'stdout' }, output);
    expect(result.ok).toBe(true);
  });

  it("matches vite's coloured lines (FORCE_COLOR) against the text a terminal shows", async () => {
    // vite 8 under FORCE_COLOR=1, as written to its pipe
    const output = new TestOutput();
    later(10, () => output.line('  \u001b[32m\u001b[1mVITE\u001b[22m v8.4.1\u001b[39m  \u001b[2mready in \u001b[0m\u001b[1m361\u001b[22m\u001b[2m\u001b[0m ms\u001b[22m'));
    later(20, () => output.line('  \u001b[32m➜\u001b[39m  \u001b[1mLocal\u001b[22m:   \u001b[36mhttp://localhost:\u001b[1m5173\u001b[22m/\u001b[39m'));
    const [readyIn, local] = await Promise.all([
      waitLog({ kind: 'log', pattern: /ready in \d+ ms/, stream: 'both' }, output),
      waitLog({ kind: 'log', pattern: /Local:\s+http:\/\/localhost:5173/, stream: 'both' }, output),
    ]);
    expect(readyIn.ok).toBe(true);
    expect(local.ok).toBe(true);
  });

  it('matches the text a \\r redraw leaves, and still the line as written', async () => {
    const output = new TestOutput();
    later(10, () => output.line('\u001b[2K\u001b[1Gbuilding 10%\r\u001b[2K\u001b[1G✓ built in 12ms'));
    const [shown, written] = await Promise.all([
      waitLog({ kind: 'log', pattern: /^✓ built in \d+ms$/, stream: 'both' }, output),
      waitLog({ kind: 'log', pattern: /building 10%/, stream: 'both' }, output),
    ]);
    expect(shown.ok).toBe(true);
    expect(written.ok).toBe(true);
  });

  it('ignores the other stream when one is chosen', async () => {
    const output = new TestOutput();
    later(10, () => output.line('listening', 'stderr'));
    const result = await waitLog({ kind: 'log', pattern: /listening/, stream: 'stdout' }, output, 200);
    expect(result.ok).toBe(false);
  });

  it('is not fooled by a global regex that keeps its lastIndex', async () => {
    const output = new TestOutput();
    const pattern = /up/g;
    pattern.test('up'); // leaves lastIndex at 2
    later(10, () => output.line('up'));
    const result = await waitLog({ kind: 'log', pattern, stream: 'both' }, output);
    expect(result.ok).toBe(true);
  });

  it('times out naming the task, the strategy and the last ten lines', async () => {
    const output = new TestOutput();
    for (let i = 1; i <= 12; i++) output.line(`line ${i}`);
    const started = Date.now();
    const result = await waitLog({ kind: 'log', pattern: /never/, stream: 'both' }, output, 150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(result).toEqual({
      ok: false,
      error: {
        reason: 'ready-timeout',
        task: 'api',
        strategy: 'log:/never/',
        timeoutMs: 150,
        lastLines: ['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12'],
      },
    });
    expect(output.listenerCount).toBe(0);
  });

  it('resolves "aborted" at once when the run is abandoned, unsubscribing', async () => {
    const output = new TestOutput();
    const controller = new AbortController();
    const prepared = await prepareReady({ kind: 'log', pattern: /never/, stream: 'both' }, options);
    const waiting = prepared.wait(makeRun({ output, signal: controller.signal, timeoutMs: 10_000 }));
    later(20, () => controller.abort());
    const started = Date.now();
    const result = await waiting;
    expect(Date.now() - started).toBeLessThan(500);
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-error', message: 'aborted', task: 'api' } });
    expect(output.listenerCount).toBe(0);
  });
});
