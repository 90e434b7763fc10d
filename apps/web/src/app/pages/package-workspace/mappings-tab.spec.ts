import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter, Router } from '@angular/router';

import {
  type AssetDto,
  type AssetPageDto,
  type AssetSearchPageDto,
  type MappingDetailDto,
} from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { type AssetListFilter } from '../../api/schemas-api.service';
import { AssetListFilters } from '../../ui/asset-list-filters';
import { MAPPINGS_PAGE_SIZE, MappingsTab } from './mappings-tab';
import { PackageWorkspace } from './package-workspace';

const ASSET: AssetDto = {
  id: 'm-1',
  version: 2,
  createdAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:00.000Z',
  createdBy: 'u-1',
  updatedBy: 'u-1',
  updatedByName: 'bea',
  packageId: 'p-1',
  type: 'MAPPING',
  name: 'Invoice to summary',
  description: '',
  tags: [],
  status: 'DRAFT',
  currentVersion: 2,
  lock: null,
};

const FAILED = { ok: false, failure: { status: 503, problem: null, retryAfter: null } } as const;

/** MappingsApi answering pages from a queue (recording each call), schemas and details fixed. */
class FakeMappingsApi {
  readonly lists: ApiResult<AssetPageDto>[] = [];
  readonly calls: { cursor: string | null; limit: number; filters: AssetListFilter }[] = [];

  page(
    _: string,
    cursor: string | null,
    limit: number,
    __: AbortSignal,
    filters: AssetListFilter,
  ): Promise<ApiResult<AssetPageDto>> {
    this.calls.push({ cursor, limit, filters });
    const answer = this.lists.shift();
    if (!answer) throw new Error('no answer queued');
    return Promise.resolve(answer);
  }

  readableSchemas(): Promise<ApiResult<AssetSearchPageDto>> {
    const schema = (id: string, name: string) => ({
      ...ASSET,
      id,
      name,
      packageName: 'Billing',
      schemaType: 'XSD' as const,
    });
    return Promise.resolve({
      ok: true,
      data: {
        items: [schema('s-1', 'UBL Invoice'), schema('t-1', 'Invoice summary')],
        total: 2,
        totalIsEstimate: false,
        nextCursor: null,
      },
    });
  }

  get(): Promise<ApiResult<Partial<MappingDetailDto>>> {
    return Promise.resolve({
      ok: true,
      data: {
        id: 'm-1',
        kind: 'JSONATA',
        sourceSchema: { assetId: 's-1' },
        targetSchema: { assetId: 'gone' },
      },
    });
  }
}

describe('MappingsTab', () => {
  let fixture: ComponentFixture<MappingsTab>;
  let api: FakeMappingsApi;
  let element: HTMLElement;
  let mayWrite: boolean;

  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  const none: ApiResult<AssetPageDto> = {
    ok: true,
    data: { items: [], total: 0, totalIsEstimate: false, nextCursor: null },
  };
  /** What the filter bar emits (search after a pause in typing, a status, an order). */
  const filterBy = async (patch: Record<string, string>) => {
    const bar = fixture.debugElement.query(By.directive(AssetListFilters));
    (bar.componentInstance as AssetListFilters).changed.emit(patch);
    await settle();
  };
  const link = (name: string) =>
    [...element.querySelectorAll('a')].find((a) => a.textContent?.trim() === name);

  async function open(...answers: ApiResult<AssetPageDto>[]): Promise<void> {
    api.lists.push(...answers);
    fixture = TestBed.createComponent(MappingsTab);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  beforeEach(() => {
    api = new FakeMappingsApi();
    mayWrite = false;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: MappingsApi, useValue: api },
        { provide: PackageWorkspace, useValue: { id: signal('p-1'), may: () => mayWrite } },
      ],
    });
  });

  it('lists each mapping with its kind and source → target schema, linking to its editor', async () => {
    await open({
      ok: true,
      data: { items: [ASSET], total: 1, totalIsEstimate: false, nextCursor: null },
    });
    const cells = [...element.querySelectorAll('tbody td')].map((td) => td.textContent?.trim());
    expect(cells).toEqual(['JSONata', 'UBL Invoice → a schema you cannot read', 'Draft', '2']);
    expect(link('Invoice to summary')?.getAttribute('href')).toBe('/packages/p-1/mappings/m-1');
    expect(link('New mapping')).toBeUndefined();
  });

  it('says when there are no mappings and offers "New mapping" to writers', async () => {
    mayWrite = true;
    await open({
      ok: true,
      data: { items: [], total: 0, totalIsEstimate: false, nextCursor: null },
    });
    expect(element.textContent).toContain('This package holds no mappings yet.');
    expect(link('New mapping')?.getAttribute('href')).toBe('/packages/p-1/mappings/new');
  });

  it('shows the failure with "Try again", which loads the list again', async () => {
    await open(FAILED);
    expect(element.textContent).toContain('The mappings could not be loaded.');
    api.lists.push({
      ok: true,
      data: { items: [ASSET], total: 1, totalIsEstimate: false, nextCursor: null },
    });
    [...element.querySelectorAll('button')]
      .find((b) => b.textContent?.includes('Try again'))
      ?.click();
    await settle();
    expect(link('Invoice to summary')).toBeDefined();
  });

  it('offers the search, status and order filters of the other asset tabs, and asks the API with them', async () => {
    await open({
      ok: true,
      data: { items: [ASSET], total: 3, totalIsEstimate: false, nextCursor: 'c-2' },
    });
    expect(element.querySelector('form[role="search"]')?.getAttribute('aria-label')).toBe(
      'Filter mappings',
    );
    expect(api.calls).toEqual([
      { cursor: null, limit: MAPPINGS_PAGE_SIZE, filters: { q: '', status: '', sort: 'name' } },
    ]);
    expect(element.textContent).toContain('Showing 1 of 3 mappings.');

    api.lists.push(none);
    await filterBy({ q: 'invoice', status: 'READY', sort: '-updatedAt' });
    expect(api.calls.at(-1)).toEqual({
      cursor: null,
      limit: MAPPINGS_PAGE_SIZE,
      filters: { q: 'invoice', status: 'READY', sort: '-updatedAt' },
    });
    expect(element.textContent).toContain('No mappings match these filters.');
    expect(TestBed.inject(Router).url).toBe('/?q=invoice&status=READY&sort=-updatedAt');
  });

  it('keeps its filters when the tab is left and opened again', async () => {
    await open(none);
    api.lists.push(none);
    await filterBy({ status: 'ARCHIVED' });
    fixture.destroy();
    // Another tab: its URL names none of the filters.
    await TestBed.inject(Router).navigateByUrl('/');

    await open(none);
    expect(api.calls.at(-1)?.filters).toEqual({ q: '', status: 'ARCHIVED', sort: 'name' });
    const bar = fixture.debugElement.query(By.directive(AssetListFilters));
    expect((bar.componentInstance as AssetListFilters).values()['status']).toBe('ARCHIVED');
  });
});
