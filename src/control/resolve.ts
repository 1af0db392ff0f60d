import type { ControlApi } from '../core/model.js';
import type { TaskStatus } from '../core/status.js';
import { err, ok, type Result } from '../core/result.js';
import { failureMessage } from './failure-message.js';
import { httpError, type HttpError } from './http-util.js';
import { patternsSchema, describeIssues } from './schemas.js';
import { noMatch } from '../graph/select.js';

/** `?pattern=a&pattern=b`, validated like a body's `patterns`. */
export function queryPatterns(url: URL): Result<string[], HttpError> {
  const parsed = patternsSchema.safeParse(url.searchParams.getAll('pattern'));
  if (!parsed.success) return err(httpError(400, 'invalid-request', `pattern: ${describeIssues(parsed.error)}`));
  return ok(parsed.data);
}

/**
 * The instances the patterns select, using the engine's own matching (`status`).
 * Nothing matched → the engine's `no-match` failure, with the known names.
 */
export function selectInstances(api: ControlApi, patterns: string[]): Result<TaskStatus[], HttpError> {
  const rows = api.status(patterns.length === 0 ? undefined : patterns);
  if (rows.length > 0 || patterns.length === 0) return ok(rows);
  // every pattern must match: name only those that did not
  const unmatched = patterns.filter((pattern) => api.status([pattern]).length === 0);
  const failure = noMatch(api.status(), unmatched.length > 0 ? unmatched : patterns);
  return err(httpError(404, 'no-match', failureMessage(failure), { failure }));
}
