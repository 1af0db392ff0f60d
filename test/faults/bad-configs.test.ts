/**
 * The bad-config corpus: each `test/fixtures/bad-configs/NN-name/` holds a wrong
 * config and `expected.txt`, the exact text `ignite validate` must print (paths
 * normalised). Set IGNITE_UPDATE_BAD_CONFIGS=1 to (re)write the expected files.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, useFaults } from './harness.js';

const fault = useFaults();
const CORPUS = fileURLToPath(new URL('../fixtures/bad-configs', import.meta.url));
const cases = readdirSync(CORPUS).filter((name) => /^\d\d-/.test(name)).sort();
const update = process.env.IGNITE_UPDATE_BAD_CONFIGS === '1';

function normalise(text: string, dir: string): string {
  return text.split(dir).join('<dir>').split(ROOT).join('<root>').replace(/\r\n/g, '\n');
}

describe('ignite validate on the bad-config corpus', () => {
  it('holds at least 40 wrong configs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s: exit 2 with the exact expected message', async (name) => {
    // Setup: the wrong config alone in a fresh folder.
    const source = join(CORPUS, name);
    const config = readdirSync(source).find((f) => f.startsWith('ignite.config.'));
    expect(config, `${name} has no ignite.config.*`).toBeDefined();
    copyFileSync(join(source, config ?? ''), join(fault().dir, config ?? ''));
    // Fault: validate it.
    const result = await fault().run(['validate']);
    // Expected: exit code 2 and exactly the text in expected.txt.
    const actual = normalise(result.stdout + result.stderr, fault().dir);
    const expectedFile = join(source, 'expected.txt');
    if (update) writeFileSync(expectedFile, actual);
    // Check:
    expect(result.code, actual).toBe(2);
    expect(existsSync(expectedFile), `${name}/expected.txt is missing`).toBe(true);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
    expect(actual).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });
});
