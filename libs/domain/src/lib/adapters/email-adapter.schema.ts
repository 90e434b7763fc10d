import { hostField, pemField, secretField, timeoutField } from './common';

const mailboxServer = (defaultPort: number) => ({
  host: hostField,
  port: { type: 'integer', minimum: 1, maximum: 65535, default: defaultPort },
  tls: {
    enum: ['none', 'starttls', 'implicit'],
    default: 'starttls',
    description:
      'none: plain text; starttls: upgrade after connecting; implicit: TLS from the start.',
  },
  username: { type: 'string', minLength: 1, maxLength: 255 },
  password: secretField('Password.'),
  caCertificate: pemField('CA bundle (PEM) trusted in addition to the system CAs.'),
  rejectUnauthorized: { type: 'boolean', default: true },
  connectTimeoutMs: timeoutField(10000),
});

/** EMAIL: SMTP to send, IMAP to receive; at least one of the two. */
export const EMAIL_ADAPTER_SCHEMA = {
  $id: 'https://integrixs.dev/schemas/adapters/email.json',
  title: 'Email adapter',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  anyOf: [
    { properties: { smtp: true }, required: ['smtp'] },
    { properties: { imap: true }, required: ['imap'] },
  ],
  properties: {
    smtp: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'from'],
      properties: {
        ...mailboxServer(587),
        from: { type: 'string', minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' },
      },
    },
    imap: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'username'],
      properties: {
        ...mailboxServer(143),
        mailbox: { type: 'string', minLength: 1, maxLength: 255, default: 'INBOX' },
        search: {
          type: 'object',
          additionalProperties: false,
          properties: {
            unseen: { type: 'boolean', default: true },
            from: { type: 'string', maxLength: 320 },
            subject: { type: 'string', maxLength: 998 },
          },
        },
        afterRead: {
          type: 'object',
          additionalProperties: false,
          required: ['action'],
          properties: {
            action: { enum: ['mark-seen', 'move', 'delete'], default: 'mark-seen' },
            targetMailbox: { type: 'string', minLength: 1, maxLength: 255 },
          },
          if: { properties: { action: { const: 'move' } } },
          then: { properties: { targetMailbox: true }, required: ['targetMailbox'] },
        },
      },
    },
  },
} as const;

type MailServerConfig = {
  host: string;
  port?: number;
  tls?: 'none' | 'starttls' | 'implicit';
  username?: string;
  caCertificate?: string;
  rejectUnauthorized?: boolean;
  connectTimeoutMs?: number;
};
export type SmtpConfig = MailServerConfig & { from: string };
export type ImapConfig = MailServerConfig & {
  username: string;
  mailbox?: string;
  search?: { unseen?: boolean; from?: string; subject?: string };
  afterRead?: { action: 'mark-seen' | 'move' | 'delete'; targetMailbox?: string };
};
export type EmailAdapterConfig = { smtp?: SmtpConfig; imap?: ImapConfig };
export type EmailAdapterSecrets = { smtp?: { password?: string }; imap?: { password?: string } };
