import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The flow runtime's own tables (issue 13), apart from the job queue's hot tables (the queue
 * library keeps its jobs in its own schema; a job holds a message id only).
 *
 * - `runtime_messages`: one row per message a deployed flow accepted (the execution record):
 *   its deployment (the pin set it runs on), status, attempts, where to resume and the error.
 *   `origin_id` is the first message of a replay chain (its own id when not a replay): target
 *   effects are keyed by it, so a replay never repeats an effect the original already had.
 * - `runtime_payloads`: message bodies stored once (size-capped bytea) and passed by reference;
 *   their own retention (cleanup skips payloads an open dead letter still needs).
 * - `runtime_steps`: one row per step attempt (timings, error, a size-capped masked snapshot).
 * - `runtime_effects`: the idempotency ledger: one row per (origin message, target node) whose
 *   effect happened; a retried or replayed message skips targets already in it.
 * - `runtime_dead_letters`: messages that failed N attempts, with the error and the failed
 *   step's input, until replayed or discarded.
 */
export class Runtime1765000000000 implements MigrationInterface {
  name = 'Runtime1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE runtime_messages (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        origin_id          uuid NOT NULL,
        replay_of          uuid REFERENCES runtime_messages (id) ON DELETE SET NULL,
        package_id         uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        flow_id            uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        deployment_id      uuid NOT NULL REFERENCES flow_deployments (id) ON DELETE CASCADE,
        environment_id     uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        trigger            text NOT NULL
                           CHECK (trigger IN ('HTTP', 'POLL', 'SCHEDULE', 'MANUAL', 'REPLAY')),
        source_ref         text,
        idempotency_key    text CHECK (length(idempotency_key) <= 200),
        status             text NOT NULL DEFAULT 'QUEUED'
                           CHECK (status IN ('QUEUED', 'RUNNING', 'RETRYING', 'SUCCEEDED',
                                             'DEAD_LETTERED', 'CANCELLED')),
        attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        input_payload_id   uuid,
        resume_node_id     text,
        resume_payload_id  uuid,
        size_bytes         integer NOT NULL DEFAULT 0,
        error              jsonb,
        received_at        timestamptz NOT NULL DEFAULT now(),
        started_at         timestamptz,
        finished_at        timestamptz,
        next_attempt_at    timestamptz,
        duration_ms        integer,
        created_by         text NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX runtime_messages_idempotency ON runtime_messages
         (flow_id, environment_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX runtime_messages_by_flow ON runtime_messages
         (flow_id, environment_id, received_at DESC, id)`,
    );
    await db.query(
      `CREATE INDEX runtime_messages_by_package ON runtime_messages (package_id, received_at DESC, id)`,
    );
    await db.query(
      `CREATE INDEX runtime_messages_by_deployment ON runtime_messages (deployment_id, received_at DESC)`,
    );
    await db.query(
      `CREATE INDEX runtime_messages_waiting ON runtime_messages (received_at)
         WHERE status IN ('QUEUED', 'RUNNING', 'RETRYING')`,
    );
    await db.query(`CREATE INDEX runtime_messages_received ON runtime_messages (received_at)`);
    await db.query(`CREATE INDEX runtime_messages_origin ON runtime_messages (origin_id)`);

    await db.query(`
      CREATE TABLE runtime_payloads (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id    uuid NOT NULL REFERENCES runtime_messages (id) ON DELETE CASCADE,
        role          text NOT NULL CHECK (role IN ('INPUT', 'STEP_INPUT', 'EDITED')),
        node_id       text,
        content_type  text NOT NULL,
        size_bytes    integer NOT NULL CHECK (size_bytes >= 0),
        sha256        text NOT NULL,
        content       bytea NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX runtime_payloads_message ON runtime_payloads (message_id)`);
    await db.query(`CREATE INDEX runtime_payloads_created ON runtime_payloads (created_at)`);

    await db.query(`
      CREATE TABLE runtime_steps (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id   uuid NOT NULL REFERENCES runtime_messages (id) ON DELETE CASCADE,
        attempt      integer NOT NULL CHECK (attempt > 0),
        node_id      text NOT NULL,
        kind         text NOT NULL,
        status       text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED', 'SKIPPED')),
        started_at   timestamptz NOT NULL,
        duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
        detail       jsonb,
        error        jsonb,
        snapshot     text CHECK (length(snapshot) <= 16384)
      )`);
    await db.query(`CREATE INDEX runtime_steps_message ON runtime_steps (message_id, started_at)`);

    await db.query(`
      CREATE TABLE runtime_effects (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        origin_id   uuid NOT NULL,
        node_id     text NOT NULL,
        message_id  uuid NOT NULL REFERENCES runtime_messages (id) ON DELETE CASCADE,
        detail      jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (origin_id, node_id)
      )`);

    await db.query(`
      CREATE TABLE runtime_dead_letters (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id         uuid NOT NULL UNIQUE REFERENCES runtime_messages (id) ON DELETE CASCADE,
        package_id         uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        flow_id            uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        deployment_id      uuid NOT NULL REFERENCES flow_deployments (id) ON DELETE CASCADE,
        environment_id     uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        node_id            text NOT NULL,
        error              jsonb NOT NULL,
        payload_id         uuid REFERENCES runtime_payloads (id) ON DELETE SET NULL,
        attempts           integer NOT NULL,
        status             text NOT NULL DEFAULT 'OPEN'
                           CHECK (status IN ('OPEN', 'REPLAYED', 'DISCARDED')),
        created_at         timestamptz NOT NULL DEFAULT now(),
        resolved_at        timestamptz,
        resolved_by        text,
        replay_message_id  uuid REFERENCES runtime_messages (id) ON DELETE SET NULL
      )`);
    await db.query(
      `CREATE INDEX runtime_dead_letters_open ON runtime_dead_letters
         (package_id, flow_id, created_at DESC, id) WHERE status = 'OPEN'`,
    );
    await db.query(
      `CREATE INDEX runtime_dead_letters_by_flow ON runtime_dead_letters
         (flow_id, environment_id, created_at DESC, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE runtime_dead_letters`);
    await db.query(`DROP TABLE runtime_effects`);
    await db.query(`DROP TABLE runtime_steps`);
    await db.query(`DROP TABLE runtime_payloads`);
    await db.query(`DROP TABLE runtime_messages`);
  }
}
