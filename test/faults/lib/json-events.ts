/** Parses `ignite up --output json` output into events (ignoring non-JSON lines). */
import type { SupervisorEvent } from '../../../src/core/events.js';

export function parseEvents(text: string): SupervisorEvent[] {
  const events: SupervisorEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as SupervisorEvent);
    } catch {
      // a partial last line
    }
  }
  return events;
}

export function stateAt(events: SupervisorEvent[], task: string, state: string): number {
  const found = events.find((e) => e.type === 'task-state' && e.task === task && e.state === state);
  return found === undefined ? Number.NaN : found.at;
}
