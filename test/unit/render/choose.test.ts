import { describe, expect, it } from 'vitest';
import { chooseRenderer } from '../../../src/render/choose.js';

describe('chooseRenderer', () => {
  it.each([
    { isTTY: true, ci: false, dumb: false, output: undefined, expected: 'pretty' },
    { isTTY: true, ci: false, dumb: true, output: undefined, expected: 'plain' },
    { isTTY: true, ci: false, dumb: true, output: 'pretty', expected: 'pretty' },
    { isTTY: true, ci: true, dumb: false, output: undefined, expected: 'plain' },
    { isTTY: false, ci: false, dumb: false, output: undefined, expected: 'plain' },
    { isTTY: false, ci: true, dumb: false, output: undefined, expected: 'plain' },
    { isTTY: false, ci: true, dumb: false, output: 'pretty', expected: 'pretty' },
    { isTTY: true, ci: false, dumb: false, output: 'json', expected: 'json' },
    { isTTY: true, ci: false, dumb: false, output: 'plain', expected: 'plain' },
    { isTTY: false, ci: false, dumb: false, output: 'json', expected: 'json' },
  ] as const)('picks $expected for tty=$isTTY ci=$ci dumb=$dumb output=$output', ({ isTTY, ci, dumb, output, expected }) => {
    expect(chooseRenderer({ isTTY, ci, dumb, output })).toBe(expected);
  });
});
