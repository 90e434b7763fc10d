/**
 * Where JSON text first nests arrays and objects deeper than `maxDepth`, or -1 when it does not.
 * One linear pass that skips strings; it runs before `JSON.parse` and before any recursive walk,
 * so a body nested a million deep is refused in milliseconds instead of overflowing a stack.
 * It does not check syntax: the parser that runs next does.
 */
export function jsonNestingBeyond(text: string, maxDepth: number): number {
  if (!openersExceed(text, maxDepth)) return -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i++;
        else if (c === 0x22) break;
      }
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth--;
    }
  }
  return -1;
}

/**
 * Whether the text has more than `limit` `{` and `[` in all (strings included: an upper bound).
 * Nesting can only exceed the cap with more openers than the cap, and `indexOf` is native, so an
 * ordinary body never pays for the character-by-character scan.
 */
function openersExceed(text: string, limit: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    for (let i = text.indexOf(opener); i !== -1; i = text.indexOf(opener, i + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}
