/**
 * Type-level tests, checked by `npm run typecheck` (this file never runs): a misspelled
 * field in a config is a type error, as it is a validation error. Each
 * `@ts-expect-error` fails the type-check if the line below it stops being an error.
 */
import { defineConfig, definePlugin, defineTask, ready } from 'ignite-run';

const db = defineTask({ name: 'db', command: ['postgres'], ready: ready.tcp(5432) });

// @ts-expect-error a misspelled task field
defineTask({ name: 'a', command: 'true', readyTimout: '5s' });

// @ts-expect-error a misspelled field of a nested object
defineTask({ name: 'b', command: 'true', restart: { policy: 'always', maxRestart: 3 } });

// @ts-expect-error a misspelled field of a dependency
defineTask({ name: 'c', command: 'true', dependsOn: [{ task: db, conditon: 'ready' }] });

// @ts-expect-error a dependency is a task, a task name or { task, … }, not { name }
defineTask({ name: 'd', command: 'true', dependsOn: [{ name: 'db' }] });

// @ts-expect-error a misspelled plugin field
definePlugin({ name: 'p', readyStrategy: {} });

// @ts-expect-error a misspelled top-level field
defineConfig({ tasks: [db], stateDirr: '.state' });

// @ts-expect-error a misspelled field of a task written inline
defineConfig({ tasks: [{ name: 'e', command: 'x', comand: 'y' }] });

// what is right stays right
export default defineConfig({
  tasks: [
    db,
    defineTask({ name: 'api', command: 'node api.js', dependsOn: [db, 'db', { task: db, condition: 'ready', restart: true }] }),
  ],
  stateDir: '.ignite',
});
