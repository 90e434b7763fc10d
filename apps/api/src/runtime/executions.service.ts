import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { isUuid, LIST_LIMIT_DEFAULT } from '@integrixs/domain';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { SqlParams } from '../core/database/sql-params';
import { NotFoundError } from '../core/errors/app-error';
import {
  afterCursorSql,
  cutPage,
  decodeCursor,
  orderBySql,
  type CursorValue,
  type KeysetOrder,
} from '../core/listing/cursor';
import { type CountedPage } from '../core/listing/keyset-page';
import {
  type ExecutionDetailDto,
  type ExecutionDto,
  type ExecutionQueryDto,
  type PayloadInfoDto,
} from './dto/runtime.dto';
import {
  DEAD_LETTER_COLUMNS,
  DEAD_LETTER_FROM,
  EXECUTION_COLUMNS,
  EXECUTION_FROM,
  STEP_COLUMNS,
  toDeadLetterDto,
  toExecutionDto,
  toStepDto,
  type DeadLetterRow,
  type ExecutionRow,
  type StepRow,
} from './execution-rows';

/** Newest first; the id breaks ties between messages received in the same instant. */
const NEWEST_FIRST: KeysetOrder = {
  name: '-receivedAt',
  descending: true,
  keys: [
    { sql: 'm.received_at', type: 'timestamptz' },
    { sql: 'm.id', type: 'uuid' },
  ],
};

/** One stored payload, as bytes (at most the requested leading part). */
export interface StoredPayload {
  contentType: string;
  sizeBytes: number;
  content: Buffer;
}

/** A `LIKE` pattern matching `text` as a prefix (its wildcards taken literally). */
export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keyset pages over `rows` with a capped count (the shape every paged runtime list answers). */
export async function runtimePage<R>(
  run: <X>(sql: string, params: unknown[]) => Promise<X[]>,
  list: {
    select: string;
    from: string;
    where: string[];
    params: SqlParams;
    order: KeysetOrder;
    keysOf: (row: R) => readonly CursorValue[];
    cap: number;
  },
  query: { limit?: number; cursor?: string },
): Promise<CountedPage<R>> {
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const { params, order } = list;
  const filter = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
  const countSql = `SELECT count(*)::int AS n FROM (SELECT 1 ${list.from} ${filter(list.where)} LIMIT ${list.cap + 1}) c`;
  const countParams = [...params.values];
  const where = [...list.where];
  if (query.cursor !== undefined)
    where.push(afterCursorSql(order, decodeCursor(query.cursor, order), params.bind));
  const pageSql = `SELECT ${list.select} ${list.from} ${filter(where)}
                    ORDER BY ${orderBySql(order)} LIMIT ${params.bind(limit + 1)}`;
  const [counted, rows] = await Promise.all([
    run<{ n: number }>(countSql, countParams),
    run<R>(pageSql, params.values),
  ]);
  const page = cutPage(rows, limit, order, list.keysOf);
  const n = counted[0]?.n ?? 0;
  return {
    items: page.rows,
    total: n,
    totalIsEstimate: n > list.cap,
    nextCursor: page.nextCursor,
  };
}

/**
 * Reads a package's executions (runtime_messages: one per message) with their step traces and
 * payloads. Every read is scoped by the package of the route, so another package's message id
 * is a 404 like an unknown one.
 */
