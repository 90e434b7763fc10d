import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openFileFolder } from '@integrixs/adapters';

import { claimedName, pollFolder, type ForeignClaims } from './file-poller';
import { type TriggerAccept } from './trigger-types';

/**
 * The folder poller on a real folder: what a dead worker claimed is taken over by the leader once
 * the claim has stayed for the stale age, and not before.
 */
describe('pollFolder: claims left by a dead worker', () => {
  let folder: string;
  const accepted: string[] = [];
  const accept: TriggerAccept = (input) => {
    accepted.push(`${input.sourceRef}:${input.payload.toString()}`);
    return Promise.resolve({ outcome: 'accepted', messageId: `m${accepted.length}` });
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'integrixs-claims-'));
    accepted.length = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('takes over another worker claim after staleClaimMs, once, and processes it as its own', async () => {
    writeFileSync(join(folder, claimedName('a.xml', 'gone-worker')), '<a/>');
    writeFileSync(join(folder, 'b.xml'), '<b/>');
    const seen: ForeignClaims = new Map();
    let clock = 1_000_000;
    const poll = () =>
      pollFolder(openFileFolder({ folder, afterRead: { action: 'delete' } }), {
        workerId: 'leader',
        accept,
        afterReadAction: 'delete',
        foreignClaims: seen,
        staleClaimMs: 60_000,
        now: () => clock,
      });

    const first = await poll();
    expect(first.accepted).toBe(1);
    expect(accepted).toEqual(['b.xml:<b/>']);
    // Seen once: too young to be an orphan, left where it is.
    expect(readdirSync(folder)).toEqual([claimedName('a.xml', 'gone-worker')]);

    clock += 59_999;
    expect((await poll()).accepted).toBe(0);
    clock += 1;
    const third = await poll();
    expect(third.accepted).toBe(1);
    expect(accepted).toEqual(['b.xml:<b/>', 'a.xml:<a/>']);
    expect(readdirSync(folder)).toEqual([]);
    expect(seen.size).toBe(0);
  });

  it('forgets a foreign claim that its worker finished, without accepting it', async () => {
    const theirs = claimedName('c.xml', 'busy-worker');
    writeFileSync(join(folder, theirs), '<c/>');
    const seen: ForeignClaims = new Map();
    const options = {
      workerId: 'leader',
      accept,
      afterReadAction: 'delete',
      foreignClaims: seen,
      staleClaimMs: 60_000,
      now: () => 0,
    };
    await pollFolder(openFileFolder({ folder, afterRead: { action: 'delete' } }), options);
    expect(seen.has(theirs)).toBe(true);
    rmSync(join(folder, theirs)); // its worker finished it
    await pollFolder(openFileFolder({ folder, afterRead: { action: 'delete' } }), options);
    expect(seen.size).toBe(0);
    expect(accepted).toEqual([]);
  });
});
