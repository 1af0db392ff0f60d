// One-shot "migration": creates the demo's JSON database unless it exists, then exits 0.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const file = process.env.DEMO_DB ?? '.ignite/demo/db.json';
if (existsSync(file)) {
  console.log(`database ${file} is up to date`);
} else {
  const todos = [
    { id: 1, title: 'write ignite.config.ts', done: true },
    { id: 2, title: 'run npx --no ignite up', done: false },
    { id: 3, title: 'press Ctrl+C and watch it stop cleanly', done: false },
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ version: 1, todos }, null, 2) + '\n');
  console.log(`migrated ${file}: ${todos.length} todos`);
}
