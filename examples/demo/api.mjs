// A small HTTP API over the JSON database: GET /health, GET /todos.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const port = Number(process.env.PORT ?? 4100);
const file = process.env.DEMO_DB ?? '.ignite/demo/db.json';
let requests = 0;

const server = createServer((req, res) => {
  requests++;
  if (req.url === '/health') return send(res, 200, { ok: true, requests });
  if (req.url === '/todos') return send(res, 200, JSON.parse(readFileSync(file, 'utf8')).todos);
  return send(res, 404, { error: `no route ${req.url}` });
});

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

server.listen(port, '127.0.0.1', () => console.log(`api listening on http://127.0.0.1:${port}`));

// Graceful stop: finish the requests in flight, then exit.
process.on('SIGTERM', () => {
  console.log(`api stopping after ${requests} requests`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
