import type { SmtpConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { testAdapterConnection } from '../test-connection';
import { makeCertificates, type TestCertificates } from '../testing/certs';
import { refusedPort } from '../testing/ports';
import { startSmtpServer, type TestSmtpServer } from '../testing/smtp-server';
import { generatedStream } from '../testing/streams';
import { openSmtpSender, testSmtpAdapter } from './smtp-adapter';

const secrets = { password: 'smtp-secret-1' };
const summary = (r: ConnectionTestResult) => r.steps.map((s) => `${s.step}:${s.status}`);
const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

describe('SMTP adapter against a real SMTP server with STARTTLS and AUTH', () => {
  let certs: TestCertificates;
  let server: TestSmtpServer;
  let implicit: TestSmtpServer;
  let config: SmtpConfig;

  beforeAll(async () => {
    certs = makeCertificates();
    const user = { username: 'mailer', password: secrets.password, certs };
    server = await startSmtpServer(user);
    implicit = await startSmtpServer({ ...user, implicitTls: true });
    config = {
      host: '127.0.0.1',
      port: server.port,
      tls: 'starttls',
      username: 'mailer',
      caCertificate: certs.ca,
      from: 'flows@integrixs.test',
    };
  });
  afterAll(async () => {
    await server.close();
    await implicit.close();
  });

  it('passes EHLO, STARTTLS and AUTH without sending anything', async () => {
    const before = server.received.length;
    const result = await testSmtpAdapter(config, secrets);
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:passed',
      'authenticate:passed',
      'send:skipped',
    ]);
    expect(server.received.length).toBe(before);
  });

  it('sends a test message when sendTestTo is given', async () => {
    const result = await testSmtpAdapter(config, secrets, { sendTestTo: 'ops@integrixs.test' });
    expect(step(result, 'send')?.status).toBe('passed');
    expect(server.received.at(-1)).toMatchObject({
      from: 'flows@integrixs.test',
      to: ['ops@integrixs.test'],
    });
  });

  it('passes over implicit TLS', async () => {
    const result = await testSmtpAdapter(
      { ...config, port: implicit.port, tls: 'implicit' },
      secrets,
    );
    expect(result.ok).toBe(true);
  });

  it('fails at authenticate with a wrong password, naming the user', async () => {
    const result = await testSmtpAdapter(config, { password: 'wrong-secret-value' });
    // The attempted password appears in no step message.
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
    expect(step(result, 'authenticate')).toMatchObject({
      status: 'failed',
      message: 'authentication failed for user mailer',
    });
    expect(step(result, 'send')?.status).toBe('skipped');
  });

  it('fails at tls when the server certificate is not trusted', async () => {
    const result = await testSmtpAdapter({ ...config, caCertificate: certs.otherCa }, secrets);
    expect(step(result, 'tls')?.status).toBe('failed');
    expect(step(result, 'tls')?.message).toMatch(/^TLS certificate not trusted \(/);
  });

  it('fails at connect when nothing listens on the port', async () => {
    const port = await refusedPort();
    const result = await testSmtpAdapter({ ...config, port }, secrets);
    expect(step(result, 'connect')?.message).toBe(`connection refused on 127.0.0.1:${port}`);
  });

  it('sends a message with a large streamed attachment', async () => {
    const session = await openSmtpSender(config, secrets);
    const size = 6 * 1024 * 1024;
    const sent = await session.send({
      to: 'partner@integrixs.test',
      subject: 'Invoice batch',
      text: 'See attachment.',
      attachments: [{ filename: 'batch.bin', content: generatedStream(size) }],
    });
    await session.close();
    expect(sent.accepted).toEqual(['partner@integrixs.test']);
    // base64 grows the attachment by a third; the message arrived whole.
    expect(server.received.at(-1)?.size).toBeGreaterThan((size * 4) / 3);
  });

  it('labels the SMTP half of an EMAIL adapter test and reports its failure', async () => {
    const result = await testAdapterConnection({
      kind: 'EMAIL',
      config: { smtp: config },
      secrets: { smtp: { password: 'wrong' } },
    });
    expect(result.ok).toBe(false);
    expect(result.steps.find((s) => s.step === 'authenticate')?.message).toBe(
      'SMTP: authentication failed for user mailer',
    );
  });
});
