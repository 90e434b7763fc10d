import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { type GraphNode } from '../dependency/dependency.service';
import {
  ImpactExtensions,
  type DeploymentImpactSource,
  type ImpactedDeployment,
  type ImpactSubject,
} from '../dependency/impact-extensions';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';

/**
 * The deployments module's part of impact analysis: the active deployments (DEPLOYED or
 * SUSPENDED), per environment, whose flow or pin set includes the changed asset or one it
 * affects, with the version each pins of the changed asset. Only deployments in packages the
 * caller may read; the others' flows are already counted in the impact's `hidden`.
 */
@Injectable()
export class DeploymentImpact implements DeploymentImpactSource, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly extensions: ImpactExtensions,
  ) {}

  onModuleInit(): void {
    this.extensions.deploymentImpact = this;
  }

  async deployments(
    subject: ImpactSubject,
    affected: readonly GraphNode[],
    visibility: VisibilityScope,
  ): Promise<ImpactedDeployment[]> {
    const params = new SqlParams();
    const ids = params.bind([subject.id, ...affected.map((node) => node.id)]);
    const subjectId = params.bind(subject.id);
    return queryRows<ImpactedDeployment>(
      this.db.manager,
      `SELECT d.id AS "deploymentId", d.flow_id AS "flowId", f.name AS "flowName",
              d.package_id AS "packageId", e.code AS environment, d.state,
              d.flow_version AS "flowVersion",
              (SELECT (pin->>'version')::int FROM jsonb_array_elements(d.pins) pin
                WHERE pin->>'assetId' = ${subjectId}::text
                ORDER BY (pin->>'version')::int DESC LIMIT 1) AS "pinnedVersion"
         FROM flow_deployments d
         JOIN package_assets f ON f.id = d.flow_id
         JOIN environments e ON e.id = d.environment_id
        WHERE d.state <> 'UNDEPLOYED'
          AND (d.flow_id = ANY(${ids}::uuid[])
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(d.pins) pin
                           WHERE pin->>'assetId' = ANY(${ids}::text[])))
          AND ${visiblePackagesSql(visibility, 'd.package_id', params.bind)}
        ORDER BY f.name, e.position, e.code`,
      params.values,
    );
  }
}
