import type { ImapConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { makeCertificates, type TestCertificates } from '../testing/certs';
import { startDovecot, type TestImapServer } from '../testing/dovecot';
import { refusedPort } from '../testing/ports';
import { digest } from '../testing/streams';
import { openImapReceiver, testImapAdapter } from './imap-adapter';

const secrets = { password: 'imap-secret-1' };
const summary = (r: ConnectionTestResult) => r.steps.map((s) => `${s.step}:${s.status}`);
const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

const message = (subject: string, from: string, body: string) =>
  `From: ${from}\nTo: inbox@integrixs.test\nSubject: ${subject}\nMessage-ID: <${subject.replace(/\W/g, '')}@test>\nDate: Sun, 29 Nov 2026 06:00:00 +0000\n\n${body}\n`;

describe('IMAP adapter against a real Dovecot server', () => {
  let certs: TestCertificates;
  let server: TestImapServer;
  let config: ImapConfig;

  beforeAll(async () => {
    certs = makeCertificates();
    server = await startDovecot({
      users: [{ name: 'inbox', password: secrets.password }],
      certs,
    });
    config = {
      host: '127.0.0.1',
      port: server.port,
      tls: 'starttls',
      username: 'inbox',
      caCertificate: certs.ca,
      mailbox: 'INBOX',
    };
  }, 330_000); // a fresh machine installs Dovecot first (testing/dovecot.ts)
  afterAll(async () => {
    await server?.close();
  });

  it('logs in over STARTTLS and selects the mailbox', async () => {
    await server.deliver('inbox', message('Hello', 'a@partner.test', 'first'));
    const result = await testImapAdapter(config, secrets);
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:passed',
      'authenticate:passed',
      'mailbox:passed',
    ]);
    expect(step(result, 'mailbox')?.message).toMatch(/^mailbox INBOX selected \(\d+ messages\)$/);
  });

  it('fails at authenticate with a wrong password, naming the user', async () => {
    const result = await testImapAdapter(config, { password: 'wrong-secret-value' });
    // The attempted password appears in no step message.
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
    expect(step(result, 'authenticate')).toMatchObject({
      status: 'failed',
      message: 'authentication failed for user inbox',
    });
    expect(step(result, 'mailbox')?.status).toBe('skipped');
  });

  it('fails at tls when the server certificate is not trusted', async () => {
    const result = await testImapAdapter({ ...config, caCertificate: certs.otherCa }, secrets);
    expect(step(result, 'tls')?.status).toBe('failed');
    expect(step(result, 'tls')?.message).toMatch(/TLS certificate not trusted/);
  });

  it('fails at mailbox when the mailbox does not exist', async () => {
    const result = await testImapAdapter({ ...config, mailbox: 'Nope' }, secrets);
    expect(step(result, 'mailbox')).toMatchObject({
      status: 'failed',
      message: 'mailbox Nope does not exist or cannot be opened',
    });
  });

  it('fails at connect when nothing listens on the port', async () => {
    const port = await refusedPort();
    const result = await testImapAdapter({ ...config, port }, secrets);
    expect(step(result, 'connect')?.message).toBe(`connection refused on 127.0.0.1:${port}`);
  });

  it('polls unseen messages matching the search, streams one and marks it seen', async () => {
    const body = 'x'.repeat(200000);
    await server.deliver('inbox', message('Invoice 42', 'billing@partner.test', body));
    const session = await openImapReceiver(
      { ...config, search: { unseen: true, subject: 'Invoice' } },
      secrets,
    );
    try {
      const found = await session.poll();
      expect(found.map((m) => [m.subject, m.from])).toEqual([
        ['Invoice 42', 'billing@partner.test'],
      ]);
      const { size } = await digest(await session.read(found[0].uid));
      expect(size).toBe(found[0].size);
      expect(size).toBeGreaterThan(body.length);
      await session.afterRead(found[0].uid);
      expect(await session.poll()).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
