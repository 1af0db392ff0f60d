import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ControlActionResult, ControlApi } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { failureMessage, failureStatus } from './failure-message.js';
import { httpError, parseJson, readBody, requestUrl, sendError, sendJson, type HttpError } from './http-util.js';
import { readHistory } from './history.js';
import { queryPatterns, selectInstances } from './resolve.js';
import { actionBody, describeIssues, emptyBody, killBody, linesSchema } from './schemas.js';
import { streamEvents } from './events-stream.js';
import type { TaskStatus } from '../core/status.js';
import type { ControlLimits, InfoResponse } from './types.js';

export interface RouteContext {
  api: ControlApi;
  logFiles: (task: string) => string[][];
  holdLogs?: (task: string) => Promise<() => void>;
  info: () => InfoResponse;
  limits: ControlLimits;
  /** Open event streams, ended when the server closes. */
  streams: Set<ServerResponse>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext) => Promise<void> | void;

/** The explicit allow-list: path → method → handler. Nothing else is reachable. */
const ROUTES: ReadonlyMap<string, ReadonlyMap<string, Handler>> = new Map([
  ['/v1/info', new Map([['GET', info]])],
  ['/v1/status', new Map([['GET', status]])],
  ['/v1/start', new Map([['POST', action('start')]])],
  ['/v1/stop', new Map([['POST', action('stop')]])],
  ['/v1/restart', new Map([['POST', action('restart')]])],
  ['/v1/kill', new Map([['POST', kill]])],
  ['/v1/down', new Map([['POST', down]])],
  ['/v1/reload', new Map([['POST', reload]])],
  ['/v1/logs', new Map([['GET', logs]])],
  ['/v1/events', new Map([['GET', events]])],
]);


export async function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = requestUrl(req.url);
  if (url === undefined) return sendError(res, httpError(400, 'bad-request', 'the request target is not a valid path'));
  const methods = ROUTES.get(url.pathname);
  if (methods === undefined) {
    sendError(res, httpError(404, 'not-found', `no such endpoint: ${url.pathname.slice(0, 200)}`));
    return;
  }
  const handler = methods.get(req.method ?? '');
  if (handler === undefined) {
    const allowed = [...methods.keys()].join(', ');
    sendError(res, httpError(405, 'method-not-allowed', `${url.pathname} accepts ${allowed}`), { allow: allowed });
    return;
  }
  await handler(req, res, url, ctx);
}

function info(_req: IncomingMessage, res: ServerResponse, _url: URL, ctx: RouteContext): void {
  sendJson(res, 200, ctx.info());
}

function status(_req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext): void {
  const rows = withPatterns(url, (patterns) => selectInstances(ctx.api, patterns));
  if (rows.ok) sendJson(res, 200, { tasks: rows.value });
  else sendError(res, rows.error);
}

function action(name: 'start' | 'stop' | 'restart'): Handler {
  return async (req, res, _url, ctx) => {
    const body = await readValidated(req, ctx, actionBody);
    if (!body.ok) return sendError(res, body.error);
    respondAction(res, ctx, await ctx.api[name](body.value.patterns));
  };
}

async function kill(req: IncomingMessage, res: ServerResponse, _url: URL, ctx: RouteContext): Promise<void> {
  const body = await readValidated(req, ctx, killBody);
  if (!body.ok) return sendError(res, body.error);
  respondAction(res, ctx, await ctx.api.kill(body.value.patterns, body.value.signal));
}

async function down(req: IncomingMessage, res: ServerResponse, _url: URL, ctx: RouteContext): Promise<void> {
  const body = await readValidated(req, ctx, emptyBody);
  if (!body.ok) return sendError(res, body.error);
  await ctx.api.down();
  sendJson(res, 200, { ok: true });
}

