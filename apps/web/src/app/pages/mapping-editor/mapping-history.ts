import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { type MappingDetailDto, type SchemaVersionPageDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { loadedValue } from '../../ui/paged-list';
import { ProblemMessage } from '../../ui/problem-message';
import { VersionTable } from '../../ui/version-table';

/** Which history is shown; `current` changes with each new version. */
interface HistoryKey {
  readonly packageId: string;
  readonly id: string;
  readonly current: number;
}

/**
 * A saved mapping's version history, newest first, with "Roll back to this version" for those
 * who may write: after a confirmation, that version's content becomes the next version (the
 * page then shows it).
 */
@Component({
  selector: 'ix-mapping-history',
  imports: [MatButtonModule, ProblemMessage, VersionTable],
  template: `
    @if (loading()) {
      <div class="ix-state" aria-busy="true" role="status"><p>Loading versions…</p></div>
    } @else if (failure(); as failure) {
      <ix-problem-message [failure]="failure">
        The version history could not be loaded.
        <button actions matButton="outlined" type="button" (click)="retry()">Try again</button>
      </ix-problem-message>
    } @else if (page(); as page) {
      <ix-version-table caption="The mapping's versions, newest first" [page]="page">
        <ng-template let-version>
          @if (version.version === mapping().currentVersion) {
            <span class="ix-muted">Current</span>
          } @else if (canWrite()) {
            <button
              matButton="outlined"
              type="button"
              [disabled]="rollingBack()"
              (click)="rollback(version.version)"
            >
              Roll back to this version
            </button>
          }
        </ng-template>
      </ix-version-table>
    }
    @if (rollbackFailure(); as failure) {
      <ix-problem-message [failure]="failure">
        The mapping could not be rolled back.
        @if (failure.status === 412) {
          Someone else changed it since you opened it: reload it first.
        }
      </ix-problem-message>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingHistory {
  private readonly api = inject(MappingsApi);
  private readonly confirm = inject(ConfirmDialog);

  readonly mapping = input.required<MappingDetailDto>();
  readonly canWrite = input(false);
  /** The mapping after a rollback (its new current version). */
  readonly rolledBack = output<MappingDetailDto>();

  /** The history, read again when a save or rollback makes a new current version. */
  private readonly history = loadedValue<HistoryKey, SchemaVersionPageDto | null>(
    computed(() => {
      const mapping = this.mapping();
      return { packageId: mapping.packageId, id: mapping.id, current: mapping.currentVersion };
    }),
    ({ packageId, id }, signal) => this.api.versions(packageId, id, signal),
    null,
  );
  readonly page = this.history.value.asReadonly();
  readonly loading = this.history.loading;
  readonly failure = this.history.failure;
  readonly rollingBack = signal(false);
  readonly rollbackFailure = signal<ApiFailure | null>(null);

  retry(): void {
    this.history.retry();
  }

  /** Asks first (a rollback makes a new version), then rolls back. */
  rollback(version: number): void {
    if (!this.rollingBack()) void this.rollBackTo(version);
  }

  private async rollBackTo(version: number): Promise<void> {
    const mapping = this.mapping();
    const confirmed = await this.confirm.ask({
      title: 'Roll back?',
      message: `Roll back to version ${version}? Its content becomes version ${mapping.currentVersion + 1}; unsaved changes in the editor are lost.`,
      confirm: 'Roll back',
    });
    if (!confirmed) return;
    this.rollingBack.set(true);
    this.rollbackFailure.set(null);
    const outcome = await this.api.rollback(
      mapping.packageId,
      mapping.id,
      mapping.version,
      version,
    );
    this.rollingBack.set(false);
    if (!outcome.ok) {
      this.rollbackFailure.set(outcome.failure);
      return;
    }
    this.rolledBack.emit(outcome.data);
  }
}
