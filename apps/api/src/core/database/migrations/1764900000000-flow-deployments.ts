import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Deployments (issue 12): `flow_deployments` holds one row per deployment of a flow to an
 * environment. Its pin set (`flow_version`, `pins`: the exact version of every asset the flow
 * uses, transitively — the flow's lock file) never changes after the insert (a trigger refuses
 * it); only its per-environment `state` does (DEPLOYED ⇄ SUSPENDED, → UNDEPLOYED when another
 * deployment takes its place or it is undeployed). At most one deployment per flow and
 * environment is active (state DEPLOYED or SUSPENDED): a unique partial index. down() drops it.
 */
export class FlowDeployments1764900000000 implements MigrationInterface {
  name = 'FlowDeployments1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE flow_deployments (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        package_id        uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        flow_id           uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        environment_id    uuid NOT NULL REFERENCES environments (id) ON DELETE RESTRICT,
        flow_version      integer NOT NULL CHECK (flow_version > 0),
        pins              jsonb NOT NULL CHECK (jsonb_typeof(pins) = 'array'),
        origin            text NOT NULL CHECK (origin IN ('DEPLOY', 'PARTIAL_ROLLBACK', 'PROMOTE')),
        based_on          uuid REFERENCES flow_deployments (id) ON DELETE SET NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text NOT NULL,
        state             text NOT NULL CHECK (state IN ('DEPLOYED', 'SUSPENDED', 'UNDEPLOYED')),
        state_changed_at  timestamptz NOT NULL DEFAULT now(),
        state_changed_by  text NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX flow_deployments_one_active ON flow_deployments (flow_id, environment_id)
         WHERE state <> 'UNDEPLOYED'`,
    );
    await db.query(
      `CREATE INDEX flow_deployments_history ON flow_deployments (flow_id, created_at DESC, id)`,
    );
    await db.query(
      `CREATE INDEX flow_deployments_active_by_package ON flow_deployments (package_id)
         WHERE state <> 'UNDEPLOYED'`,
    );
    await db.query(`
      CREATE FUNCTION flow_deployments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id <> OLD.id OR NEW.flow_id <> OLD.flow_id
           OR NEW.environment_id <> OLD.environment_id OR NEW.flow_version <> OLD.flow_version
           OR NEW.pins <> OLD.pins OR NEW.origin <> OLD.origin
           OR NEW.created_at <> OLD.created_at OR NEW.created_by <> OLD.created_by THEN
          RAISE EXCEPTION 'a deployment''s pin set is immutable (deployment %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER flow_deployments_immutable BEFORE UPDATE ON flow_deployments
        FOR EACH ROW EXECUTE FUNCTION flow_deployments_immutable()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE flow_deployments`);
    await db.query(`DROP FUNCTION flow_deployments_immutable()`);
  }
}
