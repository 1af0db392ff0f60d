import type { Duration } from '../core/ready-spec.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_UNITS: readonly string[] = Object.keys(UNITS);
/** Node's timers take at most 2^31 - 1 ms; a longer delay fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2_147_483_647;
const DURATION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$/;

/** `250ms`, `1.5s`, `2m`, `1h`, or a number of milliseconds. Undefined when it is not a duration. */
export function parseDuration(value: Duration): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = UNITS[match[2] ?? 'ms'] ?? 1;
  return Math.round(amount * unit);
}

/** For values already validated: throws on a bad one, which is then an internal error. */
export function toMs(value: Duration): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new Error(`internal error: invalid duration ${JSON.stringify(value)}`);
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m${Math.floor((ms % 60_000) / 1000)}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i;

/** `10MB`, `512kb`, or a number of bytes. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = SIZE.exec(value);
  if (match === null) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}
