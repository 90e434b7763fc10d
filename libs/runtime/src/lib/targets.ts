import { Readable } from 'node:stream';

import {
  callSoapOperation,
  HttpAdapterSession,
  openFileFolder,
  openFtpFolder,
  openSftpFolder,
  openSmtpSender,
  parseWsdl,
  type FileTransferSession,
  type TargetPolicy,
} from '@integrixs/adapters';
import {
  type EmailAdapterConfig,
  type EmailAdapterSecrets,
  type FileAdapterConfig,
  type FtpAdapterConfig,
  type HttpAdapterConfig,
  type SftpAdapterConfig,
  type SoapAdapterConfig,
} from '@integrixs/domain';

import { type EffectiveAdapter } from './deployment-assets';
import { isJson, PermanentStepError } from './engines';

/** What one target delivery is about: the message's effect key and what it carries. */
export interface Delivery {
  originId: string;
  nodeId: string;
  text: string;
  contentType: string;
  policy?: TargetPolicy;
}

/** What a delivery reports: step detail (target, status, file name …) and the answer it got. */
export interface Delivered {
  detail: Record<string, unknown>;
  /** What the target answered (HTTP body, SOAP result), for the step's snapshot. */
  answer?: string;
}

/** A response body kept for the snapshot: at most this much is read, the rest is drained. */
const ANSWER_BYTES = 16 * 1024;

/** The idempotency key every target effect carries: the origin message and the target node. */
export const idempotencyKey = (originId: string, nodeId: string) => `${originId}:${nodeId}`;

/** The name a file target writes: the origin message and node, so a retry overwrites, never adds. */
export function targetFileName(
  delivery: Pick<Delivery, 'originId' | 'nodeId' | 'contentType' | 'text'>,
) {
  const ext = isJson(delivery.contentType, delivery.text)
    ? '.json'
    : /xml/i.test(delivery.contentType) || delivery.text.trimStart().startsWith('<')
      ? '.xml'
      : '.dat';
  return `${delivery.originId}.${delivery.nodeId}${ext}`;
}

/**
 * Performs one target's effect with the adapter's effective configuration, carrying the
 * idempotency key each protocol knows: FILE/SFTP/FTP write `<origin>.<node>.<ext>` through
 * `<name>.part` + rename (a retry overwrites the same name); HTTP sends `Idempotency-Key:
 * <origin>:<node>` and fails on any non-2xx answer; EMAIL sends with Message-ID
 * `<origin.node@integrixs>` to the recipients of a JSON message (`to`, `subject`, `text`); SOAP
 * calls the configured operation with the JSON message as its input.
 */
export async function deliver(adapter: EffectiveAdapter, delivery: Delivery): Promise<Delivered> {
  const target = {
    target: adapter.name,
    adapterId: adapter.assetId,
    adapterType: adapter.adapterType,
  };
  switch (adapter.adapterType) {
    case 'FILE': {
      // The payload is in memory: written without a stream (the runtime's most common target).
      const name = targetFileName(delivery);
      const text = Buffer.from(delivery.text, 'utf8');
      await openFileFolder(adapter.config as unknown as FileAdapterConfig).write(name, text);
      return { detail: { ...target, file: name, bytes: text.length } };
    }
    case 'SFTP':
    case 'FTP': {
      const name = targetFileName(delivery);
      const session = await openFolder(adapter, delivery.policy);
      try {
        await session.write(name, Readable.from([Buffer.from(delivery.text, 'utf8')]));
      } finally {
        await session.close().catch(() => undefined);
      }
      return { detail: { ...target, file: name, bytes: Buffer.byteLength(delivery.text) } };
    }
    case 'HTTP': {
      const config = adapter.config as unknown as HttpAdapterConfig;
      const session = new HttpAdapterSession(config, adapter.secrets, {
        policy: delivery.policy,
      });
      const key = idempotencyKey(delivery.originId, delivery.nodeId);
      const response = await session.request('', {
        headers: { 'content-type': delivery.contentType, 'idempotency-key': key },
        body: delivery.text,
      });
      const answer = await readCapped(response.body);
      const detail = {
        ...target,
        method: config.method ?? 'POST',
        status: response.status,
        idempotencyKey: key,
      };
      if (response.status < 200 || response.status >= 300)
        throw Object.assign(new Error(`the target answered HTTP ${response.status}`), { detail });
      return { detail, answer };
    }
    case 'EMAIL': {
      const config = adapter.config as unknown as EmailAdapterConfig;
      if (!config.smtp)
        throw new PermanentStepError(
          'the EMAIL adapter has no SMTP configuration',
          'adapter_invalid',
        );
      const mail = mailOf(delivery);
      const sender = await openSmtpSender(
        config.smtp,
        (adapter.secrets as EmailAdapterSecrets).smtp,
        { policy: delivery.policy },
      );
      try {
        const messageId = `<${delivery.originId}.${delivery.nodeId}@integrixs>`;
        const sent = await sender.send({ ...mail, messageId });
        return { detail: { ...target, messageId, accepted: sent.accepted } };
      } finally {
        await sender.close().catch(() => undefined);
      }
    }
    case 'SOAP': {
      const config = adapter.config as unknown as SoapAdapterConfig;
      if (!adapter.wsdl)
        throw new PermanentStepError('the SOAP adapter names no WSDL', 'adapter_invalid');
      let args: unknown;
      try {
        args = JSON.parse(delivery.text);
      } catch {
        throw new PermanentStepError(
          'a SOAP target calls its operation with a JSON message',
          'input_unreadable',
        );
      }
      const wsdl = await parseWsdl(adapter.wsdl.xml, adapter.wsdl.uri, adapter.wsdl.files);
      const result = await callSoapOperation(
        wsdl,
        config,
        adapter.secrets,
        (args ?? {}) as Record<string, unknown>,
        delivery.policy,
      );
      return {
        detail: { ...target, operation: config.operation },
        answer: JSON.stringify(result ?? null),
      };
    }
  }
}

function openFolder(
  adapter: EffectiveAdapter,
  policy?: TargetPolicy,
): Promise<FileTransferSession> {
  switch (adapter.adapterType) {
    case 'SFTP':
      return openSftpFolder(adapter.config as unknown as SftpAdapterConfig, adapter.secrets, {
        policy,
      });
    case 'FTP':
      return openFtpFolder(adapter.config as unknown as FtpAdapterConfig, adapter.secrets, {
        policy,
      });
    default:
      throw new Error(`${adapter.adapterType} is not a remote folder`);
  }
}

function mailOf(delivery: Delivery) {
  let message: Record<string, unknown> | undefined;
  if (isJson(delivery.contentType, delivery.text)) {
    try {
      const parsed = JSON.parse(delivery.text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        message = parsed as Record<string, unknown>;
    } catch {
      // not JSON after all: no recipients
    }
  }
  const to = message?.['to'];
  const recipients =
    typeof to === 'string'
      ? [to]
      : Array.isArray(to)
        ? to.filter((t) => typeof t === 'string')
        : [];
  if (recipients.length === 0)
    throw new PermanentStepError(
      'an EMAIL target sends to the recipients the message names: map it to JSON with "to" (and "subject", "text")',
      'no_recipients',
    );
  return {
    to: recipients,
    subject:
      typeof message?.['subject'] === 'string'
        ? message['subject']
        : `Integrixs message ${delivery.originId}`,
    text: typeof message?.['text'] === 'string' ? message['text'] : delivery.text,
  };
}

async function readCapped(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    if (size < ANSWER_BYTES) chunks.push(buffer.subarray(0, ANSWER_BYTES - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
