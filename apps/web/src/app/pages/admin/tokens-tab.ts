import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type ApiTokenDto, type CreatedApiTokenDto } from '@integrixs/api-client';
import { type Permission, type Role } from '@integrixs/domain';

import { type ApiFailure } from '../../api/api-result';
import { ApiTokensApi } from '../../api/api-tokens-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { SessionStore } from '../../auth/session.store';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { Notifier } from '../../ui/notifier';
import { loadedValue } from '../../ui/paged-list';
import { ProblemMessage } from '../../ui/problem-message';
import { expiryIso, tokenState, withoutSecret } from './token-form';
import { TokenPermissionPicker } from './token-permission-picker';

/** How many packages the package choice offers (the first page of the caller's packages). */
const PACKAGE_CHOICES = 100;

/**
 * The signed-in user's own API tokens (for CI pipelines): the list with revoke, and a form to
 * create one (name, permissions, optional packages and expiry). The new token's secret is shown
 * once, with a copy button, and forgotten when the user moves on.
 */
@Component({
  selector: 'ix-tokens-tab',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    DataList,
    DataListCell,
    ProblemMessage,
    TokenPermissionPicker,
  ],
  templateUrl: './tokens-tab.html',
  styles: `
    .secret {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .secret input {
      flex: 1;
      min-width: 16rem;
      padding: 0.5rem;
      font-family: ui-monospace, monospace;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokensTab {
  private readonly api = inject(ApiTokensApi);
  private readonly packagesApi = inject(PackagesApi);
  private readonly session = inject(SessionStore);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);
  private readonly clipboard = inject(Clipboard);

  readonly role = computed<Role>(() => this.session.user()?.role ?? 'VIEWER');
  readonly tokens = loadedValue(
    signal(null),
    async (_key, abort) => {
      const result = await this.api.list(abort);
      return result.ok ? { ok: true as const, data: result.data.items } : result;
    },
    [] as ApiTokenDto[],
  );
  readonly packages = loadedValue(
    signal(null),
    async (_key, abort) => {
      const result = await this.packagesApi.list({ limit: PACKAGE_CHOICES }, abort);
      return result.ok ? { ok: true as const, data: result.data.items } : result;
    },
    [],
  );

  readonly creating = signal(false);
  readonly name = signal('');
  readonly permissions = signal<Permission[]>([]);
  readonly packageIds = signal<string[]>([]);
  readonly expiry = signal('');
  readonly saving = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  /** The token just created: its secret is on screen until "Done". */
  readonly created = signal<CreatedApiTokenDto | null>(null);
  readonly copied = signal(false);

  readonly today = new Date().toISOString().slice(0, 10);
  readonly lastDay = new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
  readonly canCreate = computed(
    () => !this.saving() && this.name().trim() !== '' && this.permissions().length > 0,
  );

  readonly state = tokenState;
  readonly columns: ListColumn<ApiTokenDto>[] = [
    { key: 'name', header: 'Name', value: (t) => t.name, sortable: true, rowHeader: true },
    { key: 'hint', header: 'Starts with', value: (t) => t.hint },
    { key: 'permissions', header: 'Permissions', value: (t) => t.permissions.join(', ') },
    { key: 'packages', header: 'Packages' },
    { key: 'expires', header: 'Expires', value: (t) => t.expiresAt, sortable: true },
    { key: 'used', header: 'Last used', value: (t) => t.lastUsedAt ?? '', sortable: true },
    { key: 'state', header: 'State', value: (t) => tokenState(t) },
    { key: 'actions', header: 'Actions' },
  ];

  startCreating(): void {
    this.creating.set(true);
    this.failure.set(null);
  }

  cancel(): void {
    this.creating.set(false);
    this.reset();
  }

  async create(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.canCreate()) return;
    this.saving.set(true);
    this.failure.set(null);
    const result = await this.api.create({
      name: this.name().trim(),
      permissions: this.permissions(),
      ...(this.packageIds().length > 0 ? { packageIds: this.packageIds() } : {}),
      ...(this.expiry() ? { expiresAt: expiryIso(this.expiry()) } : {}),
    });
    this.saving.set(false);
    if (!result.ok) {
      this.failure.set(result.failure);
      return;
    }
    this.tokens.value.update((tokens) => [withoutSecret(result.data), ...tokens]);
    this.created.set(result.data);
    this.copied.set(false);
    this.creating.set(false);
    this.reset();
  }

  selectAll(event: Event): void {
    (event.target as HTMLInputElement).select();
  }

  copy(secret: string): void {
    this.copied.set(this.clipboard.copy(secret));
  }

  /** The secret leaves the screen (and memory): it cannot be shown again. */
  done(): void {
    this.created.set(null);
  }

  async revoke(token: ApiTokenDto): Promise<void> {
    const sure = await this.confirm.ask({
      title: `Revoke “${token.name}”?`,
      message: 'Anything that uses this token is refused from now on. This cannot be undone.',
      confirm: 'Revoke',
      destructive: true,
    });
    if (!sure) return;
    const result = await this.api.revoke(token.id);
    if (!result.ok) {
      this.notifier.failed(`“${token.name}” was not revoked.`, result.failure);
      return;
    }
    const revokedAt = new Date().toISOString();
    this.tokens.value.update((tokens) =>
      tokens.map((t) => (t.id === token.id ? { ...t, revokedAt } : t)),
    );
    this.notifier.done(`Revoked “${token.name}”.`);
  }

  packageName(id: string): string {
    return this.packages.value().find((p) => p.id === id)?.name ?? id;
  }

  private reset(): void {
    this.name.set('');
    this.permissions.set([]);
    this.packageIds.set([]);
    this.expiry.set('');
  }
}
