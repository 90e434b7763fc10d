import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { LIST_LIMIT_DEFAULT } from '@integrixs/domain';

import { ValidationError } from '../core/errors/app-error';
import { isTimestampText } from '../core/listing/cursor-values';
import { type Page } from '../core/listing/keyset-page';
import { type AuditEntryDto, type AuditQueryDto } from './dto/audit.dto';

interface AuditRow {
  id: string;
  occurred_at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  package_id: string | null;
  changes: Record<string, unknown>;
  request_id: string | null;
}

function decodeCursor(raw: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (
      typeof at === 'string' &&
      isTimestampText(at) &&
      typeof id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    )
      return { at, id };
  } catch {
    // fall through
  }
  throw ValidationError.of('cursor', 'is not a cursor this API issued', 'cursor');
}

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
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (subject !== undefined) {
      add('entity_id = ?', subject);
      add('entity_type = ANY(?::text[])', ABOUT_A_USER);
    }
    const scopePackage = packageId ?? query.packageId;
    if (scopePackage) add('package_id = ?', scopePackage);
    if (query.actor) add('actor = ?', query.actor);
    if (query.entityType) add('entity_type = ?', query.entityType);
    if (query.entityId) add('entity_id = ?', query.entityId);
    if (query.action) add('action = ?', query.action);
    if (query.from) add('occurred_at >= ?', query.from);
    if (query.to) add('occurred_at < ?', query.to);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const countParams = [...params];
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      params.push(cursor.at, cursor.id);
      const keyset = `(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
      where.push(keyset);
    }
    const limit = query.limit ?? LIST_LIMIT_DEFAULT;
    const pageFilter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [counted, rows] = await Promise.all([
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log ${filter}`,
        countParams,
      ),
      this.db.query<AuditRow[]>(
        `SELECT id, to_json(occurred_at)#>>'{}' AS occurred_at, actor, action, entity_type, entity_id, package_id, changes, request_id
           FROM audit_log ${pageFilter} ORDER BY occurred_at DESC, id DESC LIMIT ${limit + 1}`,
        params,
      ),
    ]);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => ({
        id: r.id,
        occurredAt: r.occurred_at,
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        packageId: r.package_id,
        changes: r.changes,
        requestId: r.request_id,
      })),
      total: counted[0]?.n ?? 0,
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify([last.occurred_at, last.id])).toString('base64url')
          : null,
    };
  }
}
