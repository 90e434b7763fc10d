import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators, type AbstractControl } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { debounceTime, distinctUntilChanged, merge, Subject } from 'rxjs';

import { type UpdateUserDto, type UserDto } from '@integrixs/api-client';
import { PASSWORD_MIN_LENGTH, ROLES, type Role } from '@integrixs/domain';

import { type ApiFailure, type ApiResult } from '../../api/api-result';
import { UsersApi } from '../../api/users-api.service';
import { SessionStore } from '../../auth/session.store';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { Notifier } from '../../ui/notifier';
import { pagedList } from '../../ui/paged-list';
import { ApiErrorPipe, applyProblemErrors } from '../../ui/problem-form-errors';
import { ProblemMessage } from '../../ui/problem-message';
import { RoleLabel } from '../../ui/role-label';
import { StepUp } from './step-up-dialog';
import { newerOf } from './user-rows';

const PAGE_SIZE = 50;
const required = (control: AbstractControl) => Validators.required(control);
const SEARCH_DEBOUNCE_MS = 300;

/**
 * User administration: a searchable list a page at a time, a form for a new user, and per user
 * change role, disable / enable and reset MFA. Changes need a recent MFA confirmation; when the
 * API asks for one (401 `mfa_required`) the step-up dialog asks for a code and tries again.
 */
@Component({
  selector: 'ix-users-tab',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
    DataList,
    DataListCell,
    ApiErrorPipe,
    ProblemMessage,
    RoleLabel,
  ],
  templateUrl: './users-tab.html',
  styles: `
    :host {
      /* Material's error red on the card misses WCAG AA contrast for small text (axe). */
      --mat-form-field-error-text-color: var(--ix-on-danger-surface);
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 0 1rem;
    }
    .filters mat-form-field {
      min-width: 14rem;
    }
    .disabled-user {
      color: var(--ix-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersTab {
  private readonly api = inject(UsersApi);
  private readonly session = inject(SessionStore);
  private readonly stepUp = inject(StepUp);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly roles = ROLES;
  readonly passwordMin = PASSWORD_MIN_LENGTH;
  readonly manage = computed(() => this.session.can('user:manage'));
  readonly meId = computed(() => this.session.user()?.id ?? null);

  readonly search = signal('');
  readonly role = signal<Role | ''>('');
  private readonly reloads = new Subject<void>();
  readonly list = pagedList<UserDto>(
    merge(
      toObservable(computed(() => ({ q: this.search().trim(), role: this.role() }))).pipe(
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged((a, b) => a.q === b.q && a.role === b.role),
      ),
      this.reloads,
    ),
    (cursor, abort) =>
      this.api.list(
        {
          limit: PAGE_SIZE,
          sort: 'name',
          ...(this.search().trim() ? { q: this.search().trim() } : {}),
          ...(this.role() ? { role: this.role() as Role } : {}),
          ...(cursor ? { cursor } : {}),
        },
        abort,
      ),
  );
  /** Users changed here since the page was read (shown until a newer read has them). */
  private readonly changed = signal<ReadonlyMap<string, UserDto>>(new Map());
  readonly users = computed(() => newerOf(this.list.rows(), this.changed()));
  /** The user whose change is on its way. */
  readonly busy = signal<string | null>(null);

  readonly creating = signal(false);
  readonly saving = signal(false);
  readonly createFailure = signal<ApiFailure | null>(null);
  readonly form = inject(FormBuilder).nonNullable.group({
    username: ['', [required]],
    displayName: [''],
    email: [''],
    role: ['DEVELOPER' as Role, [required]],
    password: ['', [required, Validators.minLength(PASSWORD_MIN_LENGTH)]],
  });

  readonly columns: ListColumn<UserDto>[] = [
    { key: 'name', header: 'User', value: (u) => u.username, sortable: true, rowHeader: true },
    { key: 'role', header: 'Role', value: (u) => u.role, sortable: true },
    { key: 'status', header: 'Status', value: (u) => (u.disabled ? 'Disabled' : 'Active') },
    { key: 'mfa', header: 'MFA', value: (u) => (u.mfaEnabled ? 'On' : 'Off') },
    { key: 'login', header: 'Last sign-in', value: (u) => u.lastLoginAt ?? '', sortable: true },
    { key: 'actions', header: 'Actions' },
  ];

  onSearch(event: Event): void {
    this.search.set((event.target as HTMLInputElement).value);
  }

  startCreating(): void {
    this.creating.set(true);
    this.createFailure.set(null);
  }

  cancelCreating(): void {
    this.creating.set(false);
    this.form.reset();
  }

  async create(): Promise<void> {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    this.saving.set(true);
    this.createFailure.set(null);
    const result = await this.stepUp.run(() =>
      this.api.create({
        username: value.username.trim(),
        role: value.role,
        password: value.password,
        ...(value.displayName.trim() ? { displayName: value.displayName.trim() } : {}),
        ...(value.email.trim() ? { email: value.email.trim() } : {}),
      }),
    );
    this.saving.set(false);
    if (!result.ok) {
      const unmatched = applyProblemErrors(this.form, result.failure);
      if (unmatched.length > 0 || (result.failure.problem?.errors ?? []).length === 0)
        this.createFailure.set(result.failure);
      return;
    }
    this.notifier.done(`Created ${result.data.username}.`);
    this.creating.set(false);
    this.form.reset();
    this.reloads.next();
  }

  changeRole(user: UserDto, role: Role): Promise<void> {
    return this.change(user, { role }, `${user.username} is now ${role.toLowerCase()}.`, 'role');
  }

  async setDisabled(user: UserDto, disabled: boolean): Promise<void> {
    if (disabled) {
      const sure = await this.confirm.ask({
        title: `Disable ${user.username}?`,
        message:
          'They are signed out everywhere at once, their API tokens are revoked, and they cannot sign in until enabled again.',
        confirm: 'Disable',
        destructive: true,
      });
      if (!sure) return;
    }
    await this.change(
      user,
      { disabled },
      `${user.username} is ${disabled ? 'disabled' : 'enabled'}.`,
      disabled ? 'disable' : 'enable',
    );
  }

  async resetMfa(user: UserDto): Promise<void> {
    const sure = await this.confirm.ask({
      title: `Reset two-step verification of ${user.username}?`,
      message:
        'Their authenticator and recovery codes stop working, their sessions and API tokens end, and they set up two-step verification again at their next sign-in.',
      confirm: 'Reset MFA',
      destructive: true,
    });
    if (!sure) return;
    await this.apply(
      user,
      () => this.api.resetMfa(user.id),
      `Two-step verification of ${user.username} was reset.`,
      'reset MFA of',
    );
  }

  private change(user: UserDto, body: UpdateUserDto, done: string, what: string): Promise<void> {
    return this.apply(user, () => this.api.update(user, body), done, what);
  }

  private async apply(
    user: UserDto,
    call: () => Promise<ApiResult<UserDto>>,
    done: string,
    what: string,
  ): Promise<void> {
    if (this.busy()) return;
    this.busy.set(user.id);
    const result = await this.stepUp.run(call);
    this.busy.set(null);
    if (!result.ok) {
      this.notifier.failed(`Could not ${what} ${user.username}.`, result.failure);
      return;
    }
    this.changed.update((changed) => new Map(changed).set(user.id, result.data));
    this.notifier.done(done);
  }
}
