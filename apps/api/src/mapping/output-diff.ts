/** One difference between an expected and an actual output, by JSON pointer. */
export interface OutputDifference {
  path: string;
  op: 'added' | 'removed' | 'changed';
  expected?: unknown;
  actual?: unknown;
}

/** At most this many differences are listed (a wholly different output is one long list). */
export const MAX_DIFFERENCES = 200;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The differences between two JSON values, objects key by key (order never matters), arrays
 * item by item (`added`: only in the actual output, `removed`: expected but missing). Values
 * of different types are one `changed` entry.
 */
export function outputDiff(expected: unknown, actual: unknown): OutputDifference[] {
  const out: OutputDifference[] = [];
  const walk = (e: unknown, a: unknown, path: string) => {
    if (out.length >= MAX_DIFFERENCES) return;
    if (isObject(e) && isObject(a)) {
      for (const key of Object.keys(e)) {
        const at = `${path}/${escape(key)}`;
        if (!(key in a)) out.push({ path: at, op: 'removed', expected: e[key] });
        else walk(e[key], a[key], at);
      }
      for (const key of Object.keys(a)) {
        if (!(key in e)) out.push({ path: `${path}/${escape(key)}`, op: 'added', actual: a[key] });
      }
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      const n = Math.max(e.length, a.length);
      for (let i = 0; i < n; i++) {
        const at = `${path}/${i}`;
        if (i >= a.length) out.push({ path: at, op: 'removed', expected: e[i] });
        else if (i >= e.length) out.push({ path: at, op: 'added', actual: a[i] });
        else walk(e[i], a[i], at);
      }
      return;
    }
    if (e !== a) out.push({ path: path || '', op: 'changed', expected: e, actual: a });
  };
  walk(expected, actual, '');
  return out.slice(0, MAX_DIFFERENCES);
}
