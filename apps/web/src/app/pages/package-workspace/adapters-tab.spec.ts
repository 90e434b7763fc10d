import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { type AdapterOverviewDto, type AssetDto, type AssetPageDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { AdaptersTab } from './adapters-tab';
import { PackageWorkspace } from './package-workspace';

function adapter(id: string, name: string): AssetDto {
  return {
    id,
    version: 1,
    createdAt: '2026-11-25T14:21:15.123Z',
    updatedAt: '2026-11-25T14:21:15.123Z',
    createdBy: 'u-1',
    updatedBy: 'u-1',
    updatedByName: 'bea',
    packageId: 'p-1',
    type: 'ADAPTER',
    name,
    description: '',
    tags: [],
    status: 'DRAFT',
    currentVersion: 1,
    lock: null,
  };
}

const OVERVIEW: AdapterOverviewDto = {
  items: [
    {
      adapterId: 'a-1',
      adapterType: 'FILE',
      direction: 'SOURCE',
      lastTests: [
        { environment: 'DEV', ok: true, testedAt: '2026-11-29T08:00:00.000Z' },
        { environment: 'PROD', ok: false, testedAt: '2026-11-29T08:05:00.000Z' },
      ],
    },
    { adapterId: 'a-2', adapterType: 'SFTP', direction: 'TARGET', lastTests: [] },
  ],
};

/** AdaptersApi.list/overview answering from queues, recording each list call's type filter. */
class FakeAdaptersApi {
  readonly listed: (string | undefined)[] = [];
  readonly lists: ApiResult<AssetPageDto>[] = [];

  list(_packageId: string, adapterType: string | undefined): Promise<ApiResult<AssetPageDto>> {
    this.listed.push(adapterType);
    const answer = this.lists.shift();
    if (!answer) throw new Error('no answer queued');
    return Promise.resolve(answer);
  }

  overview(): Promise<ApiResult<AdapterOverviewDto>> {
    return Promise.resolve({ ok: true, data: OVERVIEW });
  }
}

const pageOf = (...items: AssetDto[]): ApiResult<AssetPageDto> => ({
  ok: true,
  data: { items, total: items.length, totalIsEstimate: false, nextCursor: null },
});

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

  async function open(mayWrite: boolean, ...answers: ApiResult<AssetPageDto>[]) {
    api = new FakeAdaptersApi();
    api.lists.push(...answers);
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
    await open(true, pageOf(adapter('a-1', 'Stock files'), adapter('a-2', 'ERP outbox')));
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
    await open(false, pageOf(adapter('a-1', 'Stock files')), pageOf());
    expect(api.listed).toEqual([undefined]);
    fixture.componentInstance.adapterType.set('HTTP');
    await settle();
    expect(api.listed).toEqual([undefined, 'HTTP']);
    expect(element.textContent).toContain('This package holds no HTTP adapters.');
  });

  it('offers no "New adapter" without asset:write', async () => {
    await open(false, pageOf(adapter('a-1', 'Stock files')));
    expect(element.textContent).not.toContain('New adapter');
  });

  it('says the adapters could not be loaded when the API fails', async () => {
    await open(false, { ok: false, failure: { status: 503, problem: null, retryAfter: null } });
    expect(element.textContent).toContain('The adapters could not be loaded.');
  });
});
