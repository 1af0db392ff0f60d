import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/index.js';
import { mosquitto, nginx, postgres, redis } from '../../../recipes/index.js';
import { mosquittoPubSub } from '../../../recipes/mosquitto-pubsub.js';

describe('recipes', () => {
  it('build a stack that validates with every recipe in it', () => {
    const pg = postgres({ dataDir: '/tmp/ignite-never-created', port: 15432 });
    const cache = redis({ port: 16379, dependsOn: [pg.server] });
    const result = validateConfig(
      { tasks: [...pg.tasks, cache, mosquitto({ port: 11883 }), nginx({ port: 18080, dependsOn: [cache] })] },
      '/tmp/ignite-recipes/ignite.config.ts',
    );
    expect(result.ok ? [] : result.error).toEqual([]);
  });

  it('keep the seed example a valid three-task chain', () => {
    const result = validateConfig(mosquittoPubSub(), '/tmp/ignite-recipes/ignite.config.ts');
    expect(result.ok ? result.value.tasks.map((t) => [t.name, t.dependsOn.map((d) => d.task)]) : result.error).toEqual([
      ['mosquitto', []],
      ['sub', ['mosquitto']],
      ['pub', ['sub']],
    ]);
  });

  it('run postgres with a completed initdb oneshot before the server', () => {
    const pg = postgres({ dataDir: '/srv/pg', port: 5433, user: 'postgres', binDir: '/opt/pg/bin' });
    expect(pg.init.oneshot).toBe(true);
    expect(pg.server.dependsOn).toEqual([{ task: pg.init, condition: 'completed' }]);
    expect(pg.server.command).toEqual([
      '/opt/pg/bin/postgres', '-D', '/srv/pg', '-p', '5433',
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    ]);
    expect(pg.server.user).toBe('postgres');
    expect(pg.server.stop?.signal).toBe('SIGINT');
  });
});
