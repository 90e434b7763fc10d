import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { NEVER } from 'rxjs';

import {
  type BulkReplayResultDto,
  type DeadLetterDto,
  type DeadLetterPageDto,
} from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { RuntimeApi, type DeadLetterQuery } from '../../api/runtime-api.service';
import { LiveEvents } from '../../live/live-events.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Notifier } from '../../ui/notifier';
import { DeadLettersPanel } from './dead-letters-panel';

const letter = (id: string, nodeId: string, status = 'OPEN'): DeadLetterDto =>
  ({
    id,
    messageId: `m-${id}`,
    flowId: 'f-1',
    flowName: 'Invoices',
    deploymentId: 'd-1',
    environment: 'DEV',
    nodeId,
    error: { message: `${nodeId} refused` },
    attempts: 3,
    status,
    createdAt: '2026-11-29T08:00:00.000Z',
    resolvedAt: null,
    resolvedBy: null,
    replayMessageId: null,
    payload: null,
  }) as DeadLetterDto;

/** RuntimeApi answering fixed dead letters; replays and discards are recorded. */
class FakeRuntimeApi {
  rows = [letter('a', 'send'), letter('b', 'write'), letter('c', 'map', 'REPLAYED')];
  readonly queries: DeadLetterQuery[] = [];
  readonly bulk: unknown[] = [];
  readonly discarded: string[] = [];

  deadLetters(_: string, query: DeadLetterQuery): Promise<ApiResult<DeadLetterPageDto>> {
    this.queries.push(query);
    const items = this.rows;
    return Promise.resolve({
      ok: true,
      data: { items, nextCursor: null, total: items.length, totalIsEstimate: false },
    });
  }

  replayMany(_: string, ids: string[], pins: string): Promise<ApiResult<BulkReplayResultDto>> {
    this.bulk.push([ids, pins]);
    this.rows = this.rows.filter((row) => row.id !== 'a');
    return Promise.resolve({
      ok: true,
      data: {
        items: [
          { id: 'a', outcome: 'REPLAYED', messageId: 'new-a', detail: null },
          { id: 'b', outcome: 'NO_ACTIVE_DEPLOYMENT', messageId: null, detail: null },
        ],
        replayed: 1,
        skipped: 1,
      },
    });
  }

  discard(_: string, id: string): Promise<ApiResult<DeadLetterDto>> {
    this.discarded.push(id);
    return Promise.resolve({ ok: true, data: letter(id, 'x', 'DISCARDED') });
  }
}

describe('DeadLettersPanel', () => {
  let fixture: ComponentFixture<DeadLettersPanel>;
  let element: HTMLElement;
  let api: FakeRuntimeApi;

  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await Promise.resolve();
    }
  };
  const button = (name: string | RegExp) =>
    [...element.querySelectorAll('button')].find((b) => {
      const text = b.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      return typeof name === 'string' ? text === name : name.test(text);
    });

  async function open(canOperate: boolean): Promise<void> {
    fixture = TestBed.createComponent(DeadLettersPanel);
    fixture.componentRef.setInput('packageId', 'p-1');
    fixture.componentRef.setInput('query', { status: 'OPEN' });
    fixture.componentRef.setInput('canOperate', canOperate);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  beforeEach(() => {
    api = new FakeRuntimeApi();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: RuntimeApi, useValue: api },
        { provide: LiveEvents, useValue: { forPackage: () => NEVER, status: signal('open') } },
        { provide: ConfirmDialog, useValue: { ask: () => Promise.resolve(true) } },
        { provide: Notifier, useValue: { done: () => undefined, failed: () => undefined } },
      ],
    });
  });

  it('replays the selected open dead letters and shows the outcome per id, skipped first', async () => {
    await open(true);
    // (A 5 s poll may have read it again on a slow machine: the same query.)
    expect(new Set(api.queries.map((q) => JSON.stringify(q)))).toEqual(
      new Set([JSON.stringify({ status: 'OPEN' })]),
    );
    // Only the OPEN ones have a checkbox ("Select all open" and one per row).
    expect(element.querySelectorAll('tbody mat-checkbox')).toHaveLength(2);
    element.querySelector<HTMLInputElement>('.bulk mat-checkbox input')?.click();
    await settle();
    const readsBefore = api.queries.length;
    button('Replay selected (2)')?.click();
    await settle();
    expect(api.bulk).toEqual([[['a', 'b'], 'ORIGINAL']]);
    const results = element.querySelector('[data-testid="bulk-results"]');
    expect(results?.querySelector('h3')?.textContent).toContain('1 replayed, 1 skipped');
    expect(
      [...(results?.querySelectorAll('li') ?? [])].map((li) =>
        li.textContent?.replace(/\s+/g, ' ').trim(),
      ),
    ).toEqual([
      'Invoices · write: No active deployment in its environment',
      'Invoices · send: Replayed — new message',
    ]);
    // The list read again: the replayed one is gone, nothing stays selected.
    expect(api.queries.length).toBeGreaterThan(readsBefore);
    expect(element.textContent).not.toContain('send refused');
    expect(button(/^Replay selected/)?.textContent).toContain('(0)');
  });

  it('discards one after the confirmation', async () => {
    await open(true);
    const row = [...element.querySelectorAll('tbody tr')].find((tr) =>
      tr.textContent?.includes('write refused'),
    );
    [...(row?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent?.trim() === 'Discard')
      ?.click();
    await settle();
    expect(api.discarded).toEqual(['b']);
  });

  it('offers a viewer no selection, replay or discard', async () => {
    await open(false);
    expect(element.textContent).toContain('send refused');
    expect(element.querySelectorAll('mat-checkbox')).toHaveLength(0);
    expect(button(/Replay/)).toBeUndefined();
    expect(button('Discard')).toBeUndefined();
  });
});
