import { createServer } from 'node:http';
import { defineConfig, definePlugin, defineTask, ready } from 'ignite-run';
import type { ReadyContext } from 'ignite-run';

const kafka = definePlugin({
  name: 'kafka',
  readyStrategies: {
    // used as ready.plugin('topic-exists', { topic: 'orders' })
    'topic-exists': (params: unknown, ctx: ReadyContext) => {
      const { topic } = params as { topic: string };
      return ctx.lines.some((line) => line.includes(`Created topic ${topic}`));
    },
  },
  hooks: {
    onExit: (ctx) => {
      process.stderr.write(`[kafka plugin] ${ctx.task} exited with ${String(ctx.exitCode)}\n`);
    },
  },
  statsHandlers: [
    (sample) => {
      if (sample.memory > 512 * 1024 * 1024) process.stderr.write(`${sample.task} uses ${String(sample.memory)} bytes\n`);
    },
  ],
  controlServers: [
    (api) => {
      const server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(api.status()));
      });
      return {
        start: () => new Promise<void>((resolve) => server.listen(9901, '127.0.0.1', resolve)),
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  ],
});

const broker = defineTask({
  name: 'broker',
  command: ['kafka-server-start.sh', 'config/server.properties'],
  ready: ready.plugin('topic-exists', { topic: 'orders' }),
});

export default defineConfig({ plugins: [kafka], tasks: [broker] });
