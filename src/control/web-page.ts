import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpError, requestUrl, sendError, sendText } from './http-util.js';
import { APP_JS } from './web-script.js';

/** The web page of the TCP listener: static text that carries no data (the script fetches it with the token). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ignite</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>ignite</h1>
  <span id="config"></span>
  <span id="updated"></span>
</header>
<p id="notice" role="status"></p>
<form id="login" hidden>
  <label for="token">Control token</label>
  <input id="token" type="password" autocomplete="off" spellcheck="false">
  <button type="submit">Connect</button>
  <p class="hint">Or open the link that <code>npx --no ignite web</code> prints.</p>
</form>
<main id="main" hidden>
  <table>
    <thead>
      <tr><th>Name</th><th>State</th><th>Health</th><th>PID</th><th>Uptime</th><th>Restarts</th><th>Exit</th><th>CPU</th><th>Memory</th><th>Message</th><th>Actions</th></tr>
    </thead>
    <tbody id="tasks"></tbody>
  </table>
  <section id="logs" hidden>
    <h2>Logs of <span id="logs-task"></span></h2>
    <button id="logs-refresh" type="button">Refresh</button>
    <button id="logs-close" type="button">Close</button>
    <pre id="logs-text"></pre>
  </section>
</main>
</body>
</html>
`;

const CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; font-size: 14px; }
body { margin: 1rem 1.5rem; }
header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.1rem; }
#config, #updated, .hint { color: GrayText; }
#notice { min-height: 1.2em; }
#notice.error { color: #c62828; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #8884; white-space: nowrap; }
td:nth-child(10) { white-space: normal; }
td:nth-child(n+4):nth-child(-n+9) { font-variant-numeric: tabular-nums; }
tr[data-state="ready"] td:nth-child(2), tr[data-state="completed"] td:nth-child(2) { color: #2e7d32; }
tr[data-state="failed"] td:nth-child(2) { color: #c62828; font-weight: bold; }
tr[data-state="blocked"] td:nth-child(2), tr[data-state="backoff"] td:nth-child(2) { color: #b26a00; }
td button { margin-right: 0.3rem; }
pre { background: #8881; padding: 0.75rem; max-height: 60vh; overflow: auto; white-space: pre-wrap; word-break: break-all; }
`;

interface Asset {
  type: string;
  body: string;
}

const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['/', { type: 'text/html', body: PAGE }],
  ['/app.js', { type: 'text/javascript', body: APP_JS }],
  ['/app.css', { type: 'text/css', body: CSS }],
]);


/**
 * Answers a request for the page or one of its assets (no token: they carry no
 * data); false for any other path. They are served only under the listener's
 * own Host, so a DNS-rebound name does not get the page.
 */
export function serveWebAsset(req: IncomingMessage, res: ServerResponse, ownHost: boolean): boolean {
  const url = requestUrl(req.url);
  const asset = url === undefined ? undefined : ASSETS.get(url.pathname);
  if (asset === undefined) return false;
  if (req.method !== 'GET') sendError(res, httpError(405, 'method-not-allowed', 'the page accepts GET'), { allow: 'GET' });
  else if (!ownHost) sendError(res, httpError(403, 'forbidden', 'the page is served only at the address the listener is bound to'));
  else sendText(res, 200, asset.type, asset.body);
  return true;
}
