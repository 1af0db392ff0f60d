import { z } from 'zod';
import { MAX_LOG_LINES, SIGNALS } from './types.js';

export const MAX_PATTERNS = 100;
export const MAX_PATTERN_LENGTH = 256;

export const patternsSchema = z
  .array(z.string().max(MAX_PATTERN_LENGTH, `a pattern is at most ${MAX_PATTERN_LENGTH} characters`))
  .max(MAX_PATTERNS, `at most ${MAX_PATTERNS} patterns`);

/** An action names what it acts on: an empty list is a mistake, not "nothing" or "everything". */
const actionPatterns = patternsSchema.min(1, 'at least one');
export const actionBody = z.strictObject({ patterns: actionPatterns });
export const killBody = z.strictObject({ patterns: actionPatterns, signal: z.enum(SIGNALS).optional() });
/** The body of `down` and `reload`: an empty object. */
export const emptyBody = z.strictObject({});

export const linesSchema = z.coerce
  .number()
  .int('a whole number of lines')
  .min(0, 'a whole number of lines')
  .max(MAX_LOG_LINES, `at most ${MAX_LOG_LINES}`);

/** `patterns[0]: a pattern is at most 256 characters` — the first few issues, one line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
      const where = path.replace(/^\./, '');
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('; ');
}
