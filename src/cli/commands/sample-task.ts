/**
 * `ignite init --task NAME`: one task with every field, to paste into a config
 * (Horust's `--sample-service`). Name and command are live; the other fields are
 * commented out, each with its default or an example.
 */
export function sampleTask(name: string): string {
  const id = constantName(name);
  return `// Paste into ignite.config.ts above "export default", and list it: defineConfig({ tasks: [..., ${id}] }).
// Uncomment what you need; the values shown are the defaults, or "e.g." examples.
const ${id} = defineTask({
  name: ${JSON.stringify(name)},
  command: ['node', 'server.mjs'], // an array is exec'd with a PATH lookup; a string runs through /bin/sh -c
  // description: 'what it is', // e.g.; shown in ps and the graph
  // cwd: '.', // relative to the config file's folder
  // env: { PORT: '3000' }, // e.g.; merged over ignite's environment
  // envFile: '.env', // e.g.; dotenv files, later wins, env wins over them
  // inheritEnv: true,
  // dependsOn: [db, { task: migrate, condition: 'completed', restart: false }], // e.g.; condition: started | ready | completed
  // ready: ready.tcp(3000), // e.g.; or ready.log(/listening/), .http(url), .file(path), .pipe(), .command(cmd), .notify(), .delay('1s')
  // readyTimeout: '60s',
  // health: { check: ready.http('http://127.0.0.1:3000/health'), interval: '10s', timeout: '5s', retries: 3, startPeriod: 0 }, // e.g.
  // oneshot: false, // true: runs to completion (migrations, seeders)
  // restart: { policy: 'on-failure', backoff: '100ms', maxBackoff: '30s', factor: 2, maxRestarts: 10, minUptime: '1s', exitCodes: [0] },
  // onFailure: 'continue', // or 'stop-dependents', 'shutdown'
  // required: false, // true: shorthand for onFailure: 'shutdown'
  // stop: { signal: 'SIGTERM', timeout: '10s' }, // to the whole process group, SIGKILL after the timeout; or command: ['app', 'stop'] instead of the signal
  // signals: { SIGUSR2: 'SIGHUP' }, // e.g.; rewrites the signals ignite forwards
  // replicas: 1,
  // startDelay: 0,
  // autostart: true,
  // user: 'www-data', // e.g.; needs ignite to run as root (group too)
  // group: 'www-data',
  // umask: '022', // e.g.; inherited by default
  // cpus: [0, 1], // e.g.; CPU affinity
  // logs: { file: '.ignite/logs/${name}.log', maxSize: '10MB', maxFiles: 5, mixed: true, timestamps: false },
  // hooks: { preStart: async (ctx) => {}, onExit: (ctx) => {} }, // e.g.; also postStart, onReady, onRestart
  // tags: ['backend'], // e.g.; select with @backend
});
`;
}

/** `api` → `apiTask`, `my-api.v2` → `myApiV2Task`: never a reserved word, nor the `api` of `ignite init`'s sample. */
function constantName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const camel = words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() : word.charAt(0).toUpperCase()) + word.slice(1)).join('');
  return /^[A-Za-z]/.test(camel) ? `${camel}Task` : `task${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
}
