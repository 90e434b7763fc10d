import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { roleAllows, type Role } from '@integrixs/domain';
import {
  AcceptBatcher,
  jobQueueFor,
  prepared,
  type AcceptMessageResult,
  type MessageTrigger,
} from '@integrixs/runtime';

import { ExpiringMap } from '../core/cache/expiring-map';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { ForbiddenError, NotFoundError } from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { ExecutionNotifier } from './execution-notifier';
import { FlowNotRunningError, MessageTooLargeError } from './runtime-errors';
import { environmentOrError, sqlClientOf, type EnvironmentRef } from './runtime-sql';

export interface MessageToSend {
  packageId: string;
  flowId: string;
  environment: string;
  payload: Buffer;
  contentType: string;
  trigger: Extract<MessageTrigger, 'HTTP' | 'MANUAL'>;
  idempotencyKey?: string;
  sourceRef?: string;
  /** The caller's role in the flow's package. */
  packageRole: Role;
}

export interface SentMessage {
  messageId: string;
  status: string;
  duplicate: boolean;
}

/** What TARGET_SQL answers. */
interface Target {
  flow_id: string | null;
  env_id: string | null;
  code: string;
  protected: boolean;
  deployment_id: string | null;
  state: string | null;
}

/**
 * How long a DEPLOYED lookup is reused for the next messages to the same flow and environment:
 * the accept checks the deployment's state and the environment's protection again, locked, and
 * anything but a stored message is decided again on a fresh lookup, so nothing stale is acted on.
 */
const TARGET_TTL_MS = 1_000;
const MAX_TARGETS = 1_000;

/** The flow, the environment and the flow's deployment there. */
const TARGET_SQL = prepared(`SELECT f.id AS flow_id, e.id AS env_id, e.code, e.protected,
                d.id AS deployment_id, d.state
           FROM (SELECT 1) AS one
           LEFT JOIN package_assets f
                  ON f.id = $1 AND f.package_id = $2 AND f.type = 'FLOW' AND f.deleted_at IS NULL
           LEFT JOIN environments e ON e.code = upper($3)
           LEFT JOIN flow_deployments d
                  ON d.flow_id = f.id AND d.environment_id = e.id AND d.state <> 'UNDEPLOYED'`);

/**
 * Takes messages into deployed flows (inbound HTTP, manual runs): finds the flow's active
 * deployment in the environment and makes the message durable through libs/runtime's
 * AcceptBatcher (payload, message row and job in one transaction; messages arriving together
 * share one, see accept-batch.ts). The caller answers only after the commit, so an accepted
 * message id always names a stored message with a job.
 *
 * Sending needs `runtime:send`; a protected environment (PROD) also needs a role that may
 * operate there (ADMINISTRATOR or INTEGRATOR, as for deploying), whether the caller is a user
 * or a user's API token.
 */
@Injectable()
export class MessageIntakeService {
  private readonly batcher: AcceptBatcher;
  /** Recent DEPLOYED lookups by flow, package and environment (TARGET_TTL_MS). */
  private readonly targets = new ExpiringMap<Target>(TARGET_TTL_MS, MAX_TARGETS);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifier: ExecutionNotifier,
  ) {
    this.batcher = new AcceptBatcher({
      queue: jobQueueFor(config.runtimeTransport),
      transaction: (work) => runInTransaction(db, (m) => work(sqlClientOf(m))),
    });
  }

  async send(message: MessageToSend): Promise<SentMessage> {
    const limit = this.config.runtimeMaxPayloadBytes;
    if (message.payload.length > limit)
      throw new MessageTooLargeError(limit, message.trigger === 'MANUAL' ? 'payload' : 'body');
    const key = `${message.flowId}|${message.packageId}|${message.environment.toUpperCase()}`;
    const reused = this.targets.get(key);
    let sent = reused
      ? await this.accept(message, reused, true)
      : await this.accept(message, await this.lookUp(message, key), false);
    // A reused lookup may be stale (a new deployment, a suspend, an environment protected
    // since): anything but a stored message is decided again on a fresh one.
    if (reused && sent.result.outcome !== 'accepted') {
      this.targets.delete(key);
      sent = await this.accept(message, await this.lookUp(message, key), false);
    }
    const { result, env } = sent;
    switch (result.outcome) {
      case 'accepted':
        // Committed: the live execution lists may show it.
        this.notifier.record(
          { packageId: message.packageId, flowId: message.flowId, environmentId: env.id },
          'QUEUED',
        );
        return { messageId: result.messageId, status: 'QUEUED', duplicate: false };
      case 'duplicate': {
        const [first] = await queryRows<{ status: string }>(
          this.db.manager,
          `SELECT status FROM runtime_messages WHERE id = $1`,
          [result.messageId],
        );
        return { messageId: result.messageId, status: first.status, duplicate: true };
      }
      case 'too-large':
        throw new MessageTooLargeError(result.limit);
      case 'not-active':
        // Suspended or undeployed between the read above and acceptMessage's FOR SHARE.
        throw new FlowNotRunningError(env.code, 'NOT_DEPLOYED');
    }
  }

  /** The flow, the environment and the flow's deployment there, kept when it is DEPLOYED. */
  private async lookUp(message: MessageToSend, key: string): Promise<Target> {
    const [target] = await queryRows<Target>(this.db.manager, TARGET_SQL, [
      message.flowId,
      message.packageId,
      message.environment,
    ]);
    if (target.state === 'DEPLOYED') this.targets.set(key, target);
    return target;
  }

  /**
   * The checks a target must pass, then the message stored. The accept checks the deployment's
   * state and the environment's protection again, locked; a `reused` target's protection is
   * left to it alone (a stale flag must not refuse a caller either).
   */
  private async accept(
    message: MessageToSend,
    target: Target,
    reused: boolean,
  ): Promise<{ result: AcceptMessageResult; env: EnvironmentRef }> {
    if (!target.flow_id) throw new NotFoundError('Flow', message.flowId);
    const env = environmentOrError(
      message.environment,
      target.env_id
        ? { id: target.env_id, code: target.code, protected: target.protected }
        : undefined,
    );
    const mayOperateProtected = roleAllows(message.packageRole, 'runtime:operate');
    if (env.protected && !mayOperateProtected && !reused)
      throw new ForbiddenError(
        `sending messages to the protected environment ${env.code} needs ADMINISTRATOR or INTEGRATOR in the package; your role is ${message.packageRole}`,
      );
    if (!target.deployment_id) throw new FlowNotRunningError(env.code, 'NOT_DEPLOYED');
    if (target.state === 'SUSPENDED') throw new FlowNotRunningError(env.code, 'SUSPENDED');
    const result = await this.batcher.accept({
      deploymentId: target.deployment_id,
      trigger: message.trigger,
      payload: message.payload,
      contentType: message.contentType,
      sourceRef: message.sourceRef ?? null,
      idempotencyKey: message.idempotencyKey ?? null,
      acceptedBy: currentActor(),
      maxPayloadBytes: this.config.runtimeMaxPayloadBytes,
      mayOperateProtected,
    });
    return { result, env };
  }
}
