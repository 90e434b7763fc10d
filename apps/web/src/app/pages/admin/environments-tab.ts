import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type EnvironmentDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { EnvironmentsApi } from '../../api/environments-api.service';
import { SessionStore } from '../../auth/session.store';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { Notifier } from '../../ui/notifier';
import { loadedList } from '../../ui/paged-list';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * The deployment environments: everyone sees them; administrators add one, rename it, protect or
 * unprotect it and delete it. A refused delete (409: protected, the last one, or still used by
 * adapters) shows the API's message, which names what uses it.
 */
@Component({
  selector: 'ix-environments-tab',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    DataList,
    DataListCell,
    ProblemMessage,
  ],
  templateUrl: './environments-tab.html',
  styles: `
    .rename {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EnvironmentsTab {
  private readonly api = inject(EnvironmentsApi);
  private readonly session = inject(SessionStore);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly manage = computed(() => this.session.can('environment:manage'));
  readonly list = loadedList(signal(null), (_key, abort) => this.api.list(abort));

  readonly adding = signal(false);
  readonly code = signal('');
  readonly name = signal('');
  readonly protect = signal(false);
  readonly saving = signal(false);
  readonly addFailure = signal<ApiFailure | null>(null);

  /** The environment being renamed, and the name typed so far. */
  readonly renaming = signal<string | null>(null);
  readonly newName = signal('');
  readonly busy = signal<string | null>(null);
  /** Why the last change or delete was refused (a 409 names what uses the environment). */
  readonly refusal = signal<{ headline: string; failure: ApiFailure } | null>(null);

  readonly columns: ListColumn<EnvironmentDto>[] = [
    { key: 'code', header: 'Code', value: (e) => e.code, rowHeader: true },
    { key: 'name', header: 'Name', value: (e) => e.name },
    { key: 'protected', header: 'Protected', value: (e) => (e.protected ? 'Protected' : '—') },
    { key: 'actions', header: 'Actions' },
  ];

  dismissRefusal(): void {
    this.refusal.set(null);
  }

  onCodeInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    input.value = input.value.toUpperCase();
    this.code.set(input.value);
  }

  async add(event: Event): Promise<void> {
    event.preventDefault();
    if (this.saving() || !this.code().trim() || !this.name().trim()) return;
    this.saving.set(true);
    this.addFailure.set(null);
    const result = await this.api.create({
      code: this.code().trim(),
      name: this.name().trim(),
      protected: this.protect(),
    });
    this.saving.set(false);
    if (!result.ok) {
      this.addFailure.set(result.failure);
      return;
    }
    this.list.rows.update((rows) => [...rows, result.data]);
    this.notifier.done(`Added ${result.data.code}.`);
    this.cancelAdding();
  }

  cancelAdding(): void {
    this.adding.set(false);
    this.code.set('');
    this.name.set('');
    this.protect.set(false);
    this.addFailure.set(null);
  }

  startRenaming(environment: EnvironmentDto): void {
    this.renaming.set(environment.code);
    this.newName.set(environment.name);
  }

  async rename(event: Event, environment: EnvironmentDto): Promise<void> {
    event.preventDefault();
    const name = this.newName().trim();
    if (!name || name === environment.name) {
      this.renaming.set(null);
      return;
    }
    if (await this.update(environment, { name }, `Renamed ${environment.code} to “${name}”.`))
      this.renaming.set(null);
  }

  setProtected(environment: EnvironmentDto, on: boolean): Promise<boolean> {
    return this.update(
      environment,
      { protected: on },
      `${environment.code} is ${on ? 'protected' : 'no longer protected'}.`,
    );
  }

  async delete(environment: EnvironmentDto): Promise<void> {
    const sure = await this.confirm.ask({
      title: `Delete ${environment.code}?`,
      message: `The environment “${environment.name}” goes away. Adapters must not use it any more.`,
      confirm: 'Delete',
      destructive: true,
    });
    if (!sure) return;
    this.busy.set(environment.code);
    this.refusal.set(null);
    const result = await this.api.delete(environment.code);
    this.busy.set(null);
    if (!result.ok) {
      this.refusal.set({
        headline: `${environment.code} was not deleted.`,
        failure: result.failure,
      });
      return;
    }
    this.list.rows.update((rows) => rows.filter((e) => e.code !== environment.code));
    this.notifier.done(`Deleted ${environment.code}.`);
  }

  private async update(
    environment: EnvironmentDto,
    body: { name?: string; protected?: boolean },
    done: string,
  ): Promise<boolean> {
    this.busy.set(environment.code);
    this.refusal.set(null);
    const result = await this.api.update(environment.code, body);
    this.busy.set(null);
    if (!result.ok) {
      this.refusal.set({
        headline: `${environment.code} was not changed.`,
        failure: result.failure,
      });
      return false;
    }
    this.list.rows.update((rows) =>
      rows.map((e) => (e.code === environment.code ? result.data : e)),
    );
    this.notifier.done(done);
    return true;
  }
}
