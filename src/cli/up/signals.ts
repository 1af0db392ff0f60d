import { STDOUT_CLOSED } from '../stdout-closed.js';

export interface SignalHandlers {
  /** First SIGINT/SIGTERM/SIGQUIT/SIGHUP (or stdout closed): graceful; a second SIGINT/SIGTERM/SIGQUIT: force. */
  stop(force: boolean, signal: NodeJS.Signals | 'EPIPE'): void;
  /** SIGUSR1/SIGUSR2 (and SIGHUP when detached) go to every task. */
  forward(signal: NodeJS.Signals): void;
}

export interface SignalOptions {
  /**
   * Detached: SIGHUP is no terminal hanging up (the daemon has none) but someone's
   * deliberate signal, forwarded to the tasks like SIGUSR1 (nginx, for one, reloads on it).
   */
  detached: boolean;
}

/**
 * Installs the handlers; returns a function that removes them. SIGQUIT (Ctrl+\) stops
 * like SIGTERM, as in supervisord: left to Node it would end ignite at once, leaving its
 * socket and state behind and its tasks to the guardian.
 */
export function handleSignals(handlers: SignalHandlers, options: SignalOptions = { detached: false }): () => void {
  const stop: NodeJS.Signals[] = options.detached ? ['SIGINT', 'SIGTERM', 'SIGQUIT'] : ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP'];
  const forward: NodeJS.Signals[] = options.detached ? ['SIGUSR1', 'SIGUSR2', 'SIGHUP'] : ['SIGUSR1', 'SIGUSR2'];
  let stops = 0;
  const onStop = (signal: NodeJS.Signals | 'EPIPE'): void => {
    stops++;
    if (stops === 1) handlers.stop(false, signal);
    else if (signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGQUIT') handlers.stop(true, signal);
  };
  const onForward = (signal: NodeJS.Signals): void => handlers.forward(signal);
  // stdout gone (`ignite up | head -1`): nobody sees the output any more, so stop as on a hang-up
  const onClosed = (): void => onStop('EPIPE');
  for (const signal of stop) process.on(signal, onStop);
  for (const signal of forward) process.on(signal, onForward);
  process.on(STDOUT_CLOSED, onClosed);
  return () => {
    for (const signal of stop) process.off(signal, onStop);
    for (const signal of forward) process.off(signal, onForward);
    process.off(STDOUT_CLOSED, onClosed);
  };
}
