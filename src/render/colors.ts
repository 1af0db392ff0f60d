import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours on or off; the CLI decides (TTY, NO_COLOR, FORCE_COLOR) and passes the flag. */
export function makeColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

const PALETTE = ['cyan', 'magenta', 'yellow', 'blue', 'green', 'redBright', 'cyanBright', 'magentaBright'] as const;

/** A stable colour per task name, so `api` has the same colour in every run. */
export function nameColor(colors: Colors, name: string): (text: string) => string {
  let hash = 0;
  const base = name.split(':')[0] ?? name;
  for (let i = 0; i < base.length; i++) hash = (hash * 31 + base.charCodeAt(i)) >>> 0;
  const key = PALETTE[hash % PALETTE.length] ?? 'cyan';
  return colors[key];
}
