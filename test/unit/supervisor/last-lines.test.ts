import { describe, expect, it } from 'vitest';
import { lastOwnLines } from '../../../src/supervisor/output/last-lines.js';

describe('the lines a failure quotes', () => {
  it("leaves out npm's report after a failed script, old and new, coloured or not", () => {
    const own = ['> dev', 'Error: Port 5173 is already in use'];
    expect(lastOwnLines([...own, 'npm error code 1', 'npm error command failed'], 10)).toEqual(own);
    expect(lastOwnLines([...own, 'npm ERR! code ELIFECYCLE', 'npm ERR!'], 10)).toEqual(own);
    expect(lastOwnLines([...own, '\u001b[31mnpm\u001b[39m \u001b[41merror\u001b[49m code 1'], 10)).toEqual(own);
  });

  it("keeps npm's lines when npm is all there is, or when the program spoke after them", () => {
    expect(lastOwnLines(['npm error could not determine executable to run'], 10)).toEqual(['npm error could not determine executable to run']);
    expect(lastOwnLines(['npm error one', 'my own last line'], 10)).toEqual(['npm error one', 'my own last line']);
  });

  it('takes the last `count` of the remaining lines', () => {
    expect(lastOwnLines(['1', '2', '3', 'npm error x'], 2)).toEqual(['2', '3']);
  });
});
