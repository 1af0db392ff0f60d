/**
 * Compiles one selection pattern into a name test. Globs know `*`, `?`, `[ab]`,
 * `[a-z]` and `[!ab]`; every other character is matched literally (escaped, never
 * pasted into a RegExp). Returns undefined for a pattern that cannot compile
 * (an invalid `/regex/`), which then simply matches nothing.
 */
export type NameTest = (name: string) => boolean;

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
const GLOB_META = /[*?[]/;
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

export function compilePattern(pattern: string): NameTest | undefined {
  const literal = REGEX_LITERAL.exec(pattern);
  if (literal !== null) return compileRegex(literal[1] ?? '', literal[2] ?? '');
  if (GLOB_META.test(pattern)) {
    const glob = globToRegExp(pattern);
    return glob === undefined ? undefined : (name) => glob.test(name);
  }
  return (name) => name === pattern;
}

/** Why a pattern cannot compile (`/[/`: "Unterminated character class"), or undefined when it can. */
export function patternError(pattern: string): string | undefined {
  const body = pattern.startsWith('@') ? pattern.slice(1) : pattern;
  if (compilePattern(body) !== undefined) return undefined;
  const literal = REGEX_LITERAL.exec(body);
  if (literal === null) return 'a range in it runs backwards, like [z-a]';
  try {
    new RegExp(literal[1] ?? '', literal[2] ?? '');
    return 'not a valid regular expression';
  } catch (error) {
    return (error as Error).message.replace(/^Invalid (regular expression|flags)[^:]*: (\/.*\/[a-z]*: )?/s, '');
  }
}

function compileRegex(source: string, flags: string): NameTest | undefined {
  try {
    // `g` and `y` would make test() stateful across names.
    const regex = new RegExp(source, flags.replace(/[gy]/g, ''));
    return (name) => regex.test(name);
  } catch {
    return undefined;
  }
}

export function globToRegExp(glob: string): RegExp | undefined {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? '';
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        source += charClass(glob.slice(i + 1, end));
        i = end;
      }
    } else source += escapeRegex(char);
  }
  try {
    return new RegExp(`^${source}$`, 's');
  } catch {
    return undefined; // a reversed range such as [z-a]
  }
}

/** `[!ab]` negates; `-` between two characters is a range; everything else is literal. */
function charClass(body: string): string {
  const negated = body.startsWith('!') && body.length > 1;
  const members = negated ? body.slice(1) : body;
  let out = '';
  for (let i = 0; i < members.length; i++) {
    const char = members[i] ?? '';
    const isRange = char === '-' && i > 0 && i < members.length - 1;
    out += isRange ? '-' : escapeRegex(char);
  }
  return `[${negated ? '^' : ''}${out}]`;
}

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}
