import { type FileTransferSession, type RemoteFile } from '@integrixs/adapters';

import { DEFAULT_MAX_PAYLOAD_BYTES } from '../accept-message';
import { emptyOutcome, readAll, type PollOutcome, type TriggerAccept } from './trigger-types';

const CLAIM = /\.integrixs-[A-Za-z0-9_-]+\.claimed$/;

/** The name a worker renames a file to before reading it. */
export function claimedName(name: string, workerId: string): string {
  return `${name}.integrixs-${workerId.replace(/[^A-Za-z0-9_-]/g, '_')}.claimed`;
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  xml: 'application/xml',
  csv: 'text/csv',
  txt: 'text/plain',
  edi: 'application/edi-x12',
};

function contentTypeOf(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/** How long another worker's claim may sit in a folder before the leader takes it over. */
export const DEFAULT_STALE_CLAIM_MS = 10 * 60_000;

/**
 * Other workers' claims seen in a folder, by claimed name → when this leader first saw it. The
 * scheduler keeps one per deployment it leads; entries of claims gone from the folder drop out.
 */
export type ForeignClaims = Map<string, number>;

/**
 * Other workers' claims that have stayed for `staleMs` in this leader's sight: their worker died
 * (or was scaled away) between claiming and finishing. Only the deployment's leader polls, so a
 * claim outliving a poll interval many times over is an orphan.
 */
function staleForeignClaims(
  listed: readonly RemoteFile[],
  mine: string,
  seen: ForeignClaims,
  staleMs: number,
  now: number,
): RemoteFile[] {
  const foreign = listed.filter((f) => CLAIM.test(f.name) && !f.name.endsWith(mine));
  const present = new Set(foreign.map((f) => f.name));
  for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
  for (const f of foreign) if (!seen.has(f.name)) seen.set(f.name, now);
  return foreign.filter((f) => now - (seen.get(f.name) ?? now) >= staleMs);
}

/** A file's idempotency key: the same file (name, size, mtime) is one message, even re-read. */
export function fileKey(file: RemoteFile): string {
  return `file:${file.name}:${file.size}:${file.modifiedAt?.getTime() ?? 0}`;
}

/**
 * One poll of a FILE/SFTP/FTP folder. Each file is CLAIMED by renaming it to
 * `<name>.integrixs-<worker>.claimed` (a rename of a file another worker already renamed fails,
 * so two workers never take the same file), read, accepted (sourceRef = its name, idempotency
 * key = name:size:mtime, so a crash after the commit and before after-read stores no second
 * message), then handled by the adapter's after-read action under its original name: `keep`
 * renames it back (the key keeps it from being accepted twice). This worker's own claims left by
 * an earlier crash are finished first, then other workers' claims left for `staleClaimMs` (taken
 * over by renaming them to this worker's claim: one rename wins; the idempotency key keeps a
 * file the dead worker had already accepted from becoming a second message).
 */
export async function pollFolder(
  session: FileTransferSession,
  options: {
    workerId: string;
    accept: TriggerAccept;
    afterReadAction: string;
    maxPayloadBytes?: number;
    /** Stop between files (the scheduler is stopping). */
    cancelled?: () => boolean;
    /** Other workers' claims seen by earlier polls (kept by the caller between polls). */
    foreignClaims?: ForeignClaims;
    staleClaimMs?: number;
    now?: () => number;
  },
): Promise<PollOutcome> {
  const outcome = emptyOutcome();
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const listed = await session.list();
  const mine = claimedName('', options.workerId);
  const own = listed
    .filter((f) => f.name.endsWith(mine) && f.name.length > mine.length)
    .map((f) => ({
      file: { ...f, name: f.name.slice(0, -mine.length) },
      claim: f.name,
      owned: true,
    }));
  const orphans = staleForeignClaims(
    listed,
    mine,
    options.foreignClaims ?? new Map<string, number>(),
    options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS,
    (options.now ?? Date.now)(),
  );
  for (const orphan of orphans) {
    const name = orphan.name.replace(CLAIM, '');
    const claim = claimedName(name, options.workerId);
    try {
      await session.rename(orphan.name, claim);
      own.push({ file: { ...orphan, name }, claim, owned: true });
      options.foreignClaims?.delete(orphan.name);
    } catch {
      outcome.skipped += 1; // its worker finished it after all, or another leader took it
    }
  }
  const fresh = listed
    .filter((f) => !CLAIM.test(f.name))
    .map((f) => ({ file: f, claim: claimedName(f.name, options.workerId), owned: false }));
  for (const { file, claim, owned } of [...own, ...fresh]) {
    if (options.cancelled?.()) break;
    if (!owned) {
      try {
        await session.rename(file.name, claim);
      } catch {
        outcome.skipped += 1; // another worker renamed it first (or it is gone)
        continue;
      }
    }
    try {
      const payload = await readAll(await session.read(claim), limit);
      if (!payload) {
        outcome.errors.push(`${file.name}: larger than ${limit} bytes, left as ${claim}`);
        continue;
      }
      const result = await options.accept({
        trigger: 'POLL',
        payload,
        contentType: contentTypeOf(file.name),
        sourceRef: file.name,
        idempotencyKey: fileKey(file),
        maxPayloadBytes: limit,
      });
      if (result.outcome === 'not-active') {
        await session.rename(claim, file.name); // give it back: the deployment no longer accepts
        outcome.stopped = true;
        break;
      }
      if (result.outcome === 'too-large') {
        outcome.errors.push(`${file.name}: larger than ${result.limit} bytes, left as ${claim}`);
        continue;
      }
      outcome[result.outcome === 'accepted' ? 'accepted' : 'duplicates'] += 1;
      if (options.afterReadAction === 'keep') await session.rename(claim, file.name);
      else await session.afterRead(claim, file.name);
    } catch (error) {
      outcome.errors.push(`${file.name}: ${(error as Error).message}`);
    }
  }
  return outcome;
}
