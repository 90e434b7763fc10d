/**
 * One entry point for connection tests by adapter kind, for the API's
 * `POST .../adapters/{id}/test`. EMAIL runs its SMTP and IMAP halves in turn; their steps are
 * labelled so the console can tell them apart.
 */
import type {
  EmailAdapterConfig,
  EmailAdapterSecrets,
  FileAdapterConfig,
  FtpAdapterConfig,
  FtpAdapterSecrets,
  HttpAdapterConfig,
  HttpAdapterSecrets,
  SftpAdapterConfig,
  SftpAdapterSecrets,
  SoapAdapterConfig,
  SoapAdapterSecrets,
} from '@integrixs/domain';

import { testImapAdapter } from './email/imap-adapter';
import { testSmtpAdapter } from './email/smtp-adapter';
import { testFileAdapter } from './file/file-adapter';
import { testFtpAdapter } from './ftp/ftp-adapter';
import { testHttpAdapter } from './http/http-adapter';
import { testSftpAdapter } from './sftp/sftp-adapter';
import type { ConnectionTestOptions } from './shared/adapter';
import type { ConnectionTestResult } from './shared/steps';
import { testSoapAdapter, type SoapTestOptions } from './soap/soap-adapter';

export async function testEmailAdapter(
  config: EmailAdapterConfig,
  secrets: EmailAdapterSecrets = {},
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const result: ConnectionTestResult = { ok: true, steps: [] };
  const halves: [string, () => Promise<ConnectionTestResult>][] = [];
  const { smtp, imap } = config;
  const half = (label: string): ConnectionTestOptions | undefined => {
    const onStep = options?.onStep;
    return onStep
      ? { ...options, onStep: (s) => onStep({ ...s, message: `${label}: ${s.message}` }) }
      : options;
  };
  if (smtp) halves.push(['SMTP', () => testSmtpAdapter(smtp, secrets.smtp, half('SMTP'))]);
  if (imap) halves.push(['IMAP', () => testImapAdapter(imap, secrets.imap, half('IMAP'))]);
  for (const [label, run] of halves) {
    const half = await run();
    result.ok &&= half.ok;
    result.steps.push(...half.steps.map((s) => ({ ...s, message: `${label}: ${s.message}` })));
  }
  return result;
}

/** Configuration and secrets as the API holds them: validated against the kind's schema. */
export type AdapterTestRequest =
  | { kind: 'FILE'; config: FileAdapterConfig; secrets?: Record<string, never> }
  | { kind: 'SFTP'; config: SftpAdapterConfig; secrets: SftpAdapterSecrets }
  | { kind: 'FTP'; config: FtpAdapterConfig; secrets: FtpAdapterSecrets }
  | { kind: 'EMAIL'; config: EmailAdapterConfig; secrets: EmailAdapterSecrets }
  | { kind: 'HTTP'; config: HttpAdapterConfig; secrets: HttpAdapterSecrets }
  | {
      kind: 'SOAP';
      config: SoapAdapterConfig;
      secrets: SoapAdapterSecrets;
      wsdl: SoapTestOptions['wsdl'];
    };

export function testAdapterConnection(
  request: AdapterTestRequest,
  options?: ConnectionTestOptions & { callWith?: Record<string, unknown> },
): Promise<ConnectionTestResult> {
  switch (request.kind) {
    case 'FILE':
      return testFileAdapter(request.config, {}, options);
    case 'SFTP':
      return testSftpAdapter(request.config, request.secrets, options);
    case 'FTP':
      return testFtpAdapter(request.config, request.secrets, options);
    case 'EMAIL':
      return testEmailAdapter(request.config, request.secrets, options);
    case 'HTTP':
      return testHttpAdapter(request.config, request.secrets, options);
    case 'SOAP':
      return testSoapAdapter(request.config, request.secrets, { ...options, wsdl: request.wsdl });
  }
}
