/**
 * The demo stack: nothing but Node. Run it with `npx --no ignite up`, stop it with Ctrl+C.
 *
 *   migrate (oneshot) ──completed──▶ api ──ready──▶ worker
 *                                     └───ready──▶ web
 */
import { defineConfig, defineTask, ready } from 'ignite-run';

const apiPort = process.env['DEMO_API_PORT'] ?? '4100';
const webPort = process.env['DEMO_WEB_PORT'] ?? '4101';
const apiUrl = `http://127.0.0.1:${apiPort}`;

const migrate = defineTask({
  name: 'migrate',
  description: 'creates the JSON database',
  command: ['node', 'examples/demo/migrate.mjs'],
  oneshot: true,
});

const api = defineTask({
  name: 'api',
  description: 'HTTP API over the database',
  command: ['node', 'examples/demo/api.mjs'],
  env: { PORT: apiPort },
  dependsOn: [{ task: migrate, condition: 'completed' }],
  ready: ready.http(`${apiUrl}/health`),
  readyTimeout: '10s',
  health: { check: ready.http(`${apiUrl}/health`), interval: '5s', retries: 3 },
  restart: { policy: 'on-failure', backoff: '200ms', maxRestarts: 5 },
  tags: ['backend'],
});

const worker = defineTask({
  name: 'worker',
  description: 'polls the API once a second',
  command: ['node', 'examples/demo/worker.mjs'],
  env: { API_URL: apiUrl },
  dependsOn: [api],
  ready: ready.log(/^tick 1:/),
  stop: { signal: 'SIGTERM', timeout: '3s' },
  tags: ['backend'],
});

const web = defineTask({
  name: 'web',
  description: 'front end rendering the todos',
  command: ['node', 'examples/demo/web.mjs'],
  env: { PORT: webPort, API_URL: apiUrl },
  dependsOn: [api],
  ready: ready.tcp(Number(webPort)),
  tags: ['frontend'],
});

export default defineConfig({
  env: { DEMO_DB: '.ignite/demo/db.json' },
  tasks: [migrate, api, worker, web],
});
