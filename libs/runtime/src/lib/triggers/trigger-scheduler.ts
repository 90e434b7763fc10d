import { randomUUID } from 'node:crypto';

import { Client, Pool } from 'pg';

import {
  openFileFolder,
  openFtpFolder,
  openImapReceiver,
  openSftpFolder,
  type FileTransferSession,
  type TargetPolicy,
} from '@integrixs/adapters';
import {
  type EmailAdapterConfig,
  type EmailAdapterSecrets,
  type FileAdapterConfig,
  type FlowSourceNode,
  type FtpAdapterConfig,
  type SftpAdapterConfig,
} from '@integrixs/domain';

import { acceptMessage } from '../accept-message';
import { assetKey, DeploymentAssetLoader, type DeploymentAssets } from '../deployment-assets';
import { graphileJobQueue, type JobQueue } from '../job-queue';
import { inTransaction } from '../pg-transaction';
import { type RuntimeObserver } from '../runtime-observer';
import { SecretBox } from '../secret-box';
import { TriggerLocks } from './advisory-lock';
import { minuteOf, parseCron, type CronSchedule } from './cron-schedule';
import { pollFolder, type ForeignClaims } from './file-poller';
import { pollMailbox } from './imap-poller';
import { type PollOutcome, type TriggerAccept } from './trigger-types';

export interface TriggerLogger {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
}

export interface TriggerSchedulerOptions {
  /** PostgreSQL: a URL (a pool is opened) or a pool the caller owns. The lock session is always its own connection. */
  databaseUrl?: string;
  pool?: Pool;
  /** Opens adapter secrets (INTEGRIXS_ENCRYPTION_KEY and retired ones); or pass `loader`. */
  encryptionKey?: string;
  retiredEncryptionKeys?: readonly string[];
  loader?: DeploymentAssetLoader;
  /** Names this worker's file claims (`<name>.integrixs-<workerId>.claimed`); random by default. */
  workerId?: string;
  /** How often the deployments are read, locks taken and due triggers run (default 2000 ms). */
  tickMs?: number;
  /** The time (tests drive schedules with it). */
  now?: () => Date;
  policy?: TargetPolicy;
  queue?: JobQueue;
  maxPayloadBytes?: number;
  logger?: TriggerLogger;
  /** After how long another worker's file claim is taken over (default 10 minutes). */
  staleClaimMs?: number;
  /** false: no timer, the caller calls `tick()` (tests). Default true. */
  autoTick?: boolean;
  /** Told of each accepted message (after its commit); must not throw. */
  observer?: Pick<RuntimeObserver, 'messageAccepted'>;
}

export interface TriggerScheduler {
  readonly workerId: string;
  /** One round: read deployments, take/release locks, run what is due (awaits the polls it runs). */
  tick(): Promise<void>;
  /** Deployments whose triggers this scheduler leads. */
  leading(): string[];
  /** Stops the timer, lets running polls finish, releases every lock, closes its connections. */
  stop(): Promise<void>;
}

type Trigger = FlowSourceNode['trigger'];

interface Led {
  nextPollAt: number;
  foreignClaims: ForeignClaims;
  lastMinute: number;
  cron?: { expression: string; schedule: CronSchedule };
}

const scopeOf = (assets: DeploymentAssets) => ({
  packageId: assets.packageId,
  flowId: assets.flowId,
  deploymentId: assets.id,
  environmentId: assets.environmentId,
  environment: assets.environment,
});

const silent: TriggerLogger = { info: () => undefined, warn: () => undefined };

/**
 * The runtime's poll and schedule triggers. Every tick it reads the DEPLOYED deployments, and
 * for each whose source has a `poll` or `schedule` trigger it tries to lead it with a
 * session-level advisory lock (one poller per deployment across all workers; a dead worker's
 * session ends and another takes over on its next tick). A deployment that is no longer
 * DEPLOYED (suspended, undeployed, superseded) is released after its running poll finished.
 */
