export interface SignalHandlers {
  /** First SIGINT/SIGTERM/SIGHUP: graceful; a second SIGINT/SIGTERM: force. */
  stop(force: boolean, signal: NodeJS.Signals): void;
  /** SIGUSR1/SIGUSR2 go to every task. */
  forward(signal: NodeJS.Signals): void;
}

const STOP: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const FORWARD: NodeJS.Signals[] = ['SIGUSR1', 'SIGUSR2'];

/** Installs the handlers; returns a function that removes them. */
export function handleSignals(handlers: SignalHandlers): () => void {
  let stops = 0;
  const onStop = (signal: NodeJS.Signals): void => {
    stops++;
    if (stops === 1) handlers.stop(false, signal);
    else if (signal !== 'SIGHUP') handlers.stop(true, signal);
  };
  const onForward = (signal: NodeJS.Signals): void => handlers.forward(signal);
  for (const signal of STOP) process.on(signal, onStop);
  for (const signal of FORWARD) process.on(signal, onForward);
  return () => {
    for (const signal of STOP) process.off(signal, onStop);
    for (const signal of FORWARD) process.off(signal, onForward);
  };
}
