import { type Pool } from 'pg';

/** Where seeded runtime rows belong: a real deployment of a real flow. */
export interface SeedScope {
  packageId: string;
  flowId: string;
  deploymentId: string;
  environmentId: string;
}

/** The scope of a deployment (its package, flow and environment). */
export async function scopeOf(pool: Pool, deploymentId: string): Promise<SeedScope> {
  const { rows } = await pool.query<{
    package_id: string;
    flow_id: string;
    environment_id: string;
  }>(`SELECT package_id, flow_id, environment_id FROM flow_deployments WHERE id = $1`, [
    deploymentId,
  ]);
  return {
    packageId: rows[0].package_id,
    flowId: rows[0].flow_id,
    deploymentId,
    environmentId: rows[0].environment_id,
  };
}

/**
 * Inserts a runtime message (as the engine leaves it) received `ageMinutes` ago, with an INPUT
 * payload stored `payloadAgeMinutes` ago (default: with the message); returns the ids.
 */
export async function seedMessage(
  pool: Pool,
  scope: SeedScope,
  options: {
    status: string;
    ageMinutes?: number;
    payloadAgeMinutes?: number;
    attempts?: number;
  },
): Promise<{ messageId: string; payloadId: string }> {
  const age = options.ageMinutes ?? 0;
  const { rows } = await pool.query<{ id: string }>(
    `WITH new_id AS (SELECT gen_random_uuid() AS id)
     INSERT INTO runtime_messages (id, origin_id, package_id, flow_id, deployment_id,
                                   environment_id, trigger, status, attempts, received_at,
                                   finished_at, created_by)
     SELECT id, id, $1, $2, $3, $4, 'HTTP', $5, $6, now() - make_interval(mins => $7),
            CASE WHEN $5 IN ('SUCCEEDED', 'DEAD_LETTERED', 'CANCELLED')
                 THEN now() - make_interval(mins => $7) END, 'test'
       FROM new_id RETURNING id`,
    [
      scope.packageId,
      scope.flowId,
      scope.deploymentId,
      scope.environmentId,
      options.status,
      options.attempts ?? 1,
      age,
    ],
  );
  const messageId = rows[0].id;
  const payload = await pool.query<{ id: string }>(
    `INSERT INTO runtime_payloads (message_id, role, content_type, size_bytes, sha256, content,
                                   created_at)
     VALUES ($1, 'INPUT', 'application/json', 2, 'x', '\\x7b7d',
             now() - make_interval(mins => $2)) RETURNING id`,
    [messageId, options.payloadAgeMinutes ?? age],
  );
  await pool.query(`UPDATE runtime_messages SET input_payload_id = $2 WHERE id = $1`, [
    messageId,
    payload.rows[0].id,
  ]);
  return { messageId, payloadId: payload.rows[0].id };
}

/** A dead letter for a DEAD_LETTERED message, created `ageMinutes` ago, pointing at its payload. */
export async function seedDeadLetter(
  pool: Pool,
  scope: SeedScope,
  message: { messageId: string; payloadId: string },
  options: { status?: string; ageMinutes?: number } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO runtime_dead_letters (message_id, package_id, flow_id, deployment_id,
                                       environment_id, node_id, error, payload_id, attempts,
                                       status, created_at)
     VALUES ($1, $2, $3, $4, $5, 'send', '{"code":"ECONNREFUSED","message":"refused"}', $6, 3,
             $7, now() - make_interval(mins => $8)) RETURNING id`,
    [
      message.messageId,
      scope.packageId,
      scope.flowId,
      scope.deploymentId,
      scope.environmentId,
      message.payloadId,
      options.status ?? 'OPEN',
      options.ageMinutes ?? 0,
    ],
  );
  return rows[0].id;
}
