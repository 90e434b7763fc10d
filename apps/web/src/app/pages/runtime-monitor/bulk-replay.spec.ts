import { type BulkReplayResultDto, type DeadLetterDto } from '@integrixs/api-client';

import { bulkReplayRows, bulkReplaySummary } from './bulk-replay';

const letter = (id: string, flowName: string, nodeId: string): DeadLetterDto =>
  ({ id, flowName, nodeId, status: 'OPEN' }) as DeadLetterDto;

const RESULT: BulkReplayResultDto = {
  items: [
    { id: 'd-1', outcome: 'REPLAYED', messageId: 'm-1', detail: null },
    { id: 'd-2', outcome: 'NOT_OPEN', messageId: null, detail: 'It is REPLAYED' },
    { id: 'd-3', outcome: 'NO_ACTIVE_DEPLOYMENT', messageId: null, detail: null },
    { id: 'd-4', outcome: 'REPLAYED', messageId: 'm-4', detail: null },
  ],
  replayed: 2,
  skipped: 2,
};

describe('bulkReplayRows', () => {
  it('names each id after the dead letter shown for it, skipped ones first, in the order sent', () => {
    const rows = bulkReplayRows(RESULT, [
      letter('d-1', 'Invoices', 'send'),
      letter('d-2', 'Invoices', 'map'),
      letter('d-4', 'Orders', 'write'),
    ]);
    expect(rows).toEqual([
      {
        id: 'd-2',
        label: 'Invoices · map',
        replayed: false,
        outcome: 'No longer open',
        messageId: null,
        detail: 'It is REPLAYED',
      },
      {
        id: 'd-3',
        label: 'd-3',
        replayed: false,
        outcome: 'No active deployment in its environment',
        messageId: null,
        detail: null,
      },
      {
        id: 'd-1',
        label: 'Invoices · send',
        replayed: true,
        outcome: 'Replayed',
        messageId: 'm-1',
        detail: null,
      },
      {
        id: 'd-4',
        label: 'Orders · write',
        replayed: true,
        outcome: 'Replayed',
        messageId: 'm-4',
        detail: null,
      },
    ]);
  });

  it('shows an outcome it does not know (a newer API) as it is', () => {
    const newer = { id: 'd-9', outcome: 'LATER', messageId: null, detail: null };
    const rows = bulkReplayRows(
      {
        items: [newer as BulkReplayResultDto['items'][number]],
        replayed: 0,
        skipped: 1,
      },
      [],
    );
    expect(rows[0]?.outcome).toBe('LATER');
  });
});

describe('bulkReplaySummary', () => {
  it('counts replayed and skipped', () => {
    expect(bulkReplaySummary(RESULT)).toBe('2 replayed, 2 skipped');
    expect(bulkReplaySummary({ ...RESULT, replayed: 4, skipped: 0 })).toBe('4 replayed');
  });
});
