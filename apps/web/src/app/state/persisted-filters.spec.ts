import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { type FilterSpec } from './list-query-params';
import { persistedFilters } from './persisted-filters';
import { TabStateStore } from './tab-state';

const SPEC: FilterSpec = [
  { key: 'q', default: '' },
  { key: 'sort', default: 'name', allowed: ['name', '-name'] },
];

/** A tab of package p1 with filters, as the workspace tabs use them. */
@Component({ selector: 'ix-filtered-tab', template: '' })
class FilteredTab {
  readonly owner = signal('p1');
  readonly filters = persistedFilters(this.owner, 'schemas', SPEC, () => true);
}

@Component({ selector: 'ix-other-tab', template: '' })
class OtherTab {}

describe('persistedFilters', () => {
  let harness: RouterTestingHarness;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'schemas', component: FilteredTab },
          { path: 'adapters', component: OtherTab },
        ]),
      ],
    });
    harness = await RouterTestingHarness.create();
    router = TestBed.inject(Router);
  });

  const settle = async () => {
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  };

  it('reads a deep link, and saves what it shows for the package and tab', async () => {
    const tab = await harness.navigateByUrl('/schemas?q=invoice&sort=-name', FilteredTab);
    await settle();
    expect(tab.filters.values()).toEqual({ q: 'invoice', sort: '-name' });
    expect(TestBed.inject(TabStateStore).params('p1', 'schemas')).toEqual({
      q: 'invoice',
      sort: '-name',
    });
  });

  it('writes a change into the URL (defaults left out), and the values follow', async () => {
    const tab = await harness.navigateByUrl('/schemas', FilteredTab);
    tab.filters.set({ q: 'order', sort: 'name' });
    await settle();
    expect(router.url).toBe('/schemas?q=order');
    expect(tab.filters.values()).toEqual({ q: 'order', sort: 'name' });
  });

  it('restores the saved filters when the tab is opened again without any', async () => {
    const first = await harness.navigateByUrl('/schemas', FilteredTab);
    first.filters.set({ q: 'order' });
    await settle();
    await harness.navigateByUrl('/adapters', OtherTab);

    const again = await harness.navigateByUrl('/schemas', FilteredTab);
    expect(again.filters.values()).toEqual({ q: 'order', sort: 'name' }); // at once, no flash
    await settle();
    expect(router.url).toBe('/schemas?q=order');
  });

  it('lets a deep link win over what was saved', async () => {
    TestBed.inject(TabStateStore).saveParams('p1', 'schemas', { q: 'saved' });
    const tab = await harness.navigateByUrl('/schemas?q=linked', FilteredTab);
    await settle();
    expect(tab.filters.values()['q']).toBe('linked');
    expect(router.url).toBe('/schemas?q=linked');
  });
});
