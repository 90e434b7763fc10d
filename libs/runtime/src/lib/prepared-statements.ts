import { createHash } from 'node:crypto';

import { Client, type QueryConfig } from 'pg';

/** Registered statement text → its name (one per text, the same in every process). */
const NAMES = new Map<string, string>();

/**
 * Marks a constant SQL text as one PostgreSQL parses and plans once per connection (a
 * node-postgres named statement) instead of on every call: the runtime's per-message statements,
 * whose planning cost more than their execution (docs/benchmarks.md). Returns `text` unchanged,
 * so the call sites keep passing plain text; a {@link PreparingClient} does the rest. Only
 * constant texts belong here (each one stays prepared on every connection that ran it).
 */
export function prepared(text: string): string {
  if (!NAMES.has(text))
    NAMES.set(text, `ix_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`);
  return text;
}

/**
 * A node-postgres client that runs the texts registered with {@link prepared} as named
 * statements; every other query as usual. Give it to a pool as `Client` (pg's Pool option, and
 * TypeORM's `extra.Client`).
 */
export class PreparingClient extends Client {
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const name = typeof text === 'string' && Array.isArray(values) ? NAMES.get(text) : undefined;
    const config: QueryConfig | undefined = name
      ? { name, text: text as string, values: values as unknown[] }
      : undefined;
    const passed = !config ? args : callback === undefined ? [config] : [config, callback];
    // Typed as one overload: node-postgres picks the form by the arguments at run time.
    return super.query(...(passed as [string])) as never;
  }
}
