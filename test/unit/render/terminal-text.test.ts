import { describe, expect, it } from 'vitest';
import { makeColors } from '../../../src/render/colors.js';
import { LineFormatter } from '../../../src/render/lines.js';
import { formatStatusTable } from '../../../src/render/status-table.js';
import { displayLine, displayLines } from '../../../src/render/terminal-text.js';

const ESC = '\u001b';

describe('displayLine', () => {
  it.each([
    ['a plain line', 'listening on 3000', 'listening on 3000'],
    ['tabs', 'a\tb', 'a\tb'],
    ['a \\r progress bar: what the terminal ends up showing', 'progress 10%\rprogress 50%\rprogress 100%', 'progress 100%'],
    ['a trailing \\r', 'done\r', 'done'],
    ['cursor moves and a screen clear', `${ESC}[2J${ESC}[H${ESC}[5Aafter${ESC}[K clear`, 'after clear'],
    ['a window title (OSC, BEL or ST)', `a${ESC}]0;title\u0007b${ESC}]2;t${ESC}\\c`, 'abc'],
    ['backspaces, bells and other controls', 'ab\b\b\bc\u0007\u000b\u0000d', 'abcd'],
    ['a lone ESC', `x${ESC}`, 'x'],
  ])('%s', (_title, line, shown) => {
    expect(displayLine(line, true)).toBe(shown);
    expect(displayLine(line, false)).toBe(shown);
  });

  it('keeps colours, reset at the end of the line, when colours are on; drops them when off', () => {
    const line = `${ESC}[44mblue background never reset`;
    expect(displayLine(line, true)).toBe(`${line}${ESC}[0m`);
    expect(displayLine(line, false)).toBe('blue background never reset');
  });

  it('returns the same array when no line needs a change', () => {
    const lines = ['a', 'b\tc'];
    expect(displayLines(lines, true)).toBe(lines);
    expect(displayLines(['a', 'b\rc'], true)).toEqual(['a', 'c']);
  });
});

describe('a task line under its prefix', () => {
  it("keeps the prefix and does not colour or move over other tasks' lines", () => {
    const formatter = new LineFormatter(makeColors(true), ['weird', 'other']);
    const text = formatter.outputLines('weird', [`${ESC}[44mno reset`, 'half\rwhole', `${ESC}[2Jcleared`]) + '\n' + formatter.output('other', 'fine');
    // eslint-disable-next-line no-control-regex -- removing escape sequences
    const plain = text.replaceAll(/\u001b\[[0-9;]*m/g, '');
    expect(plain.split('\n')).toEqual(['weird | no reset', 'weird | whole', 'weird | cleared', 'other | fine']);
    // the background set by weird's first line ends with that line
    expect(text.split('\n')[0]?.endsWith(`${ESC}[0m`)).toBe(true);
    expect(text).not.toContain(`${ESC}[2J`);
  });
});

describe("a failure quoting a task's last lines", () => {
  const failure = { reason: 'exited', task: 'migrate', code: 3, signal: null, expected: [0], lastLines: ['migrating', 'step 1\rstep 2'] } as const;

  it("keeps each quoted line under its │ in a failed task's state line", () => {
    const formatter = new LineFormatter(makeColors(false), ['migrate']);
    const text = formatter.format({ type: 'task-state', task: 'migrate', state: 'failed', previous: 'starting', at: 0, failure: { ...failure, expected: [0], lastLines: [...failure.lastLines] } });
    expect(text?.split('\n')).toEqual(['migrate ✖ failed: exited with code 3; last output:', '            │ migrating', '            │ step 2']);
  });

  it('shows a last line without its cursor moves below the ps table', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    const row = { name: 'seed', task: 'seed', state: 'failed', pid: null, restarts: 0, exitCode: 3, startedAt: null, readyAt: null, cpu: null, memory: null, ready: 'spawned', health: null, description: null, tags: [], message: `exited with code 3; last output: ${ESC}[31mERROR${ESC}[2K\rduplicate key`, command: 'seed', endedAt: null, reason: 'exited' } as const;
    expect(formatStatusTable([{ ...row, tags: [] }], now).trimEnd().split('\n').at(-1)).toBe('seed (failed): exited with code 3; last output: ERRORduplicate key');
  });
});
