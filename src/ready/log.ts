/**
 * `ready.log(regex)`: a line (or the text so far of an unfinished one) on the chosen stream
 * matches, as written or as a terminal shows it. A user writes the regex from what they see,
 * and a tool that colours its output (vite under FORCE_COLOR: `➜  \x1b[1mLocal\x1b[22m:`)
 * or redraws a line with `\r` writes more than that.
 */
import type { LogStream, ReadySpec } from '../core/ready-spec.js';
import { needsCleaning, plainLine } from '../util/terminal-line.js';
import { notYet, READY, recordMiss, settleOnce, type Outcome, type ProbeRun } from './probe.js';

type LogSpec = Extract<ReadySpec, { kind: 'log' }>;

/** A copy without `g`/`y`, whose `lastIndex` would make `test` stateful. */
function stateless(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
}

function matches(pattern: RegExp, line: string): boolean {
  return pattern.test(line) || (needsCleaning(line) && pattern.test(plainLine(line)));
}

function wants(stream: LogStream, actual: 'stdout' | 'stderr'): boolean {
  return stream === 'both' || stream === actual;
}

/** One look: does a recent line match? (`recent()` mixes both streams.) */
export function checkLog(spec: LogSpec, run: ProbeRun): Promise<Outcome> {
  const pattern = stateless(spec.pattern);
  const found = run.output.recent().some((line) => matches(pattern, line));
  return Promise.resolve(found ? READY : notYet(`no output line matches ${String(spec.pattern)}`));
}

export function waitLog(spec: LogSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  const pattern = stateless(spec.pattern);
  return settleOnce(signal, (settle) => {
    // Subscribe before reading recent(), so a line arriving in between is not lost.
    const unsubscribe = run.output.subscribe((line, stream) => {
      if (!matches(pattern, line)) return;
      if (wants(spec.stream, stream)) settle(READY);
      else recordMiss(signal, `a line on ${stream} matched, but only ${spec.stream} counts: ${plainLine(line)}`);
    });
    if (run.output.recent().some((line) => matches(pattern, line))) settle(READY);
    return unsubscribe;
  });
}
