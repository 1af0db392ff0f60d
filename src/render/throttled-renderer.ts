import { DefaultRenderer } from 'listr2';

/** How often, at most, the list is redrawn. */
export const REDRAW_MS = 50;

/**
 * listr2's default renderer redraws the whole list, re-wrapping every line, on each title,
 * output or state change of any task: thirty tasks printing at startup cost seconds of CPU
 * in redraws nobody could see. This one redraws at most every REDRAW_MS, showing the latest
 * state; the spinner's ticks go the same way, and `end()` draws the final list at once.
 */
export class ThrottledRenderer extends DefaultRenderer {
  #pending: NodeJS.Timeout | undefined;

  override update(): void {
    this.#pending ??= setTimeout(() => {
      this.#pending = undefined;
      super.update();
    }, REDRAW_MS);
  }

  override end(): void {
    clearTimeout(this.#pending);
    this.#pending = undefined;
    super.end();
  }
}
