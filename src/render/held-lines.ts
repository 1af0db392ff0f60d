/**
 * What the progress view holds back until it ends: task lines and notes, in the order
 * they came. Per task, the first HEAD lines and the last TAIL are kept — a failure's
 * cause is usually at the end — and one notice stands for the lines between, which are
 * in the task's log file.
 */
const HEAD = 200;
const TAIL = 1800;

interface Held {
  text: string | (() => string);
  lines: number;
  dropped: boolean;
}

interface PerTask {
  lines: number;
  tail: Held[];
  tailLines: number;
  skipped: number;
  notice: Held | undefined;
}

export class HeldLines {
  #held: Held[] = [];
  /** Dropped entries still in #held: removed once they are half of it, so it stays near HEAD + TAIL per task. */
  #dropped = 0;
  readonly #tasks = new Map<string, PerTask>();

  /** `notice(count)`: the line that stands for a task's `count` dropped lines. */
  constructor(private readonly notice: (task: string, count: number) => string) {}

  /** `text` holds `lines` of `task`'s lines. */
  task(task: string, text: string, lines = 1): void {
    const held: Held = { text, lines, dropped: false };
    this.#held.push(held);
    const state = this.#stateOf(task);
    if (state.lines < HEAD) {
      state.lines += lines;
      return;
    }
    state.tail.push(held);
    state.tailLines += lines;
    while (state.tailLines > TAIL && state.tail.length > 1) {
      const oldest = state.tail.shift();
      if (oldest !== undefined) this.#drop(task, state, oldest);
    }
  }

  note(text: string): void {
    this.#held.push({ text, lines: 1, dropped: false });
  }

  /** Everything held, in order; empties the holder. */
  drain(): string[] {
    const texts = this.#held.filter((held) => !held.dropped).map((held) => (typeof held.text === 'string' ? held.text : held.text()));
    this.#held = [];
    this.#dropped = 0;
    this.#tasks.clear();
    return texts;
  }

  #stateOf(task: string): PerTask {
    let state = this.#tasks.get(task);
    if (state === undefined) this.#tasks.set(task, (state = { lines: 0, tail: [], tailLines: 0, skipped: 0, notice: undefined }));
    return state;
  }

  #drop(task: string, state: PerTask, held: Held): void {
    held.dropped = true;
    held.text = '';
    state.tailLines -= held.lines;
    state.skipped += held.lines;
    if (state.notice === undefined) {
      // the notice takes the place of the first line dropped: between the head and what follows
      state.notice = { text: () => this.notice(task, state.skipped), lines: 0, dropped: false };
      this.#held.splice(this.#held.indexOf(held), 0, state.notice);
    }
    // a chatty task during a long startup: without this, every line it printed stayed here
    if (++this.#dropped * 2 > this.#held.length) {
      this.#held = this.#held.filter((entry) => !entry.dropped);
      this.#dropped = 0;
    }
  }

  /** Entries kept in memory (held and not yet removed); for the leak test. */
  get size(): number {
    return this.#held.length;
  }
}
