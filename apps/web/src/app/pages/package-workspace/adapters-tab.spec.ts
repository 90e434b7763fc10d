import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { type AdapterOverviewDto, type AdapterOverviewItemDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { ADAPTERS_PAGE_SIZE, AdaptersTab } from './adapters-tab';
import { PackageWorkspace } from './package-workspace';

const STOCK_FILES: AdapterOverviewItemDto = {
  adapterId: 'a-1',
  name: 'Stock files',
  status: 'DRAFT',
  adapterType: 'FILE',
  direction: 'SOURCE',
  lastTests: [
    { environment: 'DEV', ok: true, testedAt: '2026-11-29T08:00:00.000Z' },
    { environment: 'PROD', ok: false, testedAt: '2026-11-29T08:05:00.000Z' },
  ],
};
const ERP_OUTBOX: AdapterOverviewItemDto = {
  adapterId: 'a-2',
  name: 'ERP outbox',
  status: 'DRAFT',
  adapterType: 'SFTP',
  direction: 'TARGET',
  lastTests: [],
};

interface OverviewQuery {
  adapterType?: string;
  cursor: string | null;
  limit: number;
}

/** AdaptersApi.overview answering from a queue, recording each call's query. */
class FakeAdaptersApi {
  readonly calls: OverviewQuery[] = [];
  readonly answers: ApiResult<AdapterOverviewDto>[] = [];

  overview(_packageId: string, query: OverviewQuery): Promise<ApiResult<AdapterOverviewDto>> {
    this.calls.push(query);
    const answer = this.answers.shift();
    if (!answer) throw new Error('no answer queued');
    return Promise.resolve(answer);
  }
}

const pageOf = (
  items: AdapterOverviewItemDto[],
  nextCursor: string | null = null,
  total = items.length,
): ApiResult<AdapterOverviewDto> => ({ ok: true, data: { items, total, nextCursor } });

describe('AdaptersTab', () => {
  let fixture: ComponentFixture<AdaptersTab>;
  let api: FakeAdaptersApi;
  let element: HTMLElement;

  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
    await Promise.resolve();
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };
  const rows = () =>
    [...element.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) =>
        (cell.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    );

  async function open(mayWrite: boolean, ...answers: ApiResult<AdapterOverviewDto>[]) {
    api = new FakeAdaptersApi();
    api.answers.push(...answers);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: AdaptersApi, useValue: api },
        {
          provide: PackageWorkspace,
          useValue: { id: signal('p-1'), may: (p: string) => mayWrite && p === 'asset:write' },
        },
      ],
    });
    fixture = TestBed.createComponent(AdaptersTab);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  it('shows type, direction, status and the last test per environment of each adapter', async () => {
    await open(true, pageOf([STOCK_FILES, ERP_OUTBOX]));
    expect(rows()).toEqual([
      ['ERP outbox', 'SFTP', 'TARGET', 'Draft', 'Not tested'],
      [
        'Stock files',
        'FILE',
        'SOURCE',
        'Draft',
        expect.stringMatching(/^DEV: passed .+ PROD: failed .+$/) as string,
      ],
    ]);
    expect(element.querySelector('a[href="/packages/p-1/adapters/new"]')?.textContent).toContain(
      'New adapter',
    );
  });

  it('lists one adapter type when the filter picks it, and says when there are none', async () => {
    await open(false, pageOf([STOCK_FILES]), pageOf([]));
    expect(api.calls.map((call) => call.adapterType)).toEqual([undefined]);
    // The filter goes through the URL (`?adapterType=HTTP`), then the list follows it.
    fixture.componentInstance.filters.set({ adapterType: 'HTTP' });
    await settle();
    await settle();
    expect(TestBed.inject(Router).url).toBe('/?adapterType=HTTP');
    expect(api.calls.map((call) => call.adapterType)).toEqual([undefined, 'HTTP']);
    expect(element.textContent).toContain('This package holds no HTTP adapters.');
  });

  it('offers no "New adapter" without asset:write', async () => {
    await open(false, pageOf([STOCK_FILES]));
    expect(element.textContent).not.toContain('New adapter');
  });

  it('says the adapters could not be loaded when the API fails', async () => {
    await open(false, { ok: false, failure: { status: 503, problem: null, retryAfter: null } });
    expect(element.textContent).toContain('The adapters could not be loaded.');
  });

  it('pages by cursor: "Load more" appends the next page of the same type filter', async () => {
    await open(false, pageOf([ERP_OUTBOX], 'cursor-2', 2), pageOf([STOCK_FILES]));
    expect(api.calls).toEqual([
      { adapterType: undefined, cursor: null, limit: ADAPTERS_PAGE_SIZE },
    ]);
    expect(element.textContent).toContain('Showing 1 of 2 adapters.');
    const more = [...element.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Load more'),
    );
    more?.click();
    await settle();
    expect(api.calls[1]).toEqual({
      adapterType: undefined,
      cursor: 'cursor-2',
      limit: ADAPTERS_PAGE_SIZE,
    });
    expect(rows().map((row) => row[0])).toEqual(['ERP outbox', 'Stock files']);
    expect(element.textContent).not.toContain('Showing');
  });
});
