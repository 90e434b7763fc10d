import { type MailReceiverSession } from '@integrixs/adapters';

import { DEFAULT_MAX_PAYLOAD_BYTES } from '../accept-message';
import { emptyOutcome, readAll, type PollOutcome, type TriggerAccept } from './trigger-types';

/**
 * One poll of an IMAP mailbox: each found message's raw source is accepted (message/rfc822,
 * sourceRef = its uid, idempotency key = mailbox + UIDVALIDITY + uid so a crash before after-read
 * stores no second message, and a recreated mailbox reusing uids is not taken as already seen), then the adapter's after-read action runs (mark seen / delete / move). Only
 * the deployment's leader polls, so no claim is needed.
 */
export async function pollMailbox(
  session: MailReceiverSession,
  options: {
    mailbox: string;
    accept: TriggerAccept;
    maxPayloadBytes?: number;
    cancelled?: () => boolean;
  },
): Promise<PollOutcome> {
  const outcome = emptyOutcome();
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  for (const mail of await session.poll()) {
    if (options.cancelled?.()) break;
    try {
      const payload = await readAll(await session.read(mail.uid), limit);
      if (!payload) {
        outcome.errors.push(`uid ${mail.uid}: larger than ${limit} bytes`);
        continue;
      }
      const result = await options.accept({
        trigger: 'POLL',
        payload,
        contentType: 'message/rfc822',
        sourceRef: String(mail.uid),
        idempotencyKey: `imap:${options.mailbox}:${session.uidValidity}:${mail.uid}`,
        maxPayloadBytes: limit,
      });
      if (result.outcome === 'not-active') {
        outcome.stopped = true;
        break;
      }
      if (result.outcome === 'too-large') {
        outcome.errors.push(`uid ${mail.uid}: larger than ${result.limit} bytes`);
        continue;
      }
      outcome[result.outcome === 'accepted' ? 'accepted' : 'duplicates'] += 1;
      await session.afterRead(mail.uid);
    } catch (error) {
      outcome.errors.push(`uid ${mail.uid}: ${(error as Error).message}`);
    }
  }
  return outcome;
}