export function startTriggerScheduler(options: TriggerSchedulerOptions): TriggerScheduler {
  const ownsPool = !options.pool;
  const pool = options.pool ?? new Pool({ connectionString: options.databaseUrl, max: 4 });
  const workerId = options.workerId ?? randomUUID().slice(0, 8);
  const led = new Map<string, Led>();
  // The lock session: its own connection (named, so an operator sees who leads what).
  const lockSession = () => {
    const client = new Client({
      ...(options.databaseUrl ? { connectionString: options.databaseUrl } : pool.options),
      application_name: `integrixs-triggers:${workerId}`,
    });
    const session = {
      client,
      locks: new TriggerLocks(client),
      lost: false,
      connected: client.connect(),
    };
    // A lost session lost its locks with it: lead nothing until a new session wins them again.
    const lose = () => {
      session.lost = true;
      led.clear();
    };
    client.on('error', lose);
    client.on('end', lose);
    session.connected.catch(lose);
    return session;
  };
  let lock = lockSession();
  const box = options.encryptionKey
    ? new SecretBox(options.encryptionKey, options.retiredEncryptionKeys ?? [])
    : null;
  const loader = options.loader ?? new DeploymentAssetLoader(pool, box);
  const now = options.now ?? (() => new Date());
  const queue = options.queue ?? graphileJobQueue;
  const logger = options.logger ?? silent;
  let stopping = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const acceptFor =
    (assets: DeploymentAssets, trigger: 'POLL' | 'SCHEDULE'): TriggerAccept =>
    async (input) => {
      const result = await inTransaction(pool, (client) =>
        acceptMessage(client, queue, {
          ...input,
          deploymentId: assets.id,
          acceptedBy: `runtime:${trigger}`,
          maxPayloadBytes: input.maxPayloadBytes ?? options.maxPayloadBytes,
        }),
      );
      // After the commit: whoever hears of the message can read it.
      if (result.outcome === 'accepted')
        options.observer?.messageAccepted?.({
          ...scopeOf(assets),
          messageId: result.messageId,
          trigger,
          attempt: 0,
        });
      return result;
    };

  const sourceOf = (assets: DeploymentAssets) =>
    assets.content.nodes.find((n): n is FlowSourceNode => n.kind === 'source');

  async function poll(
    assets: DeploymentAssets,
    source: FlowSourceNode,
    state: Led,
  ): Promise<PollOutcome> {
    const adapter = assets.adapters.get(
      assetKey(
        source.adapter.assetId,
        source.adapter.version ??
          [...assets.adapters.values()].find(
            (a) => a.assetId.toLowerCase() === source.adapter.assetId.toLowerCase(),
          )?.version ??
          0,
      ),
    );
    if (!adapter) throw new Error(`the source adapter ${source.adapter.assetId} is not loaded`);
    const accept = acceptFor(assets, 'POLL');
    const cancelled = () => stopping;
    if (adapter.adapterType === 'EMAIL') {
      const config = adapter.config as unknown as EmailAdapterConfig;
      const secrets = adapter.secrets as unknown as EmailAdapterSecrets;
      if (!config.imap) throw new Error('the EMAIL source adapter has no IMAP settings');
      const session = await openImapReceiver(config.imap, secrets.imap, {
        policy: options.policy,
      });
      try {
        return await pollMailbox(session, {
          mailbox: config.imap.mailbox ?? 'INBOX',
          accept,
          maxPayloadBytes: options.maxPayloadBytes,
          cancelled,
        });
      } finally {
        await session.close();
      }
    }
    let session: FileTransferSession;
    if (adapter.adapterType === 'SFTP')
      session = await openSftpFolder(
        adapter.config as unknown as SftpAdapterConfig,
        adapter.secrets,
        { policy: options.policy },
      );
    else if (adapter.adapterType === 'FTP')
      session = await openFtpFolder(
        adapter.config as unknown as FtpAdapterConfig,
        adapter.secrets,
        {
          policy: options.policy,
        },
      );
    else if (adapter.adapterType === 'FILE')
      session = openFileFolder(adapter.config as unknown as FileAdapterConfig);
    else throw new Error(`a ${adapter.adapterType} source cannot be polled`);
    try {
      const after = (adapter.config['afterRead'] as { action?: string } | undefined)?.action;
      return await pollFolder(session, {
        workerId,
        accept,
        afterReadAction: after ?? 'keep',
        maxPayloadBytes: options.maxPayloadBytes,
        cancelled,
        foreignClaims: state.foreignClaims,
        staleClaimMs: options.staleClaimMs,
        now: () => now().getTime(),
      });
    } finally {
      await session.close();
    }
  }

  async function fire(assets: DeploymentAssets, minute: Date): Promise<void> {
    const deploymentId = assets.id;
    const result = await acceptFor(
      assets,
      'SCHEDULE',
    )({
      trigger: 'SCHEDULE',
      payload: Buffer.alloc(0),
      contentType: 'application/octet-stream',
      sourceRef: minute.toISOString(),
      idempotencyKey: `schedule:${deploymentId}:${minute.toISOString()}`,
    });
    logger.info({ deploymentId, minute, outcome: result.outcome }, 'schedule fired');
  }

  async function runDue(
    id: string,
    trigger: Trigger,
    assets: DeploymentAssets,
    source: FlowSourceNode,
  ) {
    const at = now();
    let state = led.get(id);
    if (!state) {
      state = {
        nextPollAt: 0,
        lastMinute: minuteOf(at).getTime() - 60_000,
        foreignClaims: new Map(),
      };
      led.set(id, state);
    }
    if (trigger.type === 'poll') {
      if (at.getTime() < state.nextPollAt) return;
      state.nextPollAt = at.getTime() + trigger.intervalSeconds * 1000;
      const outcome = await poll(assets, source, state);
      if (outcome.accepted || outcome.errors.length)
        logger.info({ deploymentId: id, workerId, ...outcome }, 'poll finished');
      return;
    }
    if (trigger.type === 'schedule') {
      if (state.cron?.expression !== trigger.cron)
        state.cron = { expression: trigger.cron, schedule: parseCron(trigger.cron) };
      const current = minuteOf(at).getTime();
      // Minutes since the last one this leader saw (a takeover starts at the current minute).
      for (let m = state.lastMinute + 60_000; m <= current; m += 60_000)
        if (state.cron.schedule.matches(new Date(m))) await fire(assets, new Date(m));
      state.lastMinute = Math.max(state.lastMinute, current);
    }
  }

  async function tickOnce(): Promise<void> {
    if (lock.lost) {
      await lock.client.end().catch(() => undefined);
      lock = lockSession();
    }
    await lock.connected;
    const locks = lock.locks;
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM flow_deployments WHERE state = 'DEPLOYED' ORDER BY id`,
    );
    const active = new Set(rows.map((r) => r.id));
    // Suspended, undeployed or superseded: its poll (if any) ended with the last tick; let go.
    for (const id of locks.heldIds())
      if (!active.has(id)) {
        await locks.release(id);
        led.delete(id);
      }
    const work: Promise<void>[] = [];
    for (const id of active) {
      if (stopping) break;
      work.push(
        (async () => {
          const assets = await loader.get(id);
          const source = sourceOf(assets);
          const trigger = source?.trigger;
          if (!source || !trigger || (trigger.type !== 'poll' && trigger.type !== 'schedule'))
            return;
          if (!(await locks.tryAcquire(id))) return;
          await runDue(id, trigger, assets, source);
        })().catch((error: unknown) =>
          logger.warn(
            { deploymentId: id, workerId, error: (error as Error).message },
            'trigger failed',
          ),
        ),
      );
    }
    await Promise.all(work);
  }

  const tick = async () => {
    while (running) await running;
    if (stopping) return;
    running = tickOnce().finally(() => {
      running = null;
    });
    await running;
  };

  const schedule = () => {
    if (stopping || options.autoTick === false) return;
    timer = setTimeout(() => {
      timer = null;
      tick().then(schedule, schedule);
    }, options.tickMs ?? 2000);
  };
  if (options.autoTick !== false) {
    timer = setTimeout(() => {
      timer = null;
      tick().then(schedule, schedule);
    }, 0);
  }

  return {
    workerId,
    tick,
    leading: () => (lock.lost ? [] : lock.locks.heldIds()),
    async stop() {
      if (stopping) return;
      stopping = true;
      if (timer) clearTimeout(timer);
      while (running) await running.catch(() => undefined);
      await lock.connected.catch(() => undefined);
      await lock.locks.releaseAll().catch(() => undefined);
      await lock.client.end().catch(() => undefined);
      if (ownsPool) await pool.end();
    },
  };
}
