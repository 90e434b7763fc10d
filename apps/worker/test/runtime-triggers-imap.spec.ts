import { ImapFlow } from 'imapflow';

import { openImapReceiver } from '@integrixs/adapters';
import {
  makeCertificates,
  startDovecot,
  type TestCertificates,
  type TestImapServer,
} from '@integrixs/adapters/testing';
import { type ImapConfig } from '@integrixs/domain';
import { pollMailbox, type TriggerAccept } from '@integrixs/runtime';

const secrets = { password: 'imap-trigger-1' };
const message = (subject: string) =>
  `From: partner@partner.test\nTo: orders@integrixs.test\nSubject: ${subject}\nMessage-ID: <${subject}@test>\nDate: Sun, 29 Nov 2026 06:00:00 +0000\n\nbody of ${subject}\n`;

/** The IMAP poll trigger against a real Dovecot: raw messages accepted once, then marked seen. */
describe('IMAP poll trigger', () => {
  let certs: TestCertificates;
  let server: TestImapServer;
  let config: ImapConfig;

  beforeAll(async () => {
    certs = makeCertificates();
    server = await startDovecot({ users: [{ name: 'orders', password: secrets.password }], certs });
    config = {
      host: '127.0.0.1',
      port: server.port,
      tls: 'starttls',
      username: 'orders',
      caCertificate: certs.ca,
      mailbox: 'INBOX',
      afterRead: { action: 'mark-seen' },
    };
  }, 330_000);
  afterAll(async () => {
    await server?.close();
  });

  it('accepts each unseen message once with its uid as key, and marks it seen', async () => {
    for (const subject of ['order1', 'order2', 'order3'])
      await server.deliver('orders', message(subject));
    const accepted: { sourceRef: string; key: string; type: string; text: string }[] = [];
    let refuseNext = true;
    const accept: TriggerAccept = (input) => {
      // The first attempt fails like a database outage: that mail stays unseen for the next poll.
      if (refuseNext) {
        refuseNext = false;
        return Promise.reject(new Error('database unavailable'));
      }
      accepted.push({
        sourceRef: input.sourceRef ?? '',
        key: input.idempotencyKey ?? '',
        type: input.contentType,
        text: input.payload.toString('utf8'),
      });
      return Promise.resolve({ outcome: 'accepted', messageId: input.sourceRef ?? '' });
    };
    const poll = async () => {
      const session = await openImapReceiver(config, secrets);
      try {
        return await pollMailbox(session, { mailbox: 'INBOX', accept });
      } finally {
        await session.close();
      }
    };

    const first = await poll();
    expect(first).toMatchObject({ accepted: 2, stopped: false });
    expect(first.errors).toEqual([expect.stringContaining('database unavailable')]);
    const second = await poll();
    expect(second).toMatchObject({ accepted: 1, errors: [] });
    expect(await poll()).toMatchObject({ accepted: 0, errors: [] });

    expect(accepted.map((a) => a.text.match(/Subject: (\w+)/)?.[1]).sort()).toEqual([
      'order1',
      'order2',
      'order3',
    ]);
    for (const a of accepted) {
      expect(a.key).toMatch(new RegExp(`^imap:INBOX:\\d+:${a.sourceRef}$`));
      expect(a.type).toBe('message/rfc822');
    }
  }, 60_000);

  it('keys messages with the mailbox UIDVALIDITY: a recreated mailbox reusing uids is not taken as seen', async () => {
    const orders = { ...config, mailbox: 'Orders' };
    const keys: string[] = [];
    const accept: TriggerAccept = (input) => {
      keys.push(input.idempotencyKey ?? '');
      return Promise.resolve({ outcome: 'accepted', messageId: input.sourceRef ?? '' });
    };
    const poll = async () => {
      const session = await openImapReceiver(orders, secrets);
      try {
        await pollMailbox(session, { mailbox: 'Orders', accept });
        return session.uidValidity;
      } finally {
        await session.close();
      }
    };
    await server.deliver('orders', message('before'), 'Orders');
    const before = await poll();
    // The mailbox is deleted and created again on the server: its uids start again at 1.
    const admin = new ImapFlow({
      host: '127.0.0.1',
      port: server.port,
      secure: false,
      doSTARTTLS: true,
      auth: { user: 'orders', pass: secrets.password },
      tls: { ca: [certs.ca] },
      logger: false,
    });
    await admin.connect();
    await admin.mailboxDelete('Orders');
    await admin.logout();
    await server.deliver('orders', message('after'), 'Orders');
    const after = await poll();

    expect(after).not.toBe(before);
    expect(keys).toEqual([`imap:Orders:${before}:1`, `imap:Orders:${after}:1`]);
  }, 60_000);
});
