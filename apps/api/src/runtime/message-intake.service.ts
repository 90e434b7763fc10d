import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { roleAllows, type Role } from '@integrixs/domain';
import { AcceptBatcher, jobQueueFor, type MessageTrigger } from '@integrixs/runtime';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { ForbiddenError, NotFoundError } from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { ExecutionNotifier } from './execution-notifier';
import { FlowNotRunningError, MessageTooLargeError } from './runtime-errors';
import { environmentOrError, sqlClientOf } from './runtime-sql';

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
    // The flow, the environment and the flow's deployment there in one query (the accept
    // checks the deployment again, locked, in its transaction).
    const [found] = await queryRows<{
      flow_id: string | null;
      env_id: string | null;
      code: string;
      protected: boolean;
      deployment_id: string | null;
      state: string | null;
    }>(
      this.db.manager,
      `SELECT f.id AS flow_id, e.id AS env_id, e.code, e.protected,
                d.id AS deployment_id, d.state
           FROM (SELECT 1) AS one
           LEFT JOIN package_assets f
                  ON f.id = $1 AND f.package_id = $2 AND f.type = 'FLOW' AND f.deleted_at IS NULL
           LEFT JOIN environments e ON e.code = upper($3)
           LEFT JOIN flow_deployments d
                  ON d.flow_id = f.id AND d.environment_id = e.id AND d.state <> 'UNDEPLOYED'`,
      [message.flowId, message.packageId, message.environment],
    );
    if (!found.flow_id) throw new NotFoundError('Flow', message.flowId);
    const env = environmentOrError(
      message.environment,
      found.env_id ? { id: found.env_id, code: found.code, protected: found.protected } : undefined,
    );
    if (env.protected && !roleAllows(message.packageRole, 'runtime:operate'))
      throw new ForbiddenError(
        `sending messages to the protected environment ${env.code} needs ADMINISTRATOR or INTEGRATOR in the package; your role is ${message.packageRole}`,
      );
    if (!found.deployment_id) throw new FlowNotRunningError(env.code, 'NOT_DEPLOYED');
    if (found.state === 'SUSPENDED') throw new FlowNotRunningError(env.code, 'SUSPENDED');
    const result = await this.batcher.accept({
      deploymentId: found.deployment_id,
      trigger: message.trigger,
      payload: message.payload,
      contentType: message.contentType,
      sourceRef: message.sourceRef ?? null,
      idempotencyKey: message.idempotencyKey ?? null,
      acceptedBy: currentActor(),
      maxPayloadBytes: limit,
    });
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
}
