import type { ReadySpec } from '../core/ready-spec.js';
import { unreachable } from '../core/result.js';

/** How a task is coloured in graphs: one category per ready strategy kind, some shared. */
export type ReadyCategory = 'log' | 'tcp' | 'http' | 'file' | 'pipe' | 'command' | 'notify' | 'delay' | 'fn' | 'combo' | 'none';

export interface CategoryStyle {
  /** Shown in the legend. */
  label: string;
  /** A CSS/X11 colour name that both Graphviz and Mermaid understand. */
  fill: string;
}

/** Legend order. tcp, file and pipe follow Process Pilot's colours. */
export const CATEGORY_STYLES: Readonly<Record<ReadyCategory, CategoryStyle>> = {
  log: { label: 'log', fill: 'peachpuff' },
  tcp: { label: 'tcp', fill: 'lightblue' },
  http: { label: 'http', fill: 'lavender' },
  file: { label: 'file', fill: 'lightgreen' },
  pipe: { label: 'pipe', fill: 'lightyellow' },
  command: { label: 'command', fill: 'pink' },
  notify: { label: 'notify', fill: 'paleturquoise' },
  delay: { label: 'delay', fill: 'lightgrey' },
  fn: { label: 'function/plugin', fill: 'plum' },
  combo: { label: 'all/any', fill: 'wheat' },
  none: { label: 'none (spawned)', fill: 'white' },
};

export function readyCategory(spec: ReadySpec | undefined): ReadyCategory {
  if (spec === undefined) return 'none';
  switch (spec.kind) {
    case 'log':
    case 'tcp':
    case 'http':
    case 'file':
    case 'pipe':
    case 'command':
    case 'notify':
    case 'delay':
      return spec.kind;
    case 'function':
    case 'plugin':
      return 'fn';
    case 'all':
    case 'any':
      return 'combo';
    default:
      return unreachable(spec);
  }
}

/** The categories used by these tasks, in legend order. */
export function usedCategories(specs: Iterable<ReadySpec | undefined>): ReadyCategory[] {
  const used = new Set<ReadyCategory>();
  for (const spec of specs) used.add(readyCategory(spec));
  return (Object.keys(CATEGORY_STYLES) as ReadyCategory[]).filter((category) => used.has(category));
}
