import {
  makeCertificates,
  refusedPort,
  startDovecot,
  startSmtpServer,
  type TestCertificates,
  type TestImapServer,
  type TestSmtpServer,
} from '@integrixs/adapters/testing';

import { createPackage } from './support/access-fixtures';
import {
  connectionTest,
  createAdapter,
  expectKept,
  failedStep,
  putOverlay,
  setSecrets,
  summary,
} from './support/adapter-connections';
import { startTestApp, type TestApp } from './support/test-app';

const SMTP_PASSWORD = 'api-smtp-connection-Pw-2b71';
const IMAP_PASSWORD = 'api-imap-connection-Pw-94c0';
const WRONG = 'api-email-wrong-Pw-5e0d';

/**
 * EMAIL connection tests through the API: SMTP against smtp-server with STARTTLS and AUTH, IMAP
 * against a real Dovecot (`dovecot-imapd`, installed or explained by the testing helper exactly
 * as for the library's own IMAP tests; CI installs it in .ci/run).
 */
describe('EMAIL connection tests through the API, against real SMTP and IMAP servers', () => {
  let t: TestApp;
  let pkg: string;
  let certs: TestCertificates;
  let smtp: TestSmtpServer;
  let imap: TestImapServer;
  let smtpUrl: string;
  let imapUrl: string;

  beforeAll(async () => {
    certs = makeCertificates();
    smtp = await startSmtpServer({ username: 'mailer', password: SMTP_PASSWORD, certs });
    imap = await startDovecot({ users: [{ name: 'inbox', password: IMAP_PASSWORD }], certs });
    t = await startTestApp();
    pkg = await createPackage(t, 'Email connections');
    const server = { host: '127.0.0.1', tls: 'starttls', caCertificate: certs.ca };
    smtpUrl = await createAdapter(t, pkg, {
      name: 'Outgoing mail',
      adapterType: 'EMAIL',
      direction: 'TARGET',
      configuration: {
        smtp: {
          ...server,
          port: smtp.port,
          username: 'mailer',
          password: SMTP_PASSWORD,
          from: 'flows@integrixs.test',
        },
      },
    });
    imapUrl = await createAdapter(t, pkg, {
      name: 'Order mailbox',
      adapterType: 'EMAIL',
      direction: 'SOURCE',
      configuration: {
        imap: {
          ...server,
          port: imap.port,
          username: 'inbox',
          password: IMAP_PASSWORD,
          mailbox: 'INBOX',
        },
      },
    });
  }, 330_000); // a fresh machine installs Dovecot first (libs/adapters/src/testing/dovecot.ts)
  afterAll(async () => {
    await t?.close();
    await Promise.all([smtp?.close(), imap?.close()]);
  });

  describe('SMTP (STARTTLS + AUTH)', () => {
    it('passes EHLO, STARTTLS and AUTH, and sends nothing without sendTestTo', async () => {
      const before = smtp.received.length;
      const result = await connectionTest(t, smtpUrl, 'DEV');
      expect(summary(result)).toEqual([
        'resolve:passed',
        'connect:passed',
        'tls:passed',
        'authenticate:passed',
        'send:skipped',
      ]);
      expect(result.steps.every((s) => s.message.startsWith('SMTP: '))).toBe(true);
      expect(smtp.received.length).toBe(before);
    });

    it('sends one test message when sendTestTo is given', async () => {
      const result = await connectionTest(t, smtpUrl, 'DEV', { sendTestTo: 'ops@integrixs.test' });
      expect(result.steps.find((s) => s.step === 'send')?.status).toBe('passed');
      expect(smtp.received.at(-1)).toMatchObject({
        from: 'flows@integrixs.test',
        to: ['ops@integrixs.test'],
      });
    });

    it('fails at authenticate with a wrong password set for TEST, naming the user', async () => {
      await setSecrets(t, smtpUrl, 'TEST', { '/smtp/password': WRONG });
      const result = await connectionTest(t, smtpUrl, 'TEST');
      expect(failedStep(result)).toMatchObject({
        step: 'authenticate',
        message: 'SMTP: authentication failed for user mailer',
      });
      expect(JSON.stringify(result)).not.toContain(WRONG);
    });

    it('fails at connect when nothing listens on the PROD port', async () => {
      const port = await refusedPort();
      await putOverlay(t, smtpUrl, 'PROD', { smtp: { port } });
      const result = await connectionTest(t, smtpUrl, 'PROD');
      expect(failedStep(result)).toMatchObject({
        step: 'connect',
        message: `SMTP: connection refused on 127.0.0.1:${port}`,
      });
    });
  });

  describe('IMAP (Dovecot, STARTTLS)', () => {
    it('logs in over STARTTLS and selects the mailbox', async () => {
      const result = await connectionTest(t, imapUrl, 'DEV');
      expect(summary(result)).toEqual([
        'resolve:passed',
        'connect:passed',
        'tls:passed',
        'authenticate:passed',
        'mailbox:passed',
      ]);
      expect(result.steps.at(-1)?.message).toMatch(
        /^IMAP: mailbox INBOX selected \(\d+ messages\)$/,
      );
    });

    it('fails at authenticate with a wrong password set for TEST, naming the user', async () => {
      await setSecrets(t, imapUrl, 'TEST', { '/imap/password': WRONG });
      const result = await connectionTest(t, imapUrl, 'TEST');
      expect(failedStep(result)).toMatchObject({
        step: 'authenticate',
        message: 'IMAP: authentication failed for user inbox',
      });
      expect(JSON.stringify(result)).not.toContain(WRONG);
    });

    it('fails at mailbox when the PROD mailbox does not exist', async () => {
      await putOverlay(t, imapUrl, 'PROD', { imap: { mailbox: 'Nope' } });
      const result = await connectionTest(t, imapUrl, 'PROD');
      expect(failedStep(result)).toMatchObject({
        step: 'mailbox',
        message: 'IMAP: mailbox Nope does not exist or cannot be opened',
      });
    });

    it('fails at tls when the server certificate is not trusted', async () => {
      await putOverlay(t, imapUrl, 'PROD', {
        imap: { mailbox: 'INBOX', caCertificate: certs.otherCa },
      });
      const result = await connectionTest(t, imapUrl, 'PROD');
      expect(failedStep(result)?.step).toBe('tls');
      expect(failedStep(result)?.message).toMatch(/^IMAP: TLS certificate not trusted/);
    });
  });

  it('keeps the last result per adapter and environment', async () => {
    const results = {
      smtp: [await connectionTest(t, smtpUrl, 'DEV'), await connectionTest(t, smtpUrl, 'TEST')],
      imap: [await connectionTest(t, imapUrl, 'DEV'), await connectionTest(t, imapUrl, 'PROD')],
    };
    expect([...results.smtp, ...results.imap].map((r) => r.ok)).toEqual([true, false, true, false]);
    await expectKept(t, smtpUrl, results.smtp);
    await expectKept(t, imapUrl, results.imap);
  });
});
