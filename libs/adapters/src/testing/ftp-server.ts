/**
 * A real FTP server for the tests (ftp-srv): plain, explicit FTPS (AUTH TLS) or implicit FTPS,
 * one user with a password, serving a temp folder; passive data connections on 127.0.0.1.
 */
import { FtpSrv } from 'ftp-srv';

import type { TestCertificates } from './certs';
import { freePort } from './ports';

export interface TestFtpServer {
  port: number;
  close(): Promise<void>;
}

/** ftp-srv logs every command through bunyan; the tests want quiet. */
const silent: Record<string, unknown> = {};
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
  silent[level] = () => undefined;
silent['child'] = () => silent;

export async function startFtpServer(options: {
  root: string;
  username: string;
  password: string;
  tls?: 'none' | 'explicit' | 'implicit';
  certs?: TestCertificates;
}): Promise<TestFtpServer> {
  const port = await freePort();
  const mode = options.tls ?? 'none';
  const server = new FtpSrv({
    url: `${mode === 'implicit' ? 'ftps' : 'ftp'}://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: 20000,
    pasv_max: 40000,
    anonymous: false,
    tls:
      mode === 'none' || !options.certs
        ? false
        : { key: options.certs.serverKey, cert: options.certs.serverCert },
    log: silent,
  });
  server.on('login', ({ username, password }, resolve, reject) => {
    if (username === options.username && password === options.password)
      resolve({ root: options.root, cwd: '/' });
    else reject(new Error('bad credentials'));
  });
  await server.listen();
  return {
    port,
    close: async () => {
      // ftp-srv's typings leave close() as any; it returns a promise.
      await (server.close() as Promise<void>);
    },
  };
}
