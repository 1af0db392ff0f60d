/**
 * Ready strategies as plain data: the `ready` builders produce these, config
 * validation checks them, and `src/ready/` runs them. No behaviour lives here.
 */
export type Duration = number | string;

export interface ReadyContext {
  /** The task instance name (`api`, or `api:1` for a replica). */
  task: string;
  pid: number;
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** The task's most recent output lines, oldest first. */
  lines: readonly string[];
  /** Aborted when the attempt is abandoned (timeout, stop, exit). */
  signal: AbortSignal;
}

export type ReadyFunction = (ctx: ReadyContext) => boolean | Promise<boolean>;
export type PluginReadyFunction = (params: unknown, ctx: ReadyContext) => boolean | Promise<boolean>;

export type LogStream = 'stdout' | 'stderr' | 'both';

export type ReadySpec =
  | { kind: 'log'; pattern: RegExp; stream: LogStream }
  | { kind: 'delay'; duration: Duration }
  /** `host` undefined: this machine's loopback, 127.0.0.1 or ::1 (what `localhost` may resolve to). */
  | { kind: 'tcp'; host: string | undefined; port: number }
  | {
      kind: 'http';
      url: string;
      status: number | number[] | undefined;
      method: string;
      headers: Record<string, string>;
      timeout: Duration | undefined;
    }
  | { kind: 'file'; path: string }
  | { kind: 'pipe' }
  | { kind: 'command'; command: string | string[]; timeout: Duration | undefined }
  | { kind: 'notify' }
  | { kind: 'all'; strategies: ReadySpec[] }
  | { kind: 'any'; strategies: ReadySpec[] }
  | { kind: 'function'; fn: ReadyFunction; label: string }
  | { kind: 'plugin'; name: string; params: unknown };

export type ReadyKind = ReadySpec['kind'];

/** A short human label for a strategy: `tcp:5432`, `log:/listening/`, `log:stderr:/up/`, `all(tcp:80, file:x)`. */
export function describeReady(spec: ReadySpec | undefined): string {
  if (spec === undefined) return 'spawned';
  switch (spec.kind) {
    case 'log':
      // one stream only: say which, or a match on the other stream looks like a pass
      return spec.stream === 'both' ? `log:${String(spec.pattern)}` : `log:${spec.stream}:${String(spec.pattern)}`;
    case 'delay':
      return `delay:${String(spec.duration)}`;
    case 'tcp':
      return spec.host === undefined ? `tcp:${spec.port}` : `tcp:${hostPort(spec.host, spec.port)}`;
    case 'http':
      return `http:${spec.url}`;
    case 'file':
      return `file:${spec.path}`;
    case 'pipe':
      return 'pipe';
    case 'command':
      return `command:${Array.isArray(spec.command) ? spec.command.join(' ') : spec.command}`;
    case 'notify':
      return 'notify';
    case 'all':
      return `all(${spec.strategies.map(describeReady).join(', ')})`;
    case 'any':
      return `any(${spec.strategies.map(describeReady).join(', ')})`;
    case 'function':
      return `function:${spec.label}`;
    case 'plugin':
      return `plugin:${spec.name}`;
  }
}

/** `127.0.0.1:5432`, `[::1]:5432`. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The checks a strategy is made of: itself, or the leaves under its all/any. */
export function leafChecks(spec: ReadySpec | undefined): ReadySpec[] {
  if (spec === undefined) return [];
  return spec.kind === 'all' || spec.kind === 'any' ? spec.strategies.flatMap(leafChecks) : [spec];
}
