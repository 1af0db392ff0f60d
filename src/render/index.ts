/** Everything a person sees. Only render/ and cli/ import listr2 or picocolors. */
export { chooseRenderer, RENDERER_KINDS, type RendererKind, type RendererChoice } from './choose.js';
export { formatFailure, describeFailure } from '../core/failure-text.js';
export { formatStatusTable, formatUptime, formatBytes } from './status-table.js';
export { LineFormatter } from './lines.js';
export { makeColors, type Colors } from './colors.js';
export { createPlainRenderer } from './plain.js';
export { createJsonRenderer } from './json.js';
export { safeWriter, type SafeWriter } from './writer.js';
export type { Renderer, RendererOptions } from './types.js';
