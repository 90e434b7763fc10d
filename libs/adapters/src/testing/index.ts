/**
 * Real protocol servers for tests of the adapters and their callers
 * (`@integrixs/adapters/testing`): SFTP, FTP(S), SMTP, IMAP (dovecot), HTTPS, SOAP, started on
 * 127.0.0.1 by the test. Never part of a build (the API's tsconfig excludes testing/).
 */
export * from './certs';
export * from './dovecot';
export * from './ftp-server';
export * from './https-server';
export * from './ports';
export * from './sftp-server';
export * from './smtp-server';
export * from './soap-server';
export * from './streams';
export * from './temp-dir';
