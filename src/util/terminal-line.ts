/**
 * What a terminal shows of a line a program wrote for a terminal of its own: the text
 * after its last `\r` (a progress bar redraws over the start of its line), without its
 * escape sequences (colours, cursor moves, screen clears) and control characters.
 */

/**
 * Whether a line holds an escape sequence, a carriage return or a backspace. Three
 * indexOf are ~5× cheaper than a regular expression over every line of a chatty task.
 */
export const needsCleaning = (line: string): boolean =>
  line.indexOf('\u001b') !== -1 || line.indexOf('\r') !== -1 || line.indexOf('\b') !== -1;

/** CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), another ESC sequence, or a control (C0 but tab, DEL, C1). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -/]*[0-~]?|[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** The text after the line's last `\r` that is followed by any (a trailing `\r` redraws nothing). */
export function lastRedraw(line: string): string {
  const trimmed = line.replace(/\r+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('\r') + 1);
}

/** The line's text as a terminal shows it, colours and all other escapes removed. */
export function plainLine(line: string): string {
  return needsCleaning(line) ? lastRedraw(line).replace(SEQUENCE, '') : line;
}
