import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';

import { type ApiFailure } from '../../api/api-result';
import { DataList, type ListColumn } from './data-list';
import { DataListCell } from './data-list-cell';

interface Member {
  readonly name: string;
  readonly role: string;
  readonly assets: number;
}

const MEMBERS: Member[] = [
  { name: 'bob', role: 'Viewer', assets: 3 },
  { name: 'Alice', role: 'Developer', assets: 12 },
  { name: 'carol', role: 'Administrator', assets: 7 },
];

@Component({
  imports: [DataList, DataListCell],
  template: `
    <ix-data-list
      label="Members"
      [columns]="columns"
      [rows]="rows()"
      [loading]="loading()"
      [failure]="failure()"
      [pageSize]="pageSize()"
      [hasMore]="hasMore()"
      (retry)="retries = retries + 1"
      (loadMore)="more = more + 1"
    >
      <ng-template ixCell="role" [ixCellOf]="rows()" let-row
        ><em>{{ row.role }}</em></ng-template
      >
      <p empty>No members yet.</p>
      <ng-container failed>The members could not be loaded.</ng-container>
    </ix-data-list>
  `,
})
class Host {
  readonly columns: ListColumn<Member>[] = [
    { key: 'name', header: 'Name', value: (m) => m.name, sortable: true, rowHeader: true },
    { key: 'role', header: 'Role', value: (m) => m.role },
    { key: 'assets', header: 'Assets', value: (m) => m.assets, sortable: true, numeric: true },
  ];
  readonly rows = signal<Member[]>([]);
  readonly loading = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly pageSize = signal<number | null>(null);
  readonly hasMore = signal(false);
  retries = 0;
  more = 0;
}

describe('DataList', () => {
  let fixture: ComponentFixture<Host>;
  let host: Host;
  let element: HTMLElement;

  const rowHeaders = () =>
    [...element.querySelectorAll('tbody [role="rowheader"]')].map((th) => th.textContent?.trim());
  const button = (name: string) =>
    [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    fixture = TestBed.createComponent(Host);
    host = fixture.componentInstance;
    element = fixture.nativeElement as HTMLElement;
    await settle();
  });

  it('shows the loading state while the first rows are on their way', async () => {
    host.loading.set(true);
    await settle();
    const state = element.querySelector('[role="status"]');
    expect(state?.getAttribute('aria-busy')).toBe('true');
    expect(state?.textContent).toContain('Loading…');
    expect(element.querySelector('table')).toBeNull();
  });

  it('shows the projected empty state when there are no rows', () => {
    expect(element.querySelector('.ix-state')?.textContent?.trim()).toBe('No members yet.');
    expect(element.querySelector('table')).toBeNull();
  });

  it("shows the failure with the API's detail and emits retry from Try again", async () => {
    host.failure.set({
      status: 503,
      retryAfter: 5,
      problem: {
        type: 'about:blank',
        title: 'Service unavailable',
        status: 503,
        detail: 'The database is busy; try again in 5 seconds.',
        instance: '/api/x',
        code: 'unavailable',
        errors: [],
      } as never,
    });
    await settle();
    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('The members could not be loaded.');
    expect(alert?.textContent).toContain('The database is busy; try again in 5 seconds.');
    button('Try again')?.click();
    expect(host.retries).toBe(1);
  });

  it('renders rows as a named table: row headers, text cells and cell templates', async () => {
    host.rows.set(MEMBERS);
    await settle();
    expect(element.querySelector('table')?.getAttribute('aria-label')).toBe('Members');
    expect(rowHeaders()).toEqual(['bob', 'Alice', 'carol']);
    const first = element.querySelectorAll('tbody tr')[0];
    expect(first?.querySelector('em')?.textContent).toBe('Viewer');
    expect(first?.querySelector('td.numeric')?.textContent?.trim()).toBe('3');
  });

  it('sorts by a sortable column on a click on its header, case-insensitively, then reversed', async () => {
    host.rows.set(MEMBERS);
    await settle();
    const header = (name: string) =>
      [...element.querySelectorAll('th[mat-sort-header]')].find((th) =>
        th.textContent?.includes(name),
      ) as HTMLElement;

    header('Name').querySelector<HTMLElement>('.mat-sort-header-container')?.click();
    await settle();
    expect(rowHeaders()).toEqual(['Alice', 'bob', 'carol']);
    header('Name').querySelector<HTMLElement>('.mat-sort-header-container')?.click();
    await settle();
    expect(rowHeaders()).toEqual(['carol', 'bob', 'Alice']);

    header('Assets').querySelector<HTMLElement>('.mat-sort-header-container')?.click();
    await settle();
    expect(rowHeaders()).toEqual(['bob', 'carol', 'Alice']); // 3, 7, 12: numbers, not text
    header('Role').querySelector<HTMLElement>('.mat-sort-header-container')?.click();
    await settle();
    expect(rowHeaders()).toEqual(['bob', 'carol', 'Alice']); // Role is not sortable
  });

  it('pages on the client when there are more rows than pageSize', async () => {
    host.pageSize.set(2);
    host.rows.set(MEMBERS);
    await settle();
    expect(rowHeaders()).toEqual(['bob', 'Alice']);
    element.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')?.click();
    await settle();
    expect(rowHeaders()).toEqual(['carol']);
  });

  it('offers "Load more" while the server has more, and keeps the rows during a reload', async () => {
    host.rows.set(MEMBERS);
    host.hasMore.set(true);
    await settle();
    button('Load more')?.click();
    expect(host.more).toBe(1);

    host.loading.set(true);
    await settle();
    expect(rowHeaders()).toEqual(['bob', 'Alice', 'carol']);
    expect(element.querySelector('table')?.getAttribute('aria-busy')).toBe('true');
    expect(element.querySelector('mat-progress-bar')).not.toBeNull();
  });
});
