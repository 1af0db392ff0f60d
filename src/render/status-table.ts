import type { TaskStatus } from '../core/status.js';
import { unreachable } from '../core/result.js';
import { RUNNING_STATES } from '../core/states.js';
import type { Colors } from './colors.js';
import { makeColors } from './colors.js';
import { displayText } from './terminal-text.js';

interface Column {
  header: string;
  cell: (row: TaskStatus, now: number) => string;
  /** Shown only when some row has something to say in it. */
  optional?: (row: TaskStatus) => boolean;
}

const COLUMNS: readonly Column[] = [
  { header: 'NAME', cell: (row) => row.name },
  { header: 'STATE', cell: (row) => row.state },
  { header: 'HEALTH', cell: (row) => row.health ?? '-', optional: (row) => row.health !== null },
  { header: 'PID', cell: (row) => (row.pid === null ? '-' : String(row.pid)) },
  { header: 'UPTIME', cell: uptime },
  { header: 'RESTARTS', cell: (row) => String(row.restarts) },
  { header: 'EXIT', cell: (row) => (row.exitCode === null ? '-' : String(row.exitCode)) },
  { header: 'CPU', cell: (row) => (row.cpu === null ? '-' : `${row.cpu.toFixed(1)}%`) },
  { header: 'MEM', cell: (row) => (row.memory === null ? '-' : formatBytes(row.memory)) },
  { header: 'READY', cell: (row) => row.ready },
  { header: 'DESCRIPTION', cell: (row) => row.description ?? '', optional: (row) => row.description !== null },
];

/**
 * The `ignite ps` table (HEALTH and DESCRIPTION only when a task has one), then why
 * each failed, blocked or restarting task is so. `now` is Date.now(), injected for tests.
 */
export function formatStatusTable(rows: readonly TaskStatus[], now: number, colors: Colors = makeColors(false)): string {
  const columns = COLUMNS.filter((column) => column.optional === undefined || rows.some(column.optional));
  const stateAt = columns.findIndex((column) => column.header === 'STATE');
  const healthAt = columns.findIndex((column) => column.header === 'HEALTH');
  const cells = rows.map((row) => columns.map((column) => column.cell(row, now)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: readonly string[], paint: (i: number, text: string) => string): string =>
    values
      .map((value, i) => paint(i, i === values.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const header = line(
    columns.map((column) => column.header),
    (_, text) => colors.bold(text),
  );
  const paintCell = (r: number, i: number, text: string): string => {
    if (i === stateAt) return paintState(colors, rows[r]?.state, text);
    if (i === healthAt && rows[r]?.health === 'unhealthy') return colors.red(text);
    return text;
  };
  const body = cells.map((c, r) => line(c, (i, text) => paintCell(r, i, text)));
  const why = rows.filter((row) => row.message !== null && EXPLAINED.has(row.state));
  const notes = why.map((row) => `${row.name} (${paintState(colors, row.state, row.state)}): ${displayText(row.message ?? '', colors.isColorSupported)}`);
  return [header, ...body, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n') + '\n';
}

/** States whose row gets a line below the table saying why (the row's `message`). */
const EXPLAINED: ReadonlySet<TaskStatus['state']> = new Set(['failed', 'blocked', 'backoff']);

function paintState(colors: Colors, state: TaskStatus['state'] | undefined, text: string): string {
  switch (state) {
    case 'ready':
    case 'completed':
      return colors.green(text);
    case 'failed':
      return colors.red(text);
    case 'blocked':
    case 'backoff':
      return colors.yellow(text);
    case 'idle':
    case 'pending':
    case 'starting':
    case 'stopping':
    case 'stopped':
    case undefined:
      return colors.dim(text);
    default:
      return unreachable(state);
  }
}

function uptime(row: TaskStatus, now: number): string {
  if (row.startedAt === null || !RUNNING_STATES.has(row.state)) return '-';
  return formatUptime(now - Date.parse(row.startedAt));
}

/** `45s`, `3m12s`, `2h05m`, `3d4h`. */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** `512 B`, `12.3 KB`, `1.5 MB`, `2.0 GB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}
