import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { writeAudit } from '../core/audit/audit-writer';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { AppError, NotFoundError } from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { type CreateEnvironmentDto, type EnvironmentDto } from './environment.dto';

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
}
