import { createHash } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { jobQueueFor } from '@integrixs/runtime';

import { writeAudit } from '../core/audit/audit-writer';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { runInTransaction } from '../core/database/transactions';
import { NotFoundError } from '../core/errors/app-error';
import { type KeysetOrder } from '../core/listing/cursor';
import { type CountedPage } from '../core/listing/keyset-page';
import { currentActor } from '../core/request-context/request-context';
import {
  type BulkReplayItemDto,
  type BulkReplayResultDto,
  type DeadLetterDto,
  type DeadLetterQueryDto,
  type ReplayPins,
  type ReplayResultDto,
} from './dto/runtime.dto';
import { ExecutionNotifier, scopeOfRow } from './execution-notifier';
import {
  DEAD_LETTER_COLUMNS,
  DEAD_LETTER_FROM,
  toDeadLetterDto,
  type DeadLetterRow,
} from './execution-rows';
import { runtimePage } from './executions.service';
import {
  DeadLetterResolvedError,
  MessageTooLargeError,
  NoActiveDeploymentError,
  PayloadGoneError,
} from './runtime-errors';
import { sqlClientOf } from './runtime-sql';

const NEWEST_FIRST: KeysetOrder = {
  name: '-createdAt',
  descending: true,
  keys: [
    { sql: 'd.created_at', type: 'timestamptz' },
    { sql: 'd.id', type: 'uuid' },
  ],
};

/** A dead letter locked for its replay or discard, with what the replay copies from its message. */
interface LockedDeadLetter {
  id: string;
  message_id: string;
  package_id: string;
  flow_id: string;
  deployment_id: string;
  environment_id: string;
  environment: string;
  node_id: string;
  payload_id: string | null;
  status: string;
  origin_id: string;
  source_ref: string | null;
  payload_size: number | null;
  payload_content_type: string | null;
}

export interface EditedPayload {
  payload: string;
  contentType?: string;
}

