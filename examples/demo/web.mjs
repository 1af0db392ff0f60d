// A tiny front end on its own port: renders the todos it fetches from the API.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 4101);
const api = process.env.API_URL ?? 'http://127.0.0.1:4100';

const server = createServer(async (_req, res) => {
  try {
    const todos = await (await fetch(`${api}/todos`)).json();
    const items = todos.map((t) => `<li>${t.done ? '✔' : '☐'} ${t.title}</li>`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>ignite demo</title><h1>todos</h1><ul>${items}</ul>`);
  } catch (error) {
    res.writeHead(502).end(`api unreachable: ${error.message}`);
  }
});

server.listen(port, '127.0.0.1', () => console.log(`web on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
