import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';

import { type PackageDto, type PackagePageDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { PackageSwitcher } from './package-switcher';

const pkg = (id: string, name: string) => ({ id, name, totalAssets: 0 }) as unknown as PackageDto;

/** The packages list, answered by the test: one pending answer per query. */
class FakePackagesApi {
  readonly pending: { q: string | undefined; answer: (items: PackageDto[]) => void }[] = [];
  list(query: { q?: string }): Promise<ApiResult<PackagePageDto>> {
    return new Promise((resolve) =>
      this.pending.push({
        q: query.q,
        answer: (items) =>
          resolve({
            ok: true,
            data: { items, total: items.length, nextCursor: null, totalIsEstimate: false },
          }),
      }),
    );
  }
}

describe('PackageSwitcher', () => {
  let fixture: ComponentFixture<PackageSwitcher>;
  let api: FakePackagesApi;
  const closed: string[] = [];

  const input = () =>
    (fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement;
  const type = (text: string) => {
    input().value = text;
    input().dispatchEvent(new Event('input'));
  };
  const enter = () =>
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 200)); // past the 150 ms debounce
    fixture.detectChanges();
  };

  beforeEach(async () => {
    closed.length = 0;
    api = new FakePackagesApi();
    TestBed.configureTestingModule({
      imports: [PackageSwitcher],
      providers: [
        { provide: PackagesApi, useValue: api },
        { provide: MatDialogRef, useValue: { close: (id: string) => closed.push(id) } },
      ],
    });
    fixture = TestBed.createComponent(PackageSwitcher);
    fixture.detectChanges();
    api.pending.shift()?.answer([pkg('a', 'Accounts'), pkg('o', 'Order to Cash')]);
    await settle();
  });

  it('opens the highlighted package on Enter, ↓ moving the highlight', async () => {
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    enter();
    await settle();
    expect(closed).toEqual(['o']);
  });

  it('on an Enter typed before the list for the text arrived, opens the first of that list, not of the one on screen', async () => {
    type('procure');
    enter(); // the earlier list (Accounts first) is still on screen
    await settle();
    expect(closed).toEqual([]);
    const query = api.pending.shift();
    expect(query?.q).toBe('procure');
    query?.answer([pkg('p', 'Procure to Pay')]);
    await settle();
    expect(closed).toEqual(['p']);
  });
});
