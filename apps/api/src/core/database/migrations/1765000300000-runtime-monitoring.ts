import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Runtime monitoring (issue 13):
 * - `runtime_alert_rules`: what to watch in a package (one flow or all of them) in one
 *   environment — error rate, new dead letters, a stuck queue, a failing post-deployment health
 *   check — and where to say so: a webhook and/or an EMAIL adapter (SMTP) with recipients.
 * - `runtime_alerts`: one row per firing condition (rule + dedupe key, e.g. the flow), FIRING
 *   until the condition clears, then RESOLVED. At most one FIRING row per rule and key, so an
 *   alert is sent once, not at every evaluation. `*_notified` hold the state each channel last
 *   delivered, so a failed delivery is tried again at the next evaluation and never repeated
 *   once it succeeded.
 * - `runtime_deployment_health`: the post-deployment health check of a deployment (its first
 *   messages after it became DEPLOYED): WATCHING, then HEALTHY, FAILING or NO_TRAFFIC.
 */
export class RuntimeMonitoring1765000300000 implements MigrationInterface {
  name = 'RuntimeMonitoring1765000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE runtime_alert_rules (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        package_id        uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        flow_id           uuid REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id    uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind              text NOT NULL
                          CHECK (kind IN ('ERROR_RATE', 'DEAD_LETTERS', 'STUCK_QUEUE', 'HEALTH_CHECK')),
        threshold         double precision NOT NULL CHECK (threshold >= 0),
        window_minutes    integer NOT NULL CHECK (window_minutes BETWEEN 1 AND 10080),
        webhook_url       text CHECK (length(webhook_url) <= 2000),
        email_adapter_id  uuid REFERENCES package_assets (id) ON DELETE SET NULL,
        email_recipients  text[] NOT NULL DEFAULT '{}',
        enabled           boolean NOT NULL DEFAULT true,
        created_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        updated_by        text NOT NULL
      )`);
    await db.query(
      `CREATE INDEX runtime_alert_rules_package ON runtime_alert_rules (package_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE runtime_alerts (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule_id           uuid NOT NULL REFERENCES runtime_alert_rules (id) ON DELETE CASCADE,
        package_id        uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        dedupe_key        text NOT NULL,
        state             text NOT NULL CHECK (state IN ('FIRING', 'RESOLVED')),
        first_fired_at    timestamptz NOT NULL DEFAULT now(),
        last_fired_at     timestamptz NOT NULL DEFAULT now(),
        resolved_at       timestamptz,
        detail            jsonb NOT NULL,
        webhook_notified  text CHECK (webhook_notified IN ('FIRING', 'RESOLVED')),
        email_notified    text CHECK (email_notified IN ('FIRING', 'RESOLVED')),
        delivery_error    text
      )`);
    await db.query(
      `CREATE UNIQUE INDEX runtime_alerts_one_firing ON runtime_alerts (rule_id, dedupe_key)
         WHERE state = 'FIRING'`,
    );
    await db.query(
      `CREATE INDEX runtime_alerts_package ON runtime_alerts (package_id, first_fired_at DESC, id)`,
    );
    await db.query(`
      CREATE TABLE runtime_deployment_health (
        deployment_id     uuid PRIMARY KEY REFERENCES flow_deployments (id) ON DELETE CASCADE,
        package_id        uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        flow_id           uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id    uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        status            text NOT NULL DEFAULT 'WATCHING'
                          CHECK (status IN ('WATCHING', 'HEALTHY', 'FAILING', 'NO_TRAFFIC')),
        watch_from        timestamptz NOT NULL,
        watch_messages    integer NOT NULL,
        watch_until       timestamptz NOT NULL,
        messages_seen     integer NOT NULL DEFAULT 0,
        messages_failed   integer NOT NULL DEFAULT 0,
        decided_at        timestamptz,
        rolled_back_to    uuid REFERENCES flow_deployments (id) ON DELETE SET NULL,
        detail            text
      )`);
    await db.query(
      `CREATE INDEX runtime_deployment_health_watching ON runtime_deployment_health (watch_until)
         WHERE status = 'WATCHING'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE runtime_deployment_health`);
    await db.query(`DROP TABLE runtime_alerts`);
    await db.query(`DROP TABLE runtime_alert_rules`);
  }
}
