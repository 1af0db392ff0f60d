/**
 * The web page's script (served as /app.js): plain browser JavaScript, kept as
 * text. It must not contain a backtick or a dollar-brace, which would end or
 * interpolate this template; a test parses it.
 *
 * Every piece of data reaches the page through textContent: task names,
 * messages and log lines are text a task (or its user) controls.
 */
export const APP_JS = String.raw`'use strict';

const TOKEN_KEY = 'ignite-token';
const REFRESH_MS = 1000;
const RUNNING = new Set(['starting', 'ready', 'stopping']);
const EXPLAINED = new Set(['failed', 'blocked', 'backoff']);
const COLUMNS = [
  (t) => t.name,
  (t) => t.state,
  (t) => t.health ?? '-',
  (t) => (t.pid === null ? '-' : String(t.pid)),
  (t) => (t.startedAt !== null && RUNNING.has(t.state) ? uptime(Date.now() - Date.parse(t.startedAt)) : '-'),
  (t) => String(t.restarts),
  (t) => (t.exitCode === null ? '-' : String(t.exitCode)),
  (t) => (t.cpu === null ? '-' : t.cpu.toFixed(1) + '%'),
  (t) => (t.memory === null ? '-' : bytes(t.memory)),
  (t) => (EXPLAINED.has(t.state) && t.message !== null ? t.message : ''),
];

const byId = (id) => document.getElementById(id);
/** Task name -> its table row, updated in place so that a button is never replaced under a click. */
const rows = new Map();
let timer;
let logsTask = null;

function uptime(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm' + String(s % 60).padStart(2, '0') + 's';
  const h = Math.floor(m / 60);
  if (h < 24) return h + 'h' + String(m % 60).padStart(2, '0') + 'm';
  return Math.floor(h / 24) + 'd' + (h % 24) + 'h';
}

function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? n + ' B' : n.toFixed(1) + ' ' + units[unit];
}

/** The token in memory; sessionStorage keeps it across reloads of the page where it is allowed. */
let heldToken = null;

function token() {
  if (heldToken !== null) return heldToken;
  try {
    heldToken = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // storage disabled: only the copy in memory
  }
  return heldToken;
}

function setToken(value) {
  heldToken = value;
  try {
    if (value === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    // storage disabled: the token lives until the page is reloaded
  }
}

/** Moves a token given in the URL fragment (never sent to a server) into sessionStorage and out of the address bar. */
function takeTokenFromUrl() {
  const given = new URLSearchParams(location.hash.slice(1)).get('token');
  if (given === null) return;
  setToken(given.trim());
  history.replaceState(null, '', location.pathname + location.search);
}

function notice(text, isError) {
  const el = byId('notice');
  el.textContent = text;
  el.className = isError ? 'error' : '';
}

async function api(method, path, body) {
  const headers = { authorization: 'Bearer ' + token() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (response.status === 401) showLogin('The token was refused: enter the current one (npx --no ignite web prints a link).');
  if (!response.ok) throw new Error(data?.error?.message ?? 'HTTP ' + response.status);
  return data;
}

function button(label, title, onClick) {
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = label;
  el.title = title;
  el.addEventListener('click', onClick);
  return el;
}

function rowFor(name) {
  const known = rows.get(name);
  if (known !== undefined) return known;
  const tr = document.createElement('tr');
  const cells = COLUMNS.map(() => tr.appendChild(document.createElement('td')));
  const actions = tr.appendChild(document.createElement('td'));
  for (const verb of ['start', 'stop', 'restart']) {
    actions.appendChild(button(verb[0].toUpperCase() + verb.slice(1), verb + ' ' + name, () => act(verb, name)));
  }
  actions.appendChild(button('Logs', 'show the last lines of ' + name, () => showLogs(name)));
  byId('tasks').appendChild(tr);
  const row = { tr, cells };
  rows.set(name, row);
  return row;
}

function render(tasks) {
  const seen = new Set();
  for (const task of tasks) {
    seen.add(task.name);
    const row = rowFor(task.name);
    row.tr.dataset.state = task.state;
    COLUMNS.forEach((cell, i) => {
      row.cells[i].textContent = cell(task);
    });
  }
  for (const [name, row] of rows) {
    if (seen.has(name)) continue;
    row.tr.remove();
    rows.delete(name);
  }
}

async function refresh() {
  clearTimeout(timer);
  if (token() === null) return;
  try {
    render((await api('GET', '/v1/status')).tasks);
    byId('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (error) {
    byId('updated').textContent = 'cannot refresh: ' + error.message;
  }
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (document.visibilityState === 'visible' && token() !== null) timer = setTimeout(refresh, REFRESH_MS);
}

async function act(verb, name) {
  notice(verb + ' ' + name + '...', false);
  try {
    await api('POST', '/v1/' + verb, { patterns: [name] });
    // the answer names what was acted on; whether it came up is in the task's row
    const row = (await api('GET', '/v1/status?pattern=' + encodeURIComponent(name))).tasks[0];
    const gaveUp = row !== undefined && (row.state === 'failed' || row.state === 'blocked');
    notice(verb + ' ' + name + ': ' + (row === undefined ? 'done' : row.state + (row.message ? ' (' + row.message + ')' : '')), gaveUp);
  } catch (error) {
    notice(verb + ' ' + name + ' failed: ' + error.message, true);
  }
  void refresh();
}

async function showLogs(name) {
  logsTask = name;
  byId('logs').hidden = false;
  byId('logs-task').textContent = name;
  const text = byId('logs-text');
  text.textContent = 'loading...';
  try {
    const query = new URLSearchParams({ pattern: name, lines: '200' });
    const data = await api('GET', '/v1/logs?' + query.toString());
    if (logsTask !== name) return;
    text.textContent = data.lines.length === 0 ? '(no output yet)' : data.lines.map((l) => l.line).join('\n');
  } catch (error) {
    if (logsTask === name) text.textContent = 'cannot read the logs: ' + error.message;
  }
}

function hideLogs() {
  logsTask = null;
  byId('logs').hidden = true;
  byId('logs-text').textContent = '';
}

async function showInfo() {
  try {
    byId('config').textContent = (await api('GET', '/v1/info')).configFile;
  } catch {
    // the status refresh reports the problem
  }
}

function showLogin(message) {
  setToken(null);
  clearTimeout(timer);
  byId('main').hidden = true;
  byId('login').hidden = false;
  if (message !== undefined) notice(message, true);
  byId('token').focus();
}

function showMain() {
  byId('login').hidden = true;
  byId('main').hidden = false;
  void showInfo();
  void refresh();
}

byId('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = byId('token').value.trim();
  byId('token').value = '';
  if (value === '') return;
  setToken(value);
  notice('', false);
  showMain();
});
byId('logs-refresh').addEventListener('click', () => logsTask !== null && showLogs(logsTask));
byId('logs-close').addEventListener('click', hideLogs);
document.addEventListener('visibilitychange', () => (document.visibilityState === 'visible' ? refresh() : clearTimeout(timer)));

takeTokenFromUrl();
if (token() === null) showLogin();
else showMain();
`;
