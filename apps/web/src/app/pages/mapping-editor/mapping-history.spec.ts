import { TestBed, type ComponentFixture } from '@angular/core/testing';

import { type MappingDetailDto, type SchemaVersionPageDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { MappingHistory } from './mapping-history';

const MAPPING = {
  id: 'm-1',
  packageId: 'p-1',
  name: 'Invoice to summary',
  version: 5,
  currentVersion: 3,
} as MappingDetailDto;

const versions = (...numbers: number[]): SchemaVersionPageDto => ({
  items: numbers.map((version) => ({
    version,
    contentHash: 'h',
    message: `v${version}`,
    createdAt: '2026-11-29T08:00:00.000Z',
    createdBy: 'u-1',
    author: 'bea',
  })),
  total: numbers.length,
  nextCursor: null,
});

/** MappingsApi.versions/rollback answering what the test set, recording each rollback. */
class FakeMappingsApi {
  readonly rollbacks: [string, string, number, number][] = [];
  page: ApiResult<SchemaVersionPageDto> = { ok: true, data: versions(3, 2, 1) };
  answer: ApiResult<MappingDetailDto> = {
    ok: true,
    data: { ...MAPPING, version: 6, currentVersion: 4 },
  };

  versions(): Promise<ApiResult<SchemaVersionPageDto>> {
    return Promise.resolve(this.page);
  }

  rollback(packageId: string, mappingId: string, version: number, to: number) {
    this.rollbacks.push([packageId, mappingId, version, to]);
    return Promise.resolve(this.answer);
  }
}

describe('MappingHistory', () => {
  let fixture: ComponentFixture<MappingHistory>;
  let api: FakeMappingsApi;
  let element: HTMLElement;
  let confirmed: boolean;
  let rolledBack: MappingDetailDto[];

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
  const rollbackButtons = () =>
    [...element.querySelectorAll<HTMLButtonElement>('button')].filter((b) =>
      b.textContent?.includes('Roll back'),
    );

  async function open(canWrite: boolean) {
    api = new FakeMappingsApi();
    confirmed = true;
    TestBed.configureTestingModule({
      providers: [
        { provide: MappingsApi, useValue: api },
        { provide: ConfirmDialog, useValue: { ask: () => Promise.resolve(confirmed) } },
      ],
    });
    fixture = TestBed.createComponent(MappingHistory);
    fixture.componentRef.setInput('mapping', MAPPING);
    fixture.componentRef.setInput('canWrite', canWrite);
    rolledBack = [];
    fixture.componentInstance.rolledBack.subscribe((m) => rolledBack.push(m));
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  it('lists the versions newest first, marking the current one', async () => {
    await open(true);
    expect(rows().map((row) => [row[0], row[2], row[4]])).toEqual([
      ['3', 'v3', 'Current'],
      ['2', 'v2', 'Roll back to this version'],
      ['1', 'v1', 'Roll back to this version'],
    ]);
  });

  it('rolls back to a version after confirmation, sending the version as read', async () => {
    await open(true);
    rollbackButtons()[0]?.click();
    await settle();
    expect(api.rollbacks).toEqual([['p-1', 'm-1', 5, 2]]);
    expect(rolledBack.map((m) => m.currentVersion)).toEqual([4]);
  });

  it('does nothing when the rollback is not confirmed', async () => {
    await open(true);
    confirmed = false;
    rollbackButtons()[1]?.click();
    await settle();
    expect(api.rollbacks).toEqual([]);
    expect(rolledBack).toEqual([]);
  });

  it('says why a refused rollback failed (412: changed meanwhile)', async () => {
    await open(true);
    api.answer = { ok: false, failure: { status: 412, problem: null, retryAfter: null } };
    rollbackButtons()[0]?.click();
    await settle();
    expect(element.textContent).toContain('The mapping could not be rolled back.');
    expect(element.textContent).toContain('Someone else changed it');
  });

  it('offers no rollback without asset:write', async () => {
    await open(false);
    expect(rows()).toHaveLength(3);
    expect(rollbackButtons()).toEqual([]);
  });
});
