import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../../src/util/did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the candidate within a small edit distance', () => {
    expect(didYouMean('alwayss', ['always', 'on-failure', 'never'])).toBe('always');
    expect(didYouMean('zzz', ['always', 'on-failure', 'never'])).toBeUndefined();
  });

  it('suggests the one candidate an input abbreviates, and none when several start with it', () => {
    expect(didYouMean('stop', ['continue', 'stop-dependents', 'shutdown'])).toBe('stop-dependents');
    expect(didYouMean('time', ['timeout', 'timestamps'])).toBeUndefined();
    expect(didYouMean('st', ['stop-dependents'])).toBeUndefined();
  });
});
