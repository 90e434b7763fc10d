import { Controller, Delete, HttpCode, Injectable, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { writeAudit } from '../core/audit/audit-writer';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { NotFoundError, ValidationError } from '../core/errors/app-error';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { EnvironmentService } from '../environment/environment.service';
import { ENVIRONMENT_CODE } from './dto/adapter-environment-input.dto';

/**
 * Takes an adapter out of one environment: its overlay values, the secrets set for that
 * environment (the base configuration's stay) and its last connection test there — what keeps an
 * environment in use (`DELETE /api/environments/{code}` refuses while anything does). Audited
 * with the overlay values and the removed secrets' pointers (`pointers`), never their values.
 */
@Injectable()
export class AdapterEnvironmentReset {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly environments: EnvironmentService,
  ) {}

  reset(packageId: string, adapterId: string, code: string): Promise<void> {
    return runInTransaction(this.db, async (m) => {
      const [adapter] = await queryRows<{ id: string }>(
        m,
        `SELECT id FROM package_assets
          WHERE id = $1 AND package_id = $2 AND type = 'ADAPTER' AND deleted_at IS NULL
          FOR UPDATE`,
        [adapterId, packageId],
      );
      if (!adapter) throw new NotFoundError('Adapter', adapterId);
      const env = await this.environments.byCode(code, m);
      const params = [adapterId, env.id];
      const overlay = await queryRows<{ values: Record<string, unknown> }>(
        m,
        `DELETE FROM adapter_environment_overlays WHERE asset_id = $1 AND environment_id = $2
         RETURNING "values"`,
        params,
      );
      const secrets = await queryRows<{ pointer: string }>(
        m,
        `DELETE FROM adapter_secrets WHERE asset_id = $1 AND environment_id = $2
         RETURNING pointer`,
        params,
      );
      const tests = await queryRows<{ ok: boolean }>(
        m,
        `DELETE FROM adapter_connection_tests WHERE asset_id = $1 AND environment_id = $2
         RETURNING ok`,
        params,
      );
      if (overlay.length + secrets.length + tests.length === 0) return;
      await writeAudit(m, [
        {
          action: 'DELETE',
          entityType: 'adapter_environment',
          entityId: adapterId,
          packageId,
          changes: {
            environment: { before: env.code },
            ...(overlay[0] ? { overlay: { before: overlay[0].values } } : {}),
            ...(secrets.length > 0
              ? { pointers: { before: secrets.map((s) => s.pointer).sort() } }
              : {}),
            ...(tests[0] ? { connectionTest: { before: { ok: tests[0].ok } } } : {}),
          },
        },
      ]);
    });
  }
}

@ApiTags('Adapters')
@Controller('packages/:id/adapters/:adapterId/environments')
export class AdapterEnvironmentResetController {
  constructor(private readonly service: AdapterEnvironmentReset) {}

  @Delete(':env')
  @HttpCode(204)
  @RequirePermission('credential:reveal')
  @ApiOperation({
    operationId: 'resetAdapterEnvironment',
    summary:
      "Remove an adapter's overlay, secrets and last connection test in one environment " +
      '(step-up MFA; audited without secret values)',
  })
  @ApiParam({ name: 'env', example: 'UAT' })
  @ApiNoContentResponse({ description: 'Nothing of the adapter is left in the environment' })
  @ApiProblems(400, 404)
  async reset(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Param('env') env: string,
  ): Promise<void> {
    if (!ENVIRONMENT_CODE.test(env))
      throw ValidationError.of('env', 'must be an environment code such as DEV or PROD');
    await this.service.reset(packageId, adapterId, env);
  }
}
