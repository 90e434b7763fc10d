import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { writeAudit } from '../core/audit/audit-writer';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import {
  AppError,
  NotFoundError,
  StateConflictError,
  ValidationError,
} from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { type VisibilityScope } from '../identity/principal';
import { EnvironmentInUseError, environmentUsers } from './environment-usage';
import {
  type CreateEnvironmentDto,
  type EnvironmentDto,
  type UpdateEnvironmentDto,
} from './environment.dto';

const COLUMNS = 'id, code, name, protected';

/** 409: the code names an environment already (codes are what URLs and overlays refer to). */
export class EnvironmentCodeConflictError extends AppError {
  readonly status = 409;
  readonly code = 'name_conflict';
  readonly title = 'The name is already taken';

  constructor(code: string) {
    super(`an environment with code ${code} already exists`);
    this.errors.push({ path: 'code', message: 'already taken', code: 'unique' });
  }
}

/**
 * Deployment environments (DEV, TEST, PROD seeded; administrators add more). Adapters keep an
 * overlay and credentials per environment; `protected` will gate deployments.
 */
@Injectable()
export class EnvironmentService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(): Promise<EnvironmentDto[]> {
    return queryRows<EnvironmentDto>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM environments ORDER BY position, code`,
    );
  }

  /** The environment with `code`; 404 naming the code otherwise. */
  async byCode(code: string, m: EntityManager = this.db.manager): Promise<EnvironmentDto> {
    const [row] = await queryRows<EnvironmentDto>(
      m,
      `SELECT ${COLUMNS} FROM environments WHERE code = $1`,
      [code],
    );
    if (!row) throw new NotFoundError('Environment', code);
    return row;
  }

  create(dto: CreateEnvironmentDto): Promise<EnvironmentDto> {
    return runInTransaction(this.db, async (m) => {
      const [row] = await queryRows<EnvironmentDto>(
        m,
        `INSERT INTO environments (code, name, protected, position, created_by)
         SELECT $1, $2, $3, coalesce(max(position), 0) + 10, $4 FROM environments
         ON CONFLICT (code) DO NOTHING
         RETURNING ${COLUMNS}`,
        [dto.code, dto.name, dto.protected ?? false, currentActor()],
      );
      if (!row) throw new EnvironmentCodeConflictError(dto.code);
      await writeAudit(m, [
        {
          action: 'CREATE',
          entityType: 'environment',
          entityId: row.id,
          packageId: null,
          changes: { code: { after: row.code }, protected: { after: row.protected } },
        },
      ]);
      return row;
    });
  }

  /** Renames the environment and/or sets its protected flag (audited; unchanged: no audit row). */
  update(code: string, dto: UpdateEnvironmentDto): Promise<EnvironmentDto> {
    if (dto.name === undefined && dto.protected === undefined)
      throw ValidationError.of('name', 'send a new name, protected, or both', 'required');
    return runInTransaction(this.db, async (m) => {
      const before = await this.locked(m, code);
      const after = {
        ...before,
        name: dto.name ?? before.name,
        protected: dto.protected ?? before.protected,
      };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const key of ['name', 'protected'] as const)
        if (before[key] !== after[key]) changes[key] = { before: before[key], after: after[key] };
      if (Object.keys(changes).length === 0) return before;
      await m.query(`UPDATE environments SET name = $2, protected = $3 WHERE id = $1`, [
        before.id,
        after.name,
        after.protected,
      ]);
      await writeAudit(m, [
        {
          action: 'UPDATE',
          entityType: 'environment',
          entityId: before.id,
          packageId: null,
          changes,
        },
      ]);
      return after;
    });
  }

  /**
   * Deletes an environment nobody uses: 409 while it is protected, is the last one, or adapters
   * keep values, secrets or test results in it (naming those the caller can read). The row lock
   * waits for writers that reference the environment and keeps new ones out until the end.
   */
  delete(code: string, visibility: VisibilityScope): Promise<void> {
    return runInTransaction(this.db, async (m) => {
      const env = await this.locked(m, code);
      if (env.protected)
        throw new StateConflictError(
          `environment ${env.code} is protected: unprotect it (PATCH protected=false) before deleting it`,
          'protected',
        );
      const [{ n }] = await queryRows<{ n: number }>(
        m,
        `SELECT count(*)::int AS n FROM environments`,
      );
      if (n <= 1)
        throw new StateConflictError(
          `environment ${env.code} is the last one and cannot be deleted`,
        );
      const users = await environmentUsers(m, env.id, visibility);
      if (users.visible.length > 0 || users.hidden)
        throw new EnvironmentInUseError(env.code, users);
      await m.query(`DELETE FROM environments WHERE id = $1`, [env.id]);
      await writeAudit(m, [
        {
          action: 'DELETE',
          entityType: 'environment',
          entityId: env.id,
          packageId: null,
          changes: {
            code: { before: env.code },
            name: { before: env.name },
            protected: { before: env.protected },
          },
        },
      ]);
    });
  }

  /** The environment row locked for update (404 naming the code). */
  private async locked(m: EntityManager, code: string): Promise<EnvironmentDto> {
    const [row] = await queryRows<EnvironmentDto>(
      m,
      `SELECT ${COLUMNS} FROM environments WHERE code = $1 FOR UPDATE`,
      [code],
    );
    if (!row) throw new NotFoundError('Environment', code);
    return row;
  }
}