/** Why one dead letter of a bulk replay was skipped. */
class Skip extends Error {
  constructor(
    readonly outcome: BulkReplayItemDto['outcome'],
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * The dead-letter store's API side (issue 13): lists, replay and discard. A replay is a NEW
 * message (trigger REPLAY, `replay_of` the dead-lettered message, the same `origin_id` so
 * targets that already had their effect skip it) resuming at the failed node with the failed
 * step's stored input or an EDITED payload, on the original deployment (pins ORIGINAL, even if
 * it is no longer active) or the flow's active one in that environment (pins ACTIVE). The new
 * message, its job, the dead letter's REPLAYED state and the audit row commit together.
 */
@Injectable()
export class DeadLettersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifier: ExecutionNotifier,
  ) {}

  async list(packageId: string, query: DeadLetterQueryDto): Promise<CountedPage<DeadLetterDto>> {
    const params = new SqlParams();
    const where = [`d.package_id = ${params.bind(packageId)}`];
    if (query.flowId) where.push(`d.flow_id = ${params.bind(query.flowId)}`);
    if (query.environment)
      where.push(
        `d.environment_id = (SELECT id FROM environments WHERE code = upper(${params.bind(query.environment)}))`,
      );
    if (query.status) where.push(`d.status = ${params.bind(query.status)}`);
    const page = await runtimePage<DeadLetterRow>(
      (sql, values) => this.db.query(sql, values),
      {
        select: DEAD_LETTER_COLUMNS,
        from: DEAD_LETTER_FROM,
        where,
        params,
        order: NEWEST_FIRST,
        keysOf: (row) => [row.created_at, row.id],
        cap: this.config.listCountCap,
      },
      query,
    );
    return { ...page, items: page.items.map(toDeadLetterDto) };
  }

  async get(packageId: string, deadLetterId: string): Promise<DeadLetterDto> {
    const [row] = await this.db.query<DeadLetterRow[]>(
      `SELECT ${DEAD_LETTER_COLUMNS} ${DEAD_LETTER_FROM} WHERE d.id = $1 AND d.package_id = $2`,
      [deadLetterId, packageId],
    );
    if (!row) throw new NotFoundError('Dead letter', deadLetterId);
    return toDeadLetterDto(row);
  }

  async replay(
    packageId: string,
    deadLetterId: string,
    pins: ReplayPins,
    edited?: EditedPayload,
  ): Promise<ReplayResultDto> {
    if (edited) {
      const size = Buffer.byteLength(edited.payload, 'utf8');
      if (size > this.config.runtimeMaxPayloadBytes)
        throw new MessageTooLargeError(this.config.runtimeMaxPayloadBytes, 'payload');
    }
    let replayed: LockedDeadLetter | undefined;
    const result = await runInTransaction(this.db, async (m) => {
      const [dead] = await this.lock(m, packageId, [deadLetterId]);
      if (!dead) throw new NotFoundError('Dead letter', deadLetterId);
      if (dead.status !== 'OPEN') throw new DeadLetterResolvedError(dead.id, dead.status);
      replayed = dead;
      return this.replayLocked(m, dead, pins, edited);
    });
    if (replayed) this.notifier.record(scopeOfRow(replayed), 'QUEUED', 'REPLAYED');
    return result;
  }

  /** Replays many in one transaction; each id answers REPLAYED or why it was skipped. */
  async replayMany(
    packageId: string,
    ids: string[],
    pins: ReplayPins,
  ): Promise<BulkReplayResultDto> {
    const replayed: LockedDeadLetter[] = [];
    const result = await runInTransaction(this.db, async (m) => {
      replayed.length = 0; // a conflict retry starts again
      const locked = new Map((await this.lock(m, packageId, ids)).map((d) => [d.id, d]));
      const items: BulkReplayItemDto[] = [];
      for (const id of ids) {
        const dead = locked.get(id.toLowerCase());
        try {
          if (!dead) throw new Skip('NOT_FOUND', `dead letter ${id} does not exist`);
          if (dead.status !== 'OPEN')
            throw new Skip('NOT_OPEN', `dead letter ${id} is ${dead.status}, not OPEN`);
          const { messageId } = await this.replayLocked(m, dead, pins);
          replayed.push(dead);
          items.push({ id, outcome: 'REPLAYED', messageId, detail: null });
        } catch (error) {
          if (error instanceof Skip)
            items.push({ id, outcome: error.outcome, messageId: null, detail: error.message });
          else if (error instanceof NoActiveDeploymentError)
            items.push({
              id,
              outcome: 'NO_ACTIVE_DEPLOYMENT',
              messageId: null,
              detail: error.message,
            });
          else if (error instanceof PayloadGoneError)
            items.push({ id, outcome: 'PAYLOAD_GONE', messageId: null, detail: error.message });
          else throw error;
        }
      }
      const count = items.filter((i) => i.outcome === 'REPLAYED').length;
      return { items, replayed: count, skipped: items.length - count };
    });
    for (const dead of replayed) this.notifier.record(scopeOfRow(dead), 'QUEUED', 'REPLAYED');
    return result;
  }

  async discard(packageId: string, deadLetterId: string): Promise<DeadLetterDto> {
    const dead = await runInTransaction(this.db, async (m) => {
      const [dead] = await this.lock(m, packageId, [deadLetterId]);
      if (!dead) throw new NotFoundError('Dead letter', deadLetterId);
      if (dead.status !== 'OPEN') throw new DeadLetterResolvedError(dead.id, dead.status);
      await queryRows(
        m,
        `UPDATE runtime_dead_letters SET status = 'DISCARDED', resolved_at = now(), resolved_by = $2
          WHERE id = $1`,
        [dead.id, currentActor()],
      );
      await this.audit(m, dead, 'DISCARDED', {});
      return dead;
    });
    this.notifier.record(scopeOfRow(dead), 'DISCARDED');
    return this.get(packageId, deadLetterId);
  }

  /** The package's dead letters among `ids`, locked in id order (concurrent bulk replays queue). */
  private lock(m: EntityManager, packageId: string, ids: string[]): Promise<LockedDeadLetter[]> {
    return queryRows<LockedDeadLetter>(
      m,
      `SELECT d.id, d.message_id, d.package_id, d.flow_id, d.deployment_id, d.environment_id,
              e.code AS environment, d.node_id, d.payload_id, d.status, msg.origin_id,
              msg.source_ref, p.size_bytes AS payload_size, p.content_type AS payload_content_type
         FROM runtime_dead_letters d
         JOIN runtime_messages msg ON msg.id = d.message_id
         JOIN environments e ON e.id = d.environment_id
         LEFT JOIN runtime_payloads p ON p.id = d.payload_id
        WHERE d.id = ANY($1::uuid[]) AND d.package_id = $2
        ORDER BY d.id
        FOR UPDATE OF d`,
      [ids, packageId],
    );
  }

  private async replayLocked(
    m: EntityManager,
    dead: LockedDeadLetter,
    pins: ReplayPins,
    edited?: EditedPayload,
  ): Promise<ReplayResultDto> {
    const deploymentId = pins === 'ORIGINAL' ? dead.deployment_id : await this.active(m, dead);
    if (!edited && (dead.payload_id === null || dead.payload_size === null))
      throw new PayloadGoneError(dead.id);
    const [message] = await queryRows<{ id: string }>(
      m,
      `INSERT INTO runtime_messages (origin_id, replay_of, package_id, flow_id, deployment_id,
                                     environment_id, trigger, source_ref, resume_node_id,
                                     resume_payload_id, input_payload_id, size_bytes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'REPLAY', $7, $8, $9, $9, $10, $11)
       RETURNING id`,
      [
        dead.origin_id,
        dead.message_id,
        dead.package_id,
        dead.flow_id,
        deploymentId,
        dead.environment_id,
        dead.source_ref,
        dead.node_id,
        edited ? null : dead.payload_id,
        edited ? 0 : dead.payload_size,
        currentActor(),
      ],
    );
    if (edited) {
      const content = Buffer.from(edited.payload, 'utf8');
      await queryRows(
        m,
        `WITH payload AS (
           INSERT INTO runtime_payloads (message_id, role, node_id, content_type, size_bytes,
                                         sha256, content)
           VALUES ($1, 'EDITED', $2, $3, $4, $5, $6) RETURNING id)
         UPDATE runtime_messages
            SET resume_payload_id = (SELECT id FROM payload),
                input_payload_id = (SELECT id FROM payload), size_bytes = $4
          WHERE id = $1`,
        [
          message.id,
          dead.node_id,
          edited.contentType ?? dead.payload_content_type ?? 'text/plain',
          content.length,
          createHash('sha256').update(content).digest('hex'),
          content,
        ],
      );
    }
    await jobQueueFor(this.config.runtimeTransport).enqueue(sqlClientOf(m), {
      messageId: message.id,
    });
    await queryRows(
      m,
      `UPDATE runtime_dead_letters
          SET status = 'REPLAYED', resolved_at = now(), resolved_by = $2, replay_message_id = $3
        WHERE id = $1`,
      [dead.id, currentActor(), message.id],
    );
    await this.audit(m, dead, 'REPLAYED', {
      replayMessageId: message.id,
      pins,
      deploymentId,
      payloadEdited: edited !== undefined,
    });
    return {
      deadLetterId: dead.id,
      messageId: message.id,
      deploymentId,
      resumeNodeId: dead.node_id,
      status: 'QUEUED',
    };
  }

  /** The flow's active (DEPLOYED or SUSPENDED) deployment in the dead letter's environment. */
  private async active(m: EntityManager, dead: LockedDeadLetter): Promise<string> {
    const [row] = await queryRows<{ id: string }>(
      m,
      `SELECT id FROM flow_deployments
        WHERE flow_id = $1 AND environment_id = $2 AND state <> 'UNDEPLOYED' FOR SHARE`,
      [dead.flow_id, dead.environment_id],
    );
    if (!row) throw new NoActiveDeploymentError(dead.environment);
    return row.id;
  }

  private audit(
    m: EntityManager,
    dead: LockedDeadLetter,
    status: 'REPLAYED' | 'DISCARDED',
    extra: Record<string, unknown>,
  ): Promise<void> {
    return writeAudit(m, [
      {
        action: 'UPDATE',
        entityType: 'dead_letter',
        entityId: dead.id,
        packageId: dead.package_id,
        changes: {
          event: { after: status === 'REPLAYED' ? 'REPLAY' : 'DISCARD' },
          status: { before: 'OPEN', after: status },
          messageId: { after: dead.message_id },
          flowId: { after: dead.flow_id },
          environment: { after: dead.environment },
          ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { after: v }])),
        },
      },
    ]);
  }
}
