import { safeWriter, type SafeWriter } from '../../render/writer.js';
import type { CliContext } from '../context.js';

export function safeWriterFor(ctx: CliContext): SafeWriter {
  return safeWriter(ctx.stdout);
}