/** Loads the config file again and applies it; an invalid config changes nothing (400, with every problem). */
async function reload(req: IncomingMessage, res: ServerResponse, _url: URL, ctx: RouteContext): Promise<void> {
  const body = await readValidated(req, ctx, emptyBody);
  if (!body.ok) return sendError(res, body.error);
  if (ctx.api.reload === undefined) return sendError(res, httpError(501, 'not-supported', 'this supervisor has no config file to reload'));
  const done = await ctx.api.reload();
  if (done.ok) return sendJson(res, 200, { reload: done.value });
  const failure = done.error.failure;
  if (failure === undefined) return sendError(res, httpError(400, 'invalid-config', done.error.message));
  sendError(res, httpError(failureStatus(failure), failure.reason, failureMessage(failure), { failure }));
}

async function logs(_req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext): Promise<void> {
  const lines = linesParam(url, 100);
  if (!lines.ok) return sendError(res, lines.error);
  const rows = withPatterns(url, (patterns) => selectInstances(ctx.api, patterns));
  if (!rows.ok) return sendError(res, rows.error);
  sendJson(res, 200, { lines: await readHistory(ctx, historyTasks(rows.value), lines.value) });
}

/** Live events; with `?lines=N`, first one `history` record that ends exactly where they begin (see readHistory). */
function events(_req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext): void {
  const patterns = queryPatterns(url);
  if (!patterns.ok) return sendError(res, patterns.error);
  const lines = url.searchParams.has('lines') ? linesParam(url, 0) : undefined;
  if (lines !== undefined && !lines.ok) return sendError(res, lines.error);
  const rows = patterns.value.length === 0 ? undefined : selectInstances(ctx.api, patterns.value);
  if (rows !== undefined && !rows.ok) return sendError(res, rows.error);
  const tasks = rows === undefined ? undefined : new Set(rows.value.map((row) => row.name));
  const output = url.searchParams.get('output') ?? 'true';
  if (output !== 'true' && output !== 'false') return sendError(res, httpError(400, 'invalid-request', 'output: expected true or false'));
  // the history is cut and the stream subscribed in this one turn
  const history = lines === undefined ? undefined : readHistory(ctx, historyTasks(rows?.value ?? ctx.api.status()), lines.value);
  streamEvents(ctx.api, res, { tasks, output: output === 'true' }, ctx.streams, history);
}

function linesParam(url: URL, fallback: number): Result<number, HttpError> {
  const lines = linesSchema.safeParse(url.searchParams.get('lines') ?? fallback);
  return lines.success ? ok(lines.data) : err(httpError(400, 'invalid-request', `lines: ${describeIssues(lines.error)}`));
}

/** Replicas write to their task's files: those are read once, under the task's name. */
function historyTasks(rows: readonly TaskStatus[]): string[] {
  return [...new Set(rows.map((row) => row.task))];
}

function withPatterns<T>(url: URL, then: (patterns: string[]) => Result<T, HttpError>): Result<T, HttpError> {
  const patterns = queryPatterns(url);
  return patterns.ok ? then(patterns.value) : patterns;
}

async function readValidated<T>(req: IncomingMessage, ctx: RouteContext, schema: z.ZodType<T>): Promise<Result<T, HttpError>> {
  const text = await readBody(req, ctx.limits.maxBodyBytes);
  if (!text.ok) return text;
  const json = parseJson(text.value);
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) return err(httpError(400, 'invalid-request', describeIssues(parsed.error)));
  return ok(parsed.data);
}

/**
 * `status`: the rows of the tasks acted on, as the action left them — so a client need not
 * ask again, and learns the outcome even from a foreground `up` that ends right after it.
 */
function respondAction(res: ServerResponse, ctx: RouteContext, result: ControlActionResult): void {
  if (result === undefined) return sendJson(res, 200, { ok: true, tasks: [], status: [] });
  if (result.ok) {
    const acted = new Set(result.value);
    const status = ctx.api.status().filter((row) => acted.has(row.name));
    return sendJson(res, 200, { ok: true, tasks: result.value, status });
  }
  const failure = result.error;
  sendError(res, httpError(failureStatus(failure), failure.reason, failureMessage(failure), { failure }));
}
