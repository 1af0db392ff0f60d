import { defineTask, ready } from 'ignite-run';

export const cache = defineTask({
  name: 'cache',
  command: ['redis-server', '--port', '6380', '--save', ''],
  ready: ready.log(/Ready to accept connections/),
  health: {
    check: ready.command(['redis-cli', '-p', '6380', 'ping'], { timeout: '1s' }),
    interval: '5s', // time between probes
    timeout: '2s', // one probe longer than this counts as a failure
    retries: 3, // failures in a row before the task is unhealthy and restarted
    startPeriod: '10s', // failures during this grace period after ready do not count
  },
  restart: 'always',
});
