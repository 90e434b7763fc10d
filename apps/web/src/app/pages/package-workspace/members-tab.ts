import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import { type MemberDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { RoleLabel } from '../../ui/role-label';
import { PackageWorkspace } from './package-workspace';

/** Who belongs to the package, with their role in it, and who added them when. */
@Component({
  selector: 'ix-members-tab',
  imports: [DatePipe, DataList, DataListCell, RoleLabel],
  template: `
    <section class="ix-card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <ix-data-list
        label="The package's members"
        [columns]="columns"
        [rows]="members()"
        [loading]="loading()"
        [failure]="failure()"
        [pageSize]="25"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="retry()"
      >
        <ng-template ixCell="name" [ixCellOf]="members()" let-member>
          @if (member.displayName) {
            {{ member.displayName }} <span class="ix-muted">({{ member.username }})</span>
          } @else {
            {{ member.username }}
          }
        </ng-template>
        <ng-template ixCell="role" [ixCellOf]="members()" let-member>
          <ix-role-label [role]="member.role" />
        </ng-template>
        <ng-template ixCell="added" [ixCellOf]="members()" let-member>
          <time [attr.datetime]="member.addedAt">{{ member.addedAt | date: 'medium' }}</time>
          by {{ member.addedByUsername ?? member.addedBy }}
        </ng-template>
        <p empty>This package has no members yet.</p>
        <ng-container failed>The members could not be loaded.</ng-container>
      </ix-data-list>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MembersTab {
  private readonly api = inject(PackagesApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly members = signal<MemberDto[]>([]);
  readonly loading = signal(true);
  readonly failure = signal<ApiFailure | null>(null);

  readonly columns: ListColumn<MemberDto>[] = [
    {
      key: 'name',
      header: 'Name',
      value: (member) => member.displayName || member.username,
      sortable: true,
      rowHeader: true,
    },
    { key: 'role', header: 'Role', value: (member) => member.role, sortable: true },
    { key: 'added', header: 'Added', value: (member) => member.addedAt, sortable: true },
  ];

  private readonly retries = new Subject<void>();

  constructor() {
    const id = this.workspace.id;
    merge(toObservable(id), this.retries.pipe(map(() => id())))
      .pipe(
        tap(() => {
          this.loading.set(true);
          this.failure.set(null);
        }),
        switchMap((packageId) => abortable((signal) => this.api.members(packageId, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        this.loading.set(false);
        if (result.ok) this.members.set(result.data.items);
        else this.failure.set(result.failure);
      });
  }

  retry(): void {
    this.retries.next();
  }
}
