export type RendererKind = 'pretty' | 'plain' | 'json';

export interface RendererChoice {
  isTTY: boolean;
  ci: boolean;
  /** TERM=dumb: a terminal that cannot move its cursor back over the list (Emacs' shell, some IDE consoles). */
  dumb: boolean;
  /** The value of `--output`, when given. */
  output: RendererKind | undefined;
}

/** `--output` wins; CI, no TTY or a dumb terminal → plain; a TTY → pretty. */
export function chooseRenderer({ isTTY, ci, dumb, output }: RendererChoice): RendererKind {
  if (output !== undefined) return output;
  if (ci || !isTTY || dumb) return 'plain';
  return 'pretty';
}

export const RENDERER_KINDS: readonly RendererKind[] = ['pretty', 'plain', 'json'];
