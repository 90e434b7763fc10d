import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router } from '@angular/router';
import { filter } from 'rxjs';

import { type AuditEntryDto } from '@integrixs/api-client';

import { AuditApi, type AuditQuery } from '../../api/audit-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { UsersApi } from '../../api/users-api.service';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { loadedValue, pagedList } from '../../ui/paged-list';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  auditQueryOf,
  changesOf,
  NO_FILTERS,
  type AuditFilters,
} from './audit-filters';

const PAGE_SIZE = 50;
const FILTER_KEYS = Object.keys(NO_FILTERS) as (keyof AuditFilters)[];

/**
 * The whole audit log, newest first, a page at a time: filters (who, what kind of thing, which
 * action, package, from / to) kept in the address, and the chosen entry's changes, before and
 * after, beside the list.
 */
@Component({
  selector: 'ix-audit-log-tab',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    DataList,
    DataListCell,
  ],
  templateUrl: './audit-log-tab.html',
  styles: `
    .filters {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
      gap: 0 1rem;
    }
    .detail dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.25rem 1rem;
      margin: 0 0 1rem;
    }
    .detail dt {
      color: var(--ix-muted);
    }
    .detail dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .detail td {
      font-family: ui-monospace, monospace;
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogTab {
  private readonly api = inject(AuditApi);
  private readonly usersApi = inject(UsersApi);
  private readonly packagesApi = inject(PackagesApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  readonly actions = AUDIT_ACTIONS;
  readonly entityTypes = AUDIT_ENTITY_TYPES;

  /** The form as typed (starting from the address). */
  readonly filters = signal<AuditFilters>(this.fromAddress());
  /** The query the list shows (null while an actor's name is looked up, or a filter is wrong). */
  readonly applied = signal<AuditQuery | null>(null);
  readonly filterError = signal<{ field: keyof AuditFilters; message: string } | null>(null);
  readonly selected = signal<AuditEntryDto | null>(null);
  readonly selectedChanges = computed(() => {
    const entry = this.selected();
    return entry ? changesOf(entry) : [];
  });

  readonly packages = loadedValue(
    signal(null),
    async (_key, abort) => {
      const result = await this.packagesApi.list({ limit: 100 }, abort);
      return result.ok ? { ok: true as const, data: result.data.items } : result;
    },
    [],
  );

  readonly list = pagedList<AuditEntryDto>(
    toObservable(this.applied).pipe(filter((query) => query !== null)),
    (cursor, abort) =>
      this.api.list({ ...this.applied(), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, abort),
    { loadingAtStart: true },
  );

  readonly columns: ListColumn<AuditEntryDto>[] = [
    { key: 'when', header: 'When', value: (e) => e.occurredAt, rowHeader: true },
    { key: 'actor', header: 'Who', value: (e) => e.actorName ?? e.actor },
    { key: 'action', header: 'Action', value: (e) => e.action },
    { key: 'entity', header: 'What', value: (e) => e.entityType },
    { key: 'package', header: 'Package' },
    { key: 'details', header: 'Details' },
  ];

  constructor() {
    void this.apply();
  }

  set(field: keyof AuditFilters, value: string): void {
    this.filters.update((filters) => ({ ...filters, [field]: value }));
    if (this.filterError()?.field === field) this.filterError.set(null);
  }

  typed(field: keyof AuditFilters, event: Event): void {
    this.set(field, (event.target as HTMLInputElement).value);
  }

  submit(event: Event): void {
    event.preventDefault();
    void this.apply();
  }

  clear(): void {
    this.filters.set(NO_FILTERS);
    void this.apply();
  }

  packageName(id: string | null): string | null {
    if (!id) return null;
    return this.packages.value().find((p) => p.id === id)?.name ?? id;
  }

  /** Checks the filters, looks up a username, then shows the first page for them. */
  async apply(): Promise<void> {
    const filters = this.filters();
    this.filterError.set(null);
    this.mirrorInAddress(filters);
    const outcome = auditQueryOf(filters);
    if (!outcome.ok) {
      this.filterError.set({ field: outcome.field, message: outcome.message });
      return;
    }
    let query = outcome.query;
    if (outcome.actorUsername) {
      const found = await this.usersApi.list({ q: outcome.actorUsername, limit: 100 });
      const user = found.ok
        ? found.data.items.find((u) => u.username === outcome.actorUsername)
        : undefined;
      if (!user) {
        this.filterError.set({
          field: 'actor',
          message: found.ok
            ? `no user is named “${outcome.actorUsername}”`
            : 'the users could not be looked up',
        });
        return;
      }
      query = { ...query, actor: user.id };
    }
    this.selected.set(null);
    this.applied.set(query);
  }

  private fromAddress(): AuditFilters {
    const params = this.route.snapshot.queryParamMap;
    return Object.fromEntries(
      FILTER_KEYS.map((key) => [key, params.get(key) ?? '']),
    ) as unknown as AuditFilters;
  }

  /** Keeps the filters in the address, so a filtered log survives reload and can be shared. */
  private mirrorInAddress(filters: AuditFilters): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: Object.fromEntries(FILTER_KEYS.map((key) => [key, filters[key] || null])),
      replaceUrl: true,
    });
  }
}
