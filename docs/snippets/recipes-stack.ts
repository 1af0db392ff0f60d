// ignite.config.ts — a stack built from the recipes (copy them from recipes/ into your project)
import { defineConfig, defineTask, ready } from 'ignite-run';
import { mosquitto, nginx, postgres, redis } from '../../recipes/index.js';

const pg = postgres({ port: 5433, dataDir: '.ignite/pgdata' });
const cache = redis({ port: 6380 });
const broker = mosquitto({ port: 1884 });

const api = defineTask({
  name: 'api',
  command: ['node', 'server.mjs'],
  env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5433/postgres', REDIS_URL: 'redis://127.0.0.1:6380' },
  dependsOn: [pg.server, cache, broker],
  ready: ready.http('http://127.0.0.1:3000/health'),
});

const web = nginx({ port: 8080, root: 'public', dependsOn: [api] });

export default defineConfig({ tasks: [...pg.tasks, cache, broker, api, web] });
