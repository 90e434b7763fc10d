/**
 * The two PostgreSQL job queue libraries issue 13 chooses between, behind the same few calls the
 * queue bench and the fault experiment need: install the schema, enqueue on a given client (in
 * the caller's transaction or not), count the jobs not yet completed, and the worker settings.
 */
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import PgBoss from 'pg-boss';

/** The task identifier (graphile-worker) / queue name (pg-boss) of the empty bench job. */
export const QUEUE = 'bench';

const silent = new Logger(() => () => undefined);

/** A pg-boss whose calls run on the caller's client (its `db` option), so they join its BEGIN. */
const onClient = (client) => ({ executeSql: (text, values) => client.query(text, values) });

export const LIBRARIES = {
  'graphile-worker': {
    async install(url) {
      await runMigrations({ connectionString: url, logger: silent });
    },
    /**
     * add_job in the caller's transaction, as libs/runtime's graphileJobQueue does (which also
     * passes a job_key and a per-flow queue_name; the bare loop does not). `maxAttempts`: 25 (the
     * library's default, and the runtime's) unless given.
     */
    async producer(url, { maxAttempts = 25 } = {}) {
      return {
        enqueue: (client, data) =>
          client.query(`SELECT graphile_worker.add_job($1, $2::json, max_attempts := $3)`, [
            QUEUE,
            JSON.stringify(data),
            maxAttempts,
          ]),
        close: async () => undefined,
      };
    },
    /** Completed jobs are deleted; failed ones (max_attempts 1) stay and count as not done. */
    remaining: `SELECT count(*)::int AS n FROM graphile_worker._private_jobs`,
    purge: `DELETE FROM graphile_worker._private_jobs`,
    /** The jobs not completed, for the fault experiment's report. */
    stuck: `SELECT (payload->>'id')::int AS id, attempts, locked_at IS NOT NULL AS locked, last_error
              FROM graphile_worker._private_jobs ORDER BY id LIMIT 10`,
    /** Ids of jobs that failed for good (none expected). */
    failed: `SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE attempts >= max_attempts`,
  },
  'pg-boss': {
    /** `queueOptions`: createQueue's options (expireInSeconds, retryLimit, …). */
    async install(url, queueOptions = {}) {
      const boss = new PgBoss({ connectionString: url, max: 2, schedule: false, supervise: false });
      boss.on('error', () => undefined);
      await boss.start();
      await boss.createQueue(QUEUE, queueOptions);
      await boss.stop({ graceful: false, wait: true });
    },
    /** boss.send with the caller's client; pg-boss's own pool stays idle (one connection). */
    async producer(url, sendOptions = {}) {
      const boss = new PgBoss({
        connectionString: url,
        max: 1,
        schedule: false,
        supervise: false,
        migrate: false,
      });
      boss.on('error', () => undefined);
      await boss.start();
      return {
        enqueue: (client, data) => boss.send(QUEUE, data, { ...sendOptions, db: onClient(client) }),
        close: () => boss.stop({ graceful: false, wait: true }),
      };
    },
    /** Completed jobs stay (state 'completed') until archived. */
    remaining: `SELECT count(*)::int AS n FROM pgboss.job WHERE name = '${QUEUE}' AND state < 'completed'`,
    failed: `SELECT count(*)::int AS n FROM pgboss.job WHERE name = '${QUEUE}' AND state = 'failed'`,
    purge: `DELETE FROM pgboss.job WHERE name = '${QUEUE}'`,
    stuck: `SELECT (data->>'id')::int AS id, state, retry_count, started_on IS NOT NULL AS started, output
              FROM pgboss.job WHERE name = '${QUEUE}' AND state < 'completed' ORDER BY 1 LIMIT 10`,
  },
};

export const LIBRARY_NAMES = Object.keys(LIBRARIES);

export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs statements on a short-lived connection to `url`. */
export async function onServer(url, statements) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of [statements].flat()) await client.query(sql);
  } finally {
    await client.end();
  }
}
