import { type DataSource } from 'typeorm';

import { type SqlClient } from '@integrixs/runtime';

/**
 * The runtime's SqlClient over TypeORM's pool, outside any transaction (each query on a pooled
 * connection of its own): reads and single statements such as a NOTIFY.
 */
export function poolSqlClient(db: DataSource): SqlClient {
  return {
    async query<R extends object>(text: string, values?: unknown[]) {
      const rows: R[] = await db.query(text, values);
      return { rows, rowCount: rows.length };
    },
  };
}
