/** The sample `ignite init` writes: a node-only stack that validates and runs anywhere. */
export const INIT_TEMPLATE = `// ignite.config.ts — the stack ignite starts with \`npx --no ignite up\`.
// Every field is typed: hover over it in your editor, or see docs/config.md.
import { defineConfig, defineTask, ready } from 'ignite-run';

// A one-shot task runs to completion; tasks that depend on it with the condition
// 'completed' start only once it exited with an expected code (0 by default).
const migrate = defineTask({
  name: 'migrate',
  command: ['node', '-e', "console.log('migrating…'); setTimeout(() => console.log('migrated'), 200)"],
  oneshot: true,
});

// A long-running server. It counts as ready once a line matches the pattern;
// ready.tcp(3000), ready.http('http://localhost:3000/health') and others exist too.
const api = defineTask({
  name: 'api',
  command: [
    'node',
    '-e',
    "require('node:http').createServer((req, res) => res.end('ok')).listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT))",
  ],
  env: { PORT: '3000' },
  dependsOn: [{ task: migrate, condition: 'completed' }],
  ready: ready.log(/listening on/),
  readyTimeout: '10s',
  // restart with backoff when it crashes; give up after 5 restarts
  restart: { policy: 'on-failure', maxRestarts: 5 },
});

// A background worker that starts once the api is ready (the default condition).
const worker = defineTask({
  name: 'worker',
  command: 'node -e "setInterval(() => console.log(\\'tick\\'), 2000)"', // a string runs through /bin/sh -c
  dependsOn: [api],
  tags: ['background'],
});

export default defineConfig({
  tasks: [migrate, api, worker],
});
`;
