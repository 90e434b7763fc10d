/**
 * The interfaces every adapter kind implements. A connection test is a one-shot function; the
 * operations (list/read/write, send, poll, request) live on a session that holds one connection
 * and must be closed. Bodies are streams so large files never sit in memory whole.
 */
import type { Readable } from 'node:stream';

import type { ConnectionTestResult, ConnectionTestStep } from './steps';
import type { TargetPolicy } from './target-policy';

export interface ConnectionTestOptions {
  /** Which hosts may be contacted; loopback allowed and cloud metadata denied by default. */
  policy?: TargetPolicy;
  /** Upper bound for each step, in milliseconds (default 10 s; config timeouts win if lower). */
  stepTimeoutMs?: number;
  /** SMTP only: send a test message to this address (nothing is sent without it). */
  sendTestTo?: string;
  /** Called with each step as it completes, in order (the result still lists them all). */
  onStep?: (step: ConnectionTestStep) => void;
}

/** `test(config, secrets, options)`: really connects and reports ordered steps. */
export type ConnectionTester<C, S> = (
  config: C,
  secrets: S,
  options?: ConnectionTestOptions,
) => Promise<ConnectionTestResult>;

export interface RemoteFile {
  name: string;
  size: number;
  modifiedAt?: Date;
}

/** FILE, SFTP and FTP: one folder, files matching the configured pattern. */
export interface FileTransferSession {
  /** Files in the folder matching the pattern (the poll of a source adapter), oldest first. */
  list(): Promise<RemoteFile[]>;
  /** The file's content as a stream. */
  read(name: string): Promise<Readable>;
  /** Writes the stream to `<name>.part` then renames it to `name`, so readers never see half. */
  write(name: string, content: Readable): Promise<void>;
  /**
   * Applies the configured after-read action (keep, delete, move/archive to a folder); a move
   * files it under `archiveName` when given (a claimed file archived under its original name).
   */
  afterRead(name: string, archiveName?: string): Promise<void>;
  /**
   * Renames a file inside the folder; fails when `from` is gone (another poller claimed it
   * first): the runtime's triggers claim files by renaming them.
   */
  rename(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text?: string | Readable;
  html?: string | Readable;
  attachments?: { filename: string; content: Readable | string; contentType?: string }[];
  /** The Message-ID to send with (`<id@domain>`): the flow runtime's idempotency key. */
  messageId?: string;
}

/** EMAIL via SMTP. */
export interface MailSenderSession {
  send(mail: OutgoingMail): Promise<{ messageId: string; accepted: string[] }>;
  close(): Promise<void>;
}

export interface IncomingMail {
  uid: number;
  subject?: string;
  from?: string;
  size: number;
}

/** EMAIL via IMAP: poll the mailbox, read a message's raw source as a stream. */
export interface MailReceiverSession {
  /**
   * The opened mailbox's UIDVALIDITY: uids are unique only with it (a mailbox recreated on the
   * server starts its uids again under a new one).
   */
  readonly uidValidity: string;
  poll(): Promise<IncomingMail[]>;
  read(uid: number): Promise<Readable>;
  afterRead(uid: number): Promise<void>;
  close(): Promise<void>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** HTTP/REST. */
export interface HttpSession {
  request(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: Readable | string },
  ): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** Millisecond budget for a step: the smaller of the option and the configuration's own. */
export function stepBudget(options: ConnectionTestOptions | undefined, configMs?: number): number {
  const fromOptions = options?.stepTimeoutMs ?? 10000;
  return configMs ? Math.min(configMs, fromOptions) : fromOptions;
}
