export type RendererKind = 'pretty' | 'plain' | 'json';

export interface RendererChoice {
  isTTY: boolean;
  ci: boolean;
  /** The value of `--output`, when given. */
  output: RendererKind | undefined;
}

/** `--output` wins; CI or no TTY → plain; a TTY → pretty. */
export function chooseRenderer({ isTTY, ci, output }: RendererChoice): RendererKind {
  if (output !== undefined) return output;
  if (ci || !isTTY) return 'plain';
  return 'pretty';
}

export const RENDERER_KINDS: readonly RendererKind[] = ['pretty', 'plain', 'json'];
