import { describe, expect, it } from 'vitest';
import { chooseRenderer } from '../../../src/render/choose.js';

describe('chooseRenderer', () => {
  it.each([
    { isTTY: true, ci: false, output: undefined, expected: 'pretty' },
    { isTTY: true, ci: true, output: undefined, expected: 'plain' },
    { isTTY: false, ci: false, output: undefined, expected: 'plain' },
    { isTTY: false, ci: true, output: undefined, expected: 'plain' },
    { isTTY: false, ci: true, output: 'pretty', expected: 'pretty' },
    { isTTY: true, ci: false, output: 'json', expected: 'json' },
    { isTTY: true, ci: false, output: 'plain', expected: 'plain' },
    { isTTY: false, ci: false, output: 'json', expected: 'json' },
  ] as const)('picks $expected for tty=$isTTY ci=$ci output=$output', ({ isTTY, ci, output, expected }) => {
    expect(chooseRenderer({ isTTY, ci, output })).toBe(expected);
  });
});
