/**
 * EMAIL sending over SMTP (nodemailer). The connection test says EHLO, upgrades with STARTTLS
 * (or starts in TLS), authenticates, and sends nothing unless `sendTestTo` is given.
 */
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';

import { createTransport, type Transporter } from 'nodemailer';

import type { EmailAdapterSecrets, SmtpConfig } from '@integrixs/domain';

import {
  stepBudget,
  type ConnectionTestOptions,
  type MailSenderSession,
  type OutgoingMail,
} from '../shared/adapter';
import { asError, StepFailure } from '../shared/explain-error';
import { resolveAndConnect } from '../shared/network';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { resolveTarget } from '../shared/target-policy';

function transport(
  address: string,
  config: SmtpConfig,
  password: string | undefined,
  withAuth: boolean,
  timeoutMs: number,
): Transporter {
  const tls = config.tls ?? 'starttls';
  return createTransport({
    host: address,
    port: config.port ?? 587,
    secure: tls === 'implicit',
    requireTLS: tls === 'starttls',
    ignoreTLS: tls === 'none',
    auth: withAuth && config.username ? { user: config.username, pass: password ?? '' } : undefined,
    tls: {
      servername: isIP(config.host) ? undefined : config.host,
      ca: config.caCertificate ? [...rootCertificates, config.caCertificate] : undefined,
      rejectUnauthorized: config.rejectUnauthorized ?? true,
    },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

function explainSmtp(error: unknown, config: SmtpConfig): Error {
  const e = error as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH' || e.responseCode === 535)
    return new StepFailure(`authentication failed for user ${config.username ?? ''}`);
  return asError(error);
}

/** resolve → connect → tls (EHLO + STARTTLS) → authenticate → send (only with sendTestTo). */
export async function testSmtpAdapter(
  config: SmtpConfig,
  secrets: EmailAdapterSecrets['smtp'] = {},
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const budget = stepBudget(options, config.connectTimeoutMs);
  const runner = new StepRunner(budget, options?.onStep);
  const target = await resolveAndConnect(runner, config.host, config.port ?? 587, options);
  const tls = config.tls ?? 'starttls';
  const greet = transport(target?.address ?? '', config, undefined, false, budget);
  await runner.run(
    'tls',
    () => greet.verify(),
    () =>
      tls === 'none'
        ? 'EHLO accepted (plain text, no TLS)'
        : `EHLO accepted, ${tls === 'starttls' ? 'STARTTLS' : 'implicit TLS'} established, certificate trusted`,
  );
  greet.close();
  const sender = transport(target?.address ?? '', config, secrets?.password, true, budget);
  try {
    if (!config.username)
      runner.skip('authenticate', 'no username configured: sending without AUTH');
    else
      await runner.run(
        'authenticate',
        () => sender.verify().catch((e) => Promise.reject(explainSmtp(e, config))),
        () => `authenticated as ${config.username}`,
      );
    if (!options?.sendTestTo) runner.skip('send', 'no test message sent (sendTestTo not given)');
    else
      await runner.run(
        'send',
        () =>
          sender.sendMail({
            from: config.from,
            to: options.sendTestTo,
            subject: 'Integrixs connection test',
            text: 'This message was sent by an Integrixs adapter connection test.',
          }) as Promise<{ messageId: string }>,
        (info) => `test message ${info.messageId} accepted for ${options.sendTestTo}`,
      );
  } finally {
    sender.close();
  }
  return runner.result();
}

export class SmtpSenderSession implements MailSenderSession {
  constructor(
    private readonly transporter: Transporter,
    private readonly config: SmtpConfig,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string; accepted: string[] }> {
    const info = (await this.transporter.sendMail({ from: this.config.from, ...mail })) as {
      messageId: string;
      accepted: (string | { address: string })[];
    };
    return {
      messageId: info.messageId,
      accepted: info.accepted.map((a) => (typeof a === 'string' ? a : a.address)),
    };
  }

  close(): Promise<void> {
    this.transporter.close();
    return Promise.resolve();
  }
}

export async function openSmtpSender(
  config: SmtpConfig,
  secrets: EmailAdapterSecrets['smtp'] = {},
  options?: ConnectionTestOptions,
): Promise<MailSenderSession> {
  const target = await resolveTarget(config.host, options?.policy);
  const timeout = config.connectTimeoutMs ?? 10000;
  return new SmtpSenderSession(
    transport(target.address, config, secrets?.password, true, timeout),
    config,
  );
}
