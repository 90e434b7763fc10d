import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { type AssetDto, type AssetPageDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { SchemasApi } from '../../api/schemas-api.service';
import { PackageWorkspace } from './package-workspace';
import { SCHEMAS_PAGE_SIZE, SchemasTab } from './schemas-tab';

function schema(name: string, updatedByName: string | null = 'bea'): AssetDto {
  return {
    id: `id-${name}`,
    version: 1,
    createdAt: '2026-11-25T14:21:15.123Z',
    updatedAt: '2026-11-25T14:21:15.123Z',
    createdBy: 'u-1',
    updatedBy: 'u-1',
    updatedByName,
    packageId: 'p-1',
    type: 'SCHEMA',
    name,
    description: '',
    tags: [],
    status: 'DRAFT',
    currentVersion: 1,
    lock: null,
  };
}

function page(names: string[], nextCursor: string | null, total = 3): ApiResult<AssetPageDto> {
  return {
    ok: true,
    data: { items: names.map((n) => schema(n)), total, totalIsEstimate: false, nextCursor },
  };
}

const FAILED: ApiResult<AssetPageDto> = {
  ok: false,
  failure: { status: 503, problem: null, retryAfter: null },
};

/** SchemasApi.page answering from a queue, recording each call's package, cursor and limit. */
class FakeSchemasApi {
  readonly calls: [string, string | null, number][] = [];
  readonly answers: ApiResult<AssetPageDto>[] = [];

  page(packageId: string, cursor: string | null, limit: number): Promise<ApiResult<AssetPageDto>> {
    this.calls.push([packageId, cursor, limit]);
    const answer = this.answers.shift();
    if (!answer) throw new Error('no answer queued');
    return Promise.resolve(answer);
  }
}

describe('SchemasTab', () => {
  let fixture: ComponentFixture<SchemasTab>;
  let api: FakeSchemasApi;
  let element: HTMLElement;

  const names = () =>
    [...element.querySelectorAll('tbody [role="rowheader"]')].map((th) => th.textContent?.trim());
  const button = (name: string) =>
    [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
    await Promise.resolve();
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };

  async function open(...answers: ApiResult<AssetPageDto>[]): Promise<void> {
    api.answers.push(...answers);
    fixture = TestBed.createComponent(SchemasTab);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  beforeEach(() => {
    api = new FakeSchemasApi();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: SchemasApi, useValue: api },
        { provide: PackageWorkspace, useValue: { id: signal('p-1'), may: () => false } },
      ],
    });
  });

  it('loads the first page, then the next one with the cursor, appending it, until the last', async () => {
    await open(page(['a', 'b'], 'cursor-2'));
    expect(api.calls).toEqual([['p-1', null, SCHEMAS_PAGE_SIZE]]);
    expect(names()).toEqual(['a', 'b']);
    expect(element.textContent).toContain('Showing 2 of 3 schemas.');

    api.answers.push(page(['c'], null));
    button('Load more')?.click();
    await settle();
    expect(api.calls[1]).toEqual(['p-1', 'cursor-2', SCHEMAS_PAGE_SIZE]);
    expect(names()).toEqual(['a', 'b', 'c']);
    expect(button('Load more')).toBeUndefined();
    expect(element.textContent).not.toContain('Showing');
  });

  it('asks for the same page again after a failed "Load more", keeping the rows it has', async () => {
    await open(page(['a'], 'cursor-2'), FAILED);
    button('Load more')?.click();
    await settle();
    expect(element.textContent).toContain('The schemas could not be loaded.');

    api.answers.push(page(['b'], null));
    button('Try again')?.click();
    await settle();
    expect(api.calls.map(([, cursor]) => cursor)).toEqual([null, 'cursor-2', 'cursor-2']);
    expect(names()).toEqual(['a', 'b']);
  });

  it('names who modified each schema, and falls back to the id when the user is gone', async () => {
    await open({
      ok: true,
      data: {
        items: [schema('a', 'bea'), schema('b', null)],
        total: 2,
        totalIsEstimate: false,
        nextCursor: null,
      },
    });
    const cells = [...element.querySelectorAll('tbody tr')].map((row) =>
      row.textContent?.replace(/\s+/g, ' '),
    );
    expect(cells[0]).toContain('by bea');
    expect(cells[1]).toContain('by u-1');
  });
});
