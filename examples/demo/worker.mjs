// A background worker: once a second, asks the API how many todos are open.
const api = process.env.API_URL ?? 'http://127.0.0.1:4100';
let tick = 0;

async function work() {
  tick++;
  try {
    const todos = await (await fetch(`${api}/todos`)).json();
    const open = todos.filter((todo) => !todo.done).length;
    console.log(`tick ${tick}: ${open} of ${todos.length} todos open`);
  } catch (error) {
    console.error(`tick ${tick}: api unreachable (${error.message})`);
  }
}

const timer = setInterval(work, 1000);
void work();
process.on('SIGTERM', () => {
  clearInterval(timer);
  // exit only once the line is flushed: a pipe loses what a hasty process.exit() leaves behind
  process.stdout.write(`worker stopped after ${tick} ticks\n`, () => process.exit(0));
});
