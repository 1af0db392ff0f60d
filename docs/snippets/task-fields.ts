import { defineConfig, defineTask, ready } from 'ignite-run';

const db = defineTask({ name: 'db', command: ['redis-server', '--port', '6380'], ready: ready.tcp(6380) });

const api = defineTask({
  name: 'api',
  description: 'public HTTP API',
  command: ['node', 'dist/server.js'],
  cwd: 'services/api',
  env: { PORT: '3000', NODE_ENV: 'development' },
  envFile: ['.env', '.env.local'],
  inheritEnv: true,
  dependsOn: [{ task: db, condition: 'ready', restart: true }],
  ready: ready.http('http://127.0.0.1:3000/health', { status: 200 }),
  readyTimeout: '30s',
  health: { check: ready.http('http://127.0.0.1:3000/health'), interval: '10s', timeout: '2s', retries: 3, startPeriod: '5s' },
  restart: { policy: 'on-failure', backoff: '100ms', factor: 2, maxBackoff: '30s', maxRestarts: 10, minUptime: '1s', exitCodes: [0] },
  onFailure: 'stop-dependents',
  stop: { signal: 'SIGTERM', timeout: '10s' },
  signals: { SIGHUP: 'SIGUSR2' },
  replicas: 2,
  startDelay: '500ms',
  autostart: true,
  umask: '022',
  logs: { file: '.ignite/logs/api.log', maxSize: '10MB', maxFiles: 5, mixed: true, timestamps: true },
  hooks: {
    onReady: (ctx) => {
      process.stderr.write(`${ctx.task} ready (pid ${String(ctx.pid)})\n`);
    },
  },
  tags: ['backend'],
});

export default defineConfig({
  tasks: [db, api],
  env: { LOG_LEVEL: 'info' },
  stateDir: '.ignite',
  shutdownTimeout: '30s',
});
