import { workAt, type LinearBound } from './json-schema-cost';

/**
 * Where a JSON payload is validated: on the event loop when the schema's linear bound
 * (json-schema-cost.ts) shows the validation is cheap, else in a validator worker under the
 * time limit. Inline is the fast path (no message round trip: a 10 µs document stays 10 µs);
 * the worker is the safe one.
 */

/**
 * Most work (in keyword checks) a validation may do on the event loop. A unit costs 1-5 ns
 * when checks pass and up to ~250 ns when each one fails and ajv builds an error object
 * (measured), so a real document takes well under a millisecond, and the most hostile payload
 * that fits at most ~250 ms: what parsing a 5 MB request body costs, which every JSON route
 * already does on the event loop. The SchemaStore corpus documents estimate 10^3 to 7·10^5.
 */
export const INLINE_WORK_BUDGET = 1_000_000;
/** JSON text longer than this is parsed and validated in a worker whatever the schema. */
export const INLINE_MAX_TEXT = 64 * 1024;
/** Parsed payloads with more values than this go to a worker whatever the schema. */
const INLINE_MAX_VALUES = 20_000;
/** Characters of a string that cost about one more regular expression test per check on it. */
const CHARS_PER_TEST = 64;

/**
 * An upper bound on the work of validating `value`: each value costs the schema's work at its
 * place (below the root's properties by name, then by depth), strings more for their length
 * (patterns, formats, lengths run over every character); when some `uniqueItems` compares
 * pairs, each array also costs its items × the values in the payload. Stops counting past
 * `budget` (returns Infinity), so the walk itself stays cheap.
 */
export function estimatedWork(
  bound: LinearBound | undefined,
  value: unknown,
  budget = INLINE_WORK_BUDGET,
): number {
  if (!bound) return Infinity;
  let total = bound.root * (1 + (typeof value === 'string' ? value.length / CHARS_PER_TEST : 0));
  let values = 1;
  let items = 0;
  /** Adds a value below a child of the root and everything under it; false past the caps. */
  const walk = (node: unknown, work: number[], depth: number, nameLength: number): boolean => {
    const here = workAt(bound, work, depth);
    if (here === undefined) return false;
    const length = (typeof node === 'string' ? node.length : 0) + nameLength;
    total += here * (1 + length / CHARS_PER_TEST);
    values += 1;
    if (total > budget || values > INLINE_MAX_VALUES) return false;
    if (typeof node !== 'object' || node === null) return true;
    if (Array.isArray(node)) {
      items += node.length;
      for (const item of node) if (!walk(item, work, depth + 1, 0)) return false;
    } else {
      const record = node as Record<string, unknown>;
      for (const name in record)
        if (!walk(record[name], work, depth + 1, name.length)) return false;
    }
    return true;
  };
  if (Array.isArray(value)) {
    items += value.length;
    for (let i = 0; i < value.length; i++) {
      if (!walk(value[i], bound.items[i] ?? bound.otherItem, 0, 0)) return Infinity;
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const name in record) {
      const work = bound.properties.get(name) ?? bound.otherProperty;
      if (!walk(record[name], work, 0, name.length)) return Infinity;
    }
  }
  if (bound.quadratic) total += items * values;
  return total > budget ? Infinity : total;
}
