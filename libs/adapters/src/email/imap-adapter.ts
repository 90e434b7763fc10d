/**
 * EMAIL receiving over IMAP (imapflow). The connection test logs in and selects the mailbox
 * read-only (nothing is marked or moved); the session polls, streams raw messages and applies
 * the after-read action.
 */
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';

import { ImapFlow, type SearchObject } from 'imapflow';

import type { EmailAdapterSecrets, ImapConfig } from '@integrixs/domain';

import {
  stepBudget,
  type ConnectionTestOptions,
  type IncomingMail,
  type MailReceiverSession,
} from '../shared/adapter';
import { explainError, required, StepFailure } from '../shared/explain-error';
import { resolveAndConnect } from '../shared/network';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { resolveTarget } from '../shared/target-policy';
import { withTimeout } from '../shared/timeouts';

function imapClient(
  address: string,
  config: ImapConfig,
  password: string | undefined,
  timeoutMs: number,
) {
  const tls = config.tls ?? 'starttls';
  const client = new ImapFlow({
    host: address,
    port: config.port ?? (tls === 'implicit' ? 993 : 143),
    secure: tls === 'implicit',
    doSTARTTLS: tls === 'starttls' ? true : tls === 'none' ? false : undefined,
    auth: { user: config.username, pass: password ?? '' },
    tls: {
      servername: isIP(config.host) ? undefined : config.host,
      ca: config.caCertificate ? [...rootCertificates, config.caCertificate] : undefined,
      rejectUnauthorized: config.rejectUnauthorized ?? true,
    },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: Math.max(timeoutMs, 30000),
    disableAutoIdle: true,
  });
  // imapflow emits 'error' for socket problems after connect; the caller sees the rejection.
  client.on('error', () => undefined);
  return client;
}

/** resolve → connect → tls → authenticate → mailbox (selected read-only). */
export async function testImapAdapter(
  config: ImapConfig,
  secrets: EmailAdapterSecrets['imap'] = {},
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const budget = stepBudget(options, config.connectTimeoutMs);
  const runner = new StepRunner(budget, options?.onStep);
  const tls = config.tls ?? 'starttls';
  const target = await resolveAndConnect(runner, config.host, config.port ?? 143, options);
  if (!target) {
    runner.skip('tls', 'skipped: an earlier step failed');
    runner.skip('authenticate', 'skipped: an earlier step failed');
    runner.skip('mailbox', 'skipped: an earlier step failed');
    return runner.result();
  }
  const client = imapClient(target.address, config, secrets?.password, budget);
  const started = performance.now();
  try {
    // imapflow connects, upgrades and logs in in one call; its error says which part failed.
    await withTimeout(client.connect(), budget, 'IMAP login');
    const ms = performance.now() - started;
    if (tls === 'none') runner.skip('tls', 'plain IMAP: no TLS');
    else
      runner.record(
        'tls',
        'passed',
        ms,
        `${tls === 'starttls' ? 'STARTTLS' : 'implicit TLS'} established, certificate trusted`,
      );
    runner.record('authenticate', 'passed', ms, `logged in as ${config.username}`);
  } catch (error) {
    const ms = performance.now() - started;
    const e = error as { authenticationFailed?: boolean; tlsFailed?: boolean };
    if (e.authenticationFailed) {
      runner.record(
        'tls',
        tls === 'none' ? 'skipped' : 'passed',
        ms,
        tls === 'none' ? 'plain IMAP: no TLS' : 'TLS established',
      );
      runner.fail('authenticate', ms, `authentication failed for user ${config.username}`);
    } else {
      runner.fail('tls', ms, explainError(error));
      runner.skip('authenticate', 'skipped: an earlier step failed');
    }
  }
  const mailbox = config.mailbox ?? 'INBOX';
  try {
    await runner.run(
      'mailbox',
      () =>
        client.mailboxOpen(mailbox, { readOnly: true }).catch(() => {
          throw new StepFailure(`mailbox ${mailbox} does not exist or cannot be opened`);
        }),
      (box) => `mailbox ${mailbox} selected (${box.exists} messages)`,
    );
  } finally {
    if (client.usable) await client.logout().catch(() => undefined);
    else client.close();
  }
  return runner.result();
}

export class ImapReceiverSession implements MailReceiverSession {
  constructor(
    private readonly client: ImapFlow,
    private readonly config: ImapConfig,
    readonly uidValidity: string,
  ) {}

  async poll(): Promise<IncomingMail[]> {
    const search = this.config.search ?? {};
    const query: SearchObject = {};
    if (search.unseen ?? true) query.seen = false;
    if (search.from) query.from = search.from;
    if (search.subject) query.subject = search.subject;
    const uids =
      (await this.client.search(Object.keys(query).length ? query : { all: true }, {
        uid: true,
      })) || [];
    if (uids.length === 0) return [];
    const messages = await this.client.fetchAll(
      uids,
      { uid: true, envelope: true, size: true },
      { uid: true },
    );
    return messages.map((m) => ({
      uid: m.uid,
      subject: m.envelope?.subject,
      from: m.envelope?.from?.[0]?.address,
      size: m.size ?? 0,
    }));
  }

  async read(uid: number): Promise<Readable> {
    const download = await this.client.download(String(uid), undefined, { uid: true });
    if (!download.content) throw new StepFailure(`message ${uid} does not exist`);
    return download.content;
  }

  async afterRead(uid: number): Promise<void> {
    const after = this.config.afterRead ?? { action: 'mark-seen' };
    const range = String(uid);
    if (after.action === 'mark-seen')
      await this.client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
    if (after.action === 'delete') await this.client.messageDelete(range, { uid: true });
    if (after.action === 'move')
      await this.client.messageMove(range, required(after.targetMailbox, 'targetMailbox'), {
        uid: true,
      });
  }

  async close(): Promise<void> {
    await this.client.logout().catch(() => this.client.close());
  }
}

/** Logs in and opens the configured mailbox read-write. */
export async function openImapReceiver(
  config: ImapConfig,
  secrets: EmailAdapterSecrets['imap'] = {},
  options?: ConnectionTestOptions,
): Promise<MailReceiverSession> {
  const target = await resolveTarget(config.host, options?.policy);
  const client = imapClient(
    target.address,
    config,
    secrets?.password,
    config.connectTimeoutMs ?? 10000,
  );
  await client.connect();
  try {
    const opened = await client.mailboxOpen(config.mailbox ?? 'INBOX');
    return new ImapReceiverSession(client, config, String(opened.uidValidity));
  } catch (error) {
    await client.logout().catch(() => client.close());
    throw error;
  }
}
