/**
 * The baseline: the smallest server that answers the benchmarked routes with the same SQL the API
 * issues and the same JSON, on raw Fastify + pg with the API's pool size. What the API costs above
 * it is the framework (Nest, validation, TypeORM, hooks). Run by run.mjs as a child process;
 * reads DATABASE_URL, PORT, HOST and DATABASE_POOL_SIZE like the API.
 */
import Fastify from 'fastify';
import pg from 'pg';

import { BASELINE_ROUTES } from './baseline-routes/index.mjs';

if (!process.env.DATABASE_URL) {
  process.stderr.write('baseline-server: DATABASE_URL is required\n');
  process.exit(78);
}

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  idleTimeoutMillis: 30000,
  application_name: 'integrixs-bench-baseline',
});
pool.on('error', (error) => process.stderr.write(`pool error: ${error.message}\n`));

const app = Fastify({ logger: false });
app.get('/api/health', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok' };
});
for (const register of BASELINE_ROUTES) register(app, pool);

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}
