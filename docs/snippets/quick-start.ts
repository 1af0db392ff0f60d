// ignite.config.ts
import { defineConfig, defineTask, ready } from 'ignite-run';

const db = defineTask({
  name: 'db',
  command: ['redis-server', '--port', '6380', '--bind', '127.0.0.1', '--save', ''],
  ready: ready.log(/Ready to accept connections/),
});

const migrate = defineTask({
  name: 'migrate',
  command: 'node scripts/migrate.mjs', // a string runs through /bin/sh -c
  dependsOn: [db],
  oneshot: true,
});

const api = defineTask({
  name: 'api',
  command: ['node', 'server.mjs'],
  env: { PORT: '3000' },
  dependsOn: [{ task: migrate, condition: 'completed' }],
  ready: ready.http('http://127.0.0.1:3000/health'),
  restart: { policy: 'on-failure', maxRestarts: 5 },
});

export default defineConfig({ tasks: [db, migrate, api] });
