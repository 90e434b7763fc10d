/**
 * A real SMTP server for the tests (smtp-server): STARTTLS with the test CA's certificate (or
 * implicit TLS), AUTH PLAIN/LOGIN for one user, and the received messages kept for assertions.
 */
import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

import type { TestCertificates } from './certs';

export interface ReceivedMail {
  from: string;
  to: string[];
  size: number;
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpServer(options: {
  username: string;
  password: string;
  certs: TestCertificates;
  implicitTls?: boolean;
}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: options.implicitTls ?? false,
    key: options.certs.serverKey,
    cert: options.certs.serverCert,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.username && auth.password === options.password)
        callback(null, { user: auth.username });
      else
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          size: raw.length,
          raw: raw.length < 1024 * 1024 ? raw.toString('utf8') : '',
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
