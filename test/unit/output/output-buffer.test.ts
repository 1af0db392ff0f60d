import { describe, it, expect } from 'vitest';
import { OutputBuffer } from '../../../src/supervisor/output/output-buffer.js';
import { LineFramer } from '../../../src/supervisor/output/line-framer.js';

describe('OutputBuffer', () => {
  it('keeps the most recent lines of both streams, oldest first', () => {
    const buffer = new OutputBuffer(3);
    expect(buffer.recent()).toEqual([]);
    buffer.push('a', 'stdout');
    buffer.push('b', 'stderr');
    expect(buffer.recent()).toEqual(['a', 'b']);
    buffer.push('c', 'stdout');
    buffer.push('d', 'stdout');
    buffer.push('e', 'stderr');
    expect(buffer.recent()).toEqual(['c', 'd', 'e']);
  });

  it('keeps 50 lines by default', () => {
    const buffer = new OutputBuffer();
    for (let i = 0; i < 120; i++) buffer.push(`line ${i}`, 'stdout');
    const recent = buffer.recent();
    expect(recent).toHaveLength(50);
    expect(recent[0]).toBe('line 70');
    expect(recent.at(-1)).toBe('line 119');
  });

  it('tells subscribers about every line and partial until they unsubscribe', () => {
    const buffer = new OutputBuffer();
    const seen: string[] = [];
    const unsubscribe = buffer.subscribe((line, stream, partial) => seen.push(`${stream}:${partial}:${line}`));
    buffer.push('one', 'stdout');
    buffer.partial('Pass', 'stderr');
    unsubscribe();
    buffer.push('two', 'stdout');
    expect(seen).toEqual(['stdout:false:one', 'stderr:true:Pass']);
    expect(buffer.recent()).toEqual(['one', 'two']);
  });

  it('lets a listener unsubscribe while being notified without skipping the others', () => {
    const buffer = new OutputBuffer();
    const seen: string[] = [];
    const first = buffer.subscribe(() => first());
    buffer.subscribe((line) => seen.push(line));
    buffer.push('x', 'stdout');
    buffer.push('y', 'stdout');
    expect(seen).toEqual(['x', 'y']);
  });

  it('is a LineSink a framer can feed directly', () => {
    const buffer = new OutputBuffer();
    const partials: string[] = [];
    buffer.subscribe((line, _stream, partial) => {
      if (partial) partials.push(line);
    });
    const framer = new LineFramer('stdout', buffer);
    framer.push(Buffer.from('ready\nprompt> '));
    expect(buffer.recent()).toEqual(['ready']);
    expect(partials).toEqual(['prompt> ']);
  });
});