@Injectable()
export class ExecutionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(packageId: string, query: ExecutionQueryDto): Promise<CountedPage<ExecutionDto>> {
    const params = new SqlParams();
    const where = [`m.package_id = ${params.bind(packageId)}`];
    if (query.flowId) where.push(`m.flow_id = ${params.bind(query.flowId)}`);
    if (query.environment)
      where.push(
        `m.environment_id = (SELECT id FROM environments WHERE code = upper(${params.bind(query.environment)}))`,
      );
    if (query.status) where.push(`m.status = ${params.bind(query.status)}`);
    if (query.trigger) where.push(`m.trigger = ${params.bind(query.trigger)}`);
    if (query.from) where.push(`m.received_at >= ${params.bind(query.from)}::timestamptz`);
    if (query.to) where.push(`m.received_at < ${params.bind(query.to)}::timestamptz`);
    const q = query.q?.trim();
    if (q) {
      const byRef = `(m.source_ref IS NOT NULL AND m.source_ref LIKE ${params.bind(prefixPattern(q))})`;
      if (isUuid(q)) {
        const id = params.bind(q.toLowerCase());
        where.push(`(m.id = ${id}::uuid OR m.origin_id = ${id}::uuid OR ${byRef})`);
      } else where.push(byRef);
    }
    const page = await runtimePage<ExecutionRow>(
      (sql, values) => this.db.query(sql, values),
      {
        select: EXECUTION_COLUMNS,
        from: EXECUTION_FROM,
        where,
        params,
        order: NEWEST_FIRST,
        keysOf: (row) => [row.received_at, row.id],
        cap: this.config.listCountCap,
      },
      query,
    );
    return { ...page, items: page.items.map(toExecutionDto) };
  }

  async get(packageId: string, messageId: string): Promise<ExecutionDetailDto> {
    const [row] = await this.db.query<ExecutionRow[]>(
      `SELECT ${EXECUTION_COLUMNS} ${EXECUTION_FROM} WHERE m.id = $1 AND m.package_id = $2`,
      [messageId, packageId],
    );
    if (!row) throw new NotFoundError('Execution', messageId);
    const [steps, deadLetters, inputs, replays] = await Promise.all([
      this.db.query<StepRow[]>(
        `SELECT ${STEP_COLUMNS} FROM runtime_steps WHERE message_id = $1
          ORDER BY started_at, attempt, id`,
        [messageId],
      ),
      this.db.query<DeadLetterRow[]>(
        `SELECT ${DEAD_LETTER_COLUMNS} ${DEAD_LETTER_FROM} WHERE d.message_id = $1`,
        [messageId],
      ),
      row.input_payload_id
        ? this.db.query<PayloadInfoDto[]>(
            `SELECT id, content_type AS "contentType", size_bytes AS "sizeBytes", role
               FROM runtime_payloads WHERE id = $1`,
            [row.input_payload_id],
          )
        : Promise.resolve([]),
      this.db.query<{ id: string }[]>(
        `SELECT id FROM runtime_messages WHERE replay_of = $1 AND package_id = $2
          ORDER BY received_at, id`,
        [messageId, packageId],
      ),
    ]);
    return {
      ...toExecutionDto(row),
      steps: steps.map(toStepDto),
      input: inputs[0] ?? null,
      deadLetter: deadLetters[0] ? toDeadLetterDto(deadLetters[0]) : null,
      replays: replays.map((r) => r.id),
    };
  }

  /** The message's input payload (what it started, or a replay resumed, with). */
  async inputPayload(
    packageId: string,
    messageId: string,
    maxBytes?: number,
  ): Promise<StoredPayload> {
    return this.payload(
      `SELECT p.content_type, p.size_bytes, substring(p.content FROM 1 FOR $3) AS content
         FROM runtime_messages m JOIN runtime_payloads p ON p.id = m.input_payload_id
        WHERE m.id = $1 AND m.package_id = $2`,
      [messageId, packageId],
      maxBytes,
      () => new NotFoundError('Execution payload', messageId),
    );
  }

  /** The dead letter's stored payload (the failed step's input, what a replay resumes with). */
  async deadLetterPayload(
    packageId: string,
    deadLetterId: string,
    maxBytes?: number,
  ): Promise<StoredPayload> {
    return this.payload(
      `SELECT p.content_type, p.size_bytes, substring(p.content FROM 1 FOR $3) AS content
         FROM runtime_dead_letters d JOIN runtime_payloads p ON p.id = d.payload_id
        WHERE d.id = $1 AND d.package_id = $2`,
      [deadLetterId, packageId],
      maxBytes,
      () => new NotFoundError('Dead letter payload', deadLetterId),
    );
  }

  private async payload(
    sql: string,
    params: unknown[],
    maxBytes: number | undefined,
    missing: () => Error,
  ): Promise<StoredPayload> {
    const cap = Math.min(
      maxBytes ?? this.config.runtimeMaxPayloadBytes,
      this.config.runtimeMaxPayloadBytes,
    );
    const [row] = await this.db.query<
      { content_type: string; size_bytes: number; content: Buffer }[]
    >(sql, [...params, cap]);
    if (!row) throw missing();
    return { contentType: row.content_type, sizeBytes: row.size_bytes, content: row.content };
  }
}
