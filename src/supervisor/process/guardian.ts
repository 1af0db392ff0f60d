/**
 * The guardian: a tiny `/bin/sh` (builtins only while it waits, ~1 MB) in its own
 * session, reading `+PGID` / `-PGID` lines from a pipe the supervisor holds. When
 * the pipe hits EOF — which the kernel guarantees even if the supervisor is
 * SIGKILLed — it sends SIGTERM (and SIGCONT, for stopped groups) to every group
 * still recorded, then SIGKILL ~0.3 s later. Then one `grep` over /proc/PID/environ
 * finds what left those groups (setsid, a daemon's double fork) by the run's
 * IGNITE_RUN, which every child inherits, and SIGKILLs it (and its group), as the
 * supervisor's own escape sweep would have; and it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Guardian {
  /** The guardian's pid (undefined when it could not start). */
  readonly pid: number | undefined;
  track(pgid: number): void;
  untrack(pgid: number): void;
  /** Ends the pipe (the guardian then acts on what is still tracked) and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Builtins only while it waits. `t_PGID=1` marks a tracked group (O(1) to add or
 * remove); `$g` lists the pgids ever added, compacted when mostly stale, so the
 * shell never scans a long string per message. At EOF: TERM (+CONT), 0.3 s, KILL,
 * then the escapees of run `$1` (when given), found by their environment.
 */
const SCRIPT = `trap '' INT HUP TERM
g=' '; n=0; live=0
while read -r m; do
  p=\${m#?}
  case $p in ''|*[!0-9]*) continue ;; esac
  eval "f=\\\${t_$p-}"
  case $m in
    +*) [ -z "$f" ] && { eval "t_$p=1"; g="$g$p "; n=$((n+1)); live=$((live+1)); } ;;
    -*) [ -n "$f" ] && { unset "t_$p"; live=$((live-1)); } ;;
  esac
  if [ $n -gt 64 ] && [ $n -gt $((live*2)) ]; then
    h=' '; n=0
    for q in $g; do
      eval "f=\\\${t_$q-}"
      [ "$f" = 1 ] && { h="$h$q "; n=$((n+1)); eval "t_$q=2"; }
    done
    for q in $h; do eval "t_$q=1"; done
    g=$h
  fi
done
k=''
for p in $g; do
  eval "f=\\\${t_$p-}"
  [ "$f" = 1 ] && { k="$k $p"; eval "t_$p=2"; }
done
[ -z "$k" ] && exit 0
for p in $k; do kill -TERM -$p 2>/dev/null; kill -CONT -$p 2>/dev/null; done
sleep 0.3
for p in $k; do kill -KILL -$p 2>/dev/null; done
[ -n "$1" ] || exit 0
for f in $(grep -lzx "IGNITE_RUN=$1" /proc/[0-9]*/environ 2>/dev/null); do
  p=\${f#/proc/}; p=\${p%/environ}
  kill -KILL -$p $p 2>/dev/null
done
exit 0
`;

const CLOSE_TIMEOUT_MS = 3000;

/** `run`: the supervisor's IGNITE_RUN, whose escapees it kills too (a hex id; anything else is ignored). */
export function startGuardian(run?: string): Guardian {
  let child: ChildProcess | undefined;
  const args = run !== undefined && /^[0-9a-f]+$/.test(run) ? ['guardian', run] : [];
  try {
    child = spawn('/bin/sh', ['-c', SCRIPT, ...args], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    child = undefined;
  }
  if (child === undefined) return inert();
  const proc = child;
  let exited = proc.exitCode !== null || proc.signalCode !== null;
  const exit = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      exited = true;
      resolve();
    });
    // a failed spawn emits 'error' and no 'exit'
    proc.once('error', () => {
      exited = true;
      resolve();
    });
  });
  const stdin = proc.stdin;
  // the guardian died (someone killed it): writes fail with EPIPE; nothing to do
  stdin?.on('error', () => undefined);
  proc.unref();
  (stdin as { unref?: () => void } | null)?.unref?.();

  // An untrack waits for the next track or the end of this turn: a respawn's `-old`
  // and `+new` are one write. A track is never delayed: the guardian must know of a
  // group as soon as it exists.
  let untracks = '';
  let flush: NodeJS.Immediate | undefined;
  const send = (message: string): void => {
    if (flush !== undefined) clearImmediate(flush);
    flush = undefined;
    const text = untracks + message;
    untracks = '';
    // no stdin at all when the spawn could not make its pipe (EMFILE)
    if (exited || stdin?.writable !== true || text === '') return;
    stdin.write(text);
  };

  return {
    pid: proc.pid,
    track(pgid) {
      if (isPgid(pgid)) send(`+${String(pgid)}\n`);
    },
    untrack(pgid) {
      if (!isPgid(pgid)) return;
      untracks += `-${String(pgid)}\n`;
      flush ??= setImmediate(() => send(''));
    },
    async close() {
      send('');
      if (!exited) stdin?.end();
      // a ref'd timer keeps the event loop alive until the guardian is gone
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (!exited) proc.kill('SIGKILL');
          resolve();
        }, CLOSE_TIMEOUT_MS);
      });
      await Promise.race([exit, timeout]);
      clearTimeout(timer);
    },
  };
}

function isPgid(pgid: number): boolean {
  // never 0 or 1: `kill -0` / `kill -1` would hit our own group or everything
  return Number.isInteger(pgid) && pgid > 1;
}

function inert(): Guardian {
  return {
    pid: undefined,
    track: () => undefined,
    untrack: () => undefined,
    close: () => Promise.resolve(),
  };
}
