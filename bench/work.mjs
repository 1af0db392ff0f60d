// The same work for every tool: N /bin/sh children described once, written as scripts.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * kind: 'idle'  — touch a marker, then sleep;
 *       'flood' — print `lines` lines of 100 bytes, then exit 0;
 *       'crash' — append a timestamp to a file, exit 1 at once (respawn latency);
 *       'stubborn' — ignore TERM, touch a marker, sleep (stop timeout).
 */
export function makeWork(dir, tag, count, kind, options = {}) {
  const markers = join(dir, 'markers');
  mkdirSync(markers, { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const children = [];
  for (let i = 0; i < count; i++) {
    const name = `c${i}`;
    const script = join(dir, `${name}.sh`);
    writeFileSync(script, body(kind, { tag, marker: join(markers, name), stamps: join(dir, 'stamps'), lines: options.lines ?? 0 }));
    children.push({ name, script });
  }
  return { dir, tag, markers, children, kind, logDir: join(dir, 'logs') };
}

function body(kind, { tag, marker, stamps, lines }) {
  const head = `export BENCH_TAG=${tag}\n`;
  switch (kind) {
    case 'idle':
      return `${head}: > ${marker}\nexec sleep 100000\n`;
    case 'stubborn':
      return `${head}trap '' TERM\n: > ${marker}\nsleep 100000 &\nwait; wait; wait\n`;
    case 'crash':
      return `${head}date +%s%N >> ${stamps}\nexit 1\n`;
    case 'flood': {
      // 100-byte lines: "NNNNNNN " + 91 x's + newline, produced by awk (not sh) so the producer is fast
      return `${head}exec awk 'BEGIN { pad = sprintf("%91s", ""); gsub(/ /, "x", pad); for (i = 0; i < ${lines}; i++) printf "%07d %s\\n", i, pad }'\n`;
    }
    default:
      throw new Error(`unknown work ${kind}`);
  }
}
