import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { SqlParams } from '../core/database/sql-params';
import { type KeysetOrder } from '../core/listing/cursor';
import { sqlKeysetPage, type Page } from '../core/listing/keyset-page';
import { actorNameSql } from '../identity/actor-names';
import { type AuditEntryDto, type AuditQueryDto } from './dto/audit.dto';

interface AuditRow {
  id: string;
  occurred_at: string;
  actor: string;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  package_id: string | null;
  changes: Record<string, unknown>;
  request_id: string | null;
}

/** Newest first; the id breaks ties between entries of the same instant. */
const NEWEST_FIRST: KeysetOrder = {
  name: '-occurredAt',
  descending: true,
  keys: [
    { sql: 'occurred_at', type: 'timestamptz' },
    { sql: 'id', type: 'uuid' },
  ],
};

/** Entity types whose entries are about a user (entity_id is the user): their account and memberships. */
const ABOUT_A_USER = ['user', 'package_member'];

/** Reads the append-only audit log, newest first, with keyset pagination. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The log, or one package's (`packageId`), or only the entries about one user (`subject`):
   * changes to their account and to their package memberships, e.g. who added them where.
   */
  async list(
    query: AuditQueryDto,
    packageId?: string,
    subject?: string,
  ): Promise<Page<AuditEntryDto>> {
    const params = new SqlParams();
    const where: string[] = [];
    const is = (column: string, value: unknown) => where.push(`${column} = ${params.bind(value)}`);
    if (subject !== undefined) {
      is('entity_id', subject);
      where.push(`entity_type = ANY(CAST(${params.bind(ABOUT_A_USER)} AS text[]))`);
    }
    const scopePackage = packageId ?? query.packageId;
    if (scopePackage) is('package_id', scopePackage);
    if (query.actor) is('actor', query.actor);
    if (query.entityType) is('entity_type', query.entityType);
    if (query.entityId) is('entity_id', query.entityId);
    if (query.action) is('action', query.action);
    if (query.from) where.push(`occurred_at >= ${params.bind(query.from)}`);
    if (query.to) where.push(`occurred_at < ${params.bind(query.to)}`);
    const page = await sqlKeysetPage<AuditRow>(
      (sql, values) => this.db.query(sql, values),
      {
        // The actor's username is a primary-key lookup per row PostgreSQL evaluates after the
        // sort and LIMIT (an expensive output column), so only for the page's rows.
        select: `SELECT id, to_json(occurred_at)#>>'{}' AS occurred_at, actor,
                        ${actorNameSql('audit_log.actor')} AS actor_name, action, entity_type,
                        entity_id, package_id, changes, request_id
                   FROM audit_log`,
        where,
        params,
        order: NEWEST_FIRST,
        keysOf: (row) => [row.occurred_at, row.id],
        total: 'SELECT count(*)::int AS n FROM audit_log',
      },
      query,
    );
    return {
      ...page,
      items: page.items.map((r) => ({
        id: r.id,
        occurredAt: r.occurred_at,
        actor: r.actor,
        actorName: r.actor_name,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        packageId: r.package_id,
        changes: r.changes,
        requestId: r.request_id,
      })),
    };
  }
}
