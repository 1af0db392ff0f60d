import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/index.js';
import { parseCpuList, systemHost, type Host } from '../../../src/config/host.js';
import { formatDiagnostics } from '../../../src/render/diagnostics.js';

const FILE = '/project/ignite.config.ts';
const task = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: `run-${name}`, ...extra });

/** A machine where ignite runs as uid/gid 1000, "app" (1000) and "daemon" (1) exist, CPUs 0-1 are online and only /project exists. */
function host(overrides: Partial<Host> = {}): Host {
  const users: Record<string, number> = { app: 1000, daemon: 1 };
  const groups: Record<string, number> = { app: 1000, daemon: 1 };
  return {
    uid: 1000,
    gid: 1000,
    userId: (user) => (typeof user === 'number' ? user : (users[user] ?? null)),
    groupId: (group) => (typeof group === 'number' ? group : (groups[group] ?? null)),
    cpus: () => ({ ids: new Set([0, 1]), text: '0-1' }),
    pathKind: (path) => (path === '/project' ? 'folder' : path === '/project/README.md' ? 'other' : 'missing'),
    ...overrides,
  };
}

/** Everything `ignite validate` prints about the config, errors and warnings. */
function report(input: unknown, machine: Host = host()): string {
  const result = validateConfig(input, FILE, machine);
  return formatDiagnostics('ignite.config.ts', result.ok ? (result.value.warnings ?? []) : result.error);
}

describe('rules that ask the machine', () => {
  it('warns about a cwd that does not exist yet, and rejects one that is a file', () => {
    expect(report({ tasks: [task('a', { cwd: 'README.md' }), task('b', { cwd: '/abs/nodir' })] })).toBe(
      [
        '✖ ignite.config.ts: 1 problem',
        '  tasks[0].cwd: not a folder: /project/README.md',
        '⚠ ignite.config.ts: 1 warning',
        '  tasks[1].cwd: folder not found: /abs/nodir (a task that creates it must run first)',
      ].join('\n'),
    );
  });

  it('rejects a stateDir that is a file, or lies under one', () => {
    expect(report({ stateDir: 'README.md', tasks: [task('a')] })).toBe('✖ ignite.config.ts: 1 problem\n  stateDir: not a folder: /project/README.md');
    expect(report({ stateDir: 'README.md/state', tasks: [task('a')] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  stateDir: cannot be created: /project/README.md is not a folder',
    );
    expect(report({ tasks: [task('a')] }, host({ pathKind: (path) => (path === '/project/.ignite' ? 'other' : 'folder') }))).toBe(
      '✖ ignite.config.ts: 1 problem\n  stateDir: not a folder: /project/.ignite (the default stateDir)',
    );
  });

  it('rejects a log file that is a folder or lies under a file', () => {
    const tasks = [task('a', { logs: { file: '.' } }), task('b', { logs: { file: 'README.md/b.log' } }), task('c', { logs: { file: 'logs/c.log' } })];
    expect(report({ tasks })).toBe(
      [
        '✖ ignite.config.ts: 2 problems',
        '  tasks[0].logs.file: a folder, not a log file: /project',
        '  tasks[1].logs.file: cannot create /project/README.md/b.log: /project/README.md is not a folder',
      ].join('\n'),
    );
  });

  it('rejects an unknown user or group', () => {
    expect(report({ tasks: [task('a', { user: 'nosuchuser' }), task('b', { user: 'app', group: 'nosuchgroup' })] })).toBe(
      ['✖ ignite.config.ts: 2 problems', '  tasks[0].user: unknown user "nosuchuser"', '  tasks[1].group: unknown group "nosuchgroup"'].join('\n'),
    );
  });

  it('warns that running as another user or group needs root, unless ignite is root', () => {
    const tasks = [task('a', { user: 'daemon' }), task('b', { group: 'daemon' }), task('c', { user: 'app' }), task('d', { user: 0 })];
    expect(report({ tasks })).toBe(
      [
        '⚠ ignite.config.ts: 3 warnings',
        '  tasks[0].user: running as "daemon" needs ignite to run as root',
        '  tasks[1].group: running as group "daemon" needs ignite to run as root',
        '  tasks[3].user: running as user 0 needs ignite to run as root',
      ].join('\n'),
    );
    expect(report({ tasks }, host({ uid: 0, gid: 0 }))).toBe('');
  });

  it('says nothing about an account it cannot look up', () => {
    expect(report({ tasks: [task('a', { user: 'someone' })] }, host({ userId: () => undefined }))).toBe('');
  });

  it('rejects a CPU that is not online, naming those that are', () => {
    expect(report({ tasks: [task('x'), task('a', { cpus: [1, 999] })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[1].cpus[1]: no CPU 999 on this machine (CPUs 0-1)',
    );
  });
});

describe('the real machine', () => {
  it('reads CPU lists the way Linux writes them', () => {
    expect([...parseCpuList('0-3,6,8-9')]).toEqual([0, 1, 2, 3, 6, 8, 9]);
    expect([...parseCpuList('0')]).toEqual([0]);
  });

  it('looks accounts up by name, and takes numeric ids as they are', () => {
    const machine = systemHost();
    expect(machine.userId('root')).toBe(0);
    expect(machine.groupId('root')).toBe(0);
    expect(machine.userId('no-such-user-here')).toBeNull();
    expect(machine.groupId('no-such-group-here')).toBeNull();
    expect(machine.userId('4242')).toBe(4242);
    expect(machine.cpus().ids.has(0)).toBe(true);
  });
});
