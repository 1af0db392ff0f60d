import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { failureMessage, normalizeSignal, socketLocation } from '../../../src/control/index.js';
import { tailFile } from '../../../src/control/log-tail.js';
import { isLoopback } from '../../../src/config/control-host.js';
import { bearerChecker } from '../../../src/control/tcp-auth.js';

describe('control helpers', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('normalises signal names and numbers and refuses ones outside the list', () => {
    expect(normalizeSignal('term')).toBe('SIGTERM');
    expect(normalizeSignal('SIGUSR2')).toBe('SIGUSR2');
    expect(normalizeSignal(' hup ')).toBe('SIGHUP');
    expect(normalizeSignal('SIGSEGV')).toBeUndefined();
    expect(normalizeSignal('__proto__')).toBeUndefined();
    expect(normalizeSignal('9')).toBe('SIGKILL');
    expect(normalizeSignal('15')).toBe('SIGTERM');
    expect(normalizeSignal('11')).toBeUndefined(); // SIGSEGV: not in the list
    expect(normalizeSignal('99')).toBeUndefined();
  });

  it('tells loopback hosts from others', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com', '127.0.0.1.evil.com'].some(isLoopback)).toBe(false);
  });

  it('accepts only the exact bearer token', () => {
    const check = bearerChecker('abc123');
    const req = (authorization?: string): IncomingMessage => {
      const message = new IncomingMessage(new Socket());
      if (authorization !== undefined) message.headers.authorization = authorization;
      return message;
    };
    expect(check(req('Bearer abc123'))).toBe(true);
    expect(check(req('bearer abc123'))).toBe(true);
    expect(check(req('Bearer abc1234'))).toBe(false);
    expect(check(req('Bearer '))).toBe(false);
    expect(check(req('abc123'))).toBe(false);
    expect(check(req())).toBe(false);
  });

  it('reads the last lines of a large file from its end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ignite-tail-'));
    dirs.push(dir);
    const file = join(dir, 'big.log');
    writeFileSync(file, Array.from({ length: 100_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n') + '\n');
    return tailFile(file, 2).then((lines) => {
      expect(lines).toEqual([`line 99998 ${'x'.repeat(20)}`, `line 99999 ${'x'.repeat(20)}`]);
    });
  });

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ignite-tail-'));
    dirs.push(dir);
    const file = join(dir, 'utf8.log');
    const line = 'é'.repeat(40_000);
    writeFileSync(file, `${line}\n${line}\n`);
    expect(await tailFile(file, 1)).toEqual([line]);
    expect(await tailFile(join(dir, 'missing.log'), 5)).toEqual([]);
    expect(await tailFile(file, 0)).toEqual([]);
  });

  it('reads no history from a log path that is a folder (it threw EISDIR: "internal error" from ignite logs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ignite-tail-'));
    dirs.push(dir);
    expect(await tailFile(dir, 5)).toEqual([]);
  });

  it('puts the socket under the state dir, or in a private temp dir when the path is too long', () => {
    expect(socketLocation('/srv/app/.ignite')).toEqual({ path: '/srv/app/.ignite/run/control.sock', dir: '/srv/app/.ignite/run', fallback: false });
    const long = socketLocation(`/srv/${'x'.repeat(120)}`);
    expect(long.fallback).toBe(true);
    expect(long.path).toBe(join(long.dir, 'control.sock'));
    expect(long.dir.startsWith(join(tmpdir(), 'ignite-'))).toBe(true);
    expect(socketLocation(`/srv/${'x'.repeat(120)}`)).toEqual(long);
    expect(socketLocation(`/srv/${'y'.repeat(120)}`).dir).not.toBe(long.dir);
  });

  it('words a no-match failure with the known task names', () => {
    expect(failureMessage({ reason: 'no-match', patterns: ['apx', '@x'], known: ['api', 'db'] })).toBe('no task matches "apx", "@x" (tasks: api, db)');
  });
});
