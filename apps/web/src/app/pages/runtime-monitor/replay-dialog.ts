import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type DeadLetterDto, type ReplayResultDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { RuntimeApi, type ReplayPins } from '../../api/runtime-api.service';
import { ProblemMessage } from '../../ui/problem-message';

export interface ReplayDialogData {
  readonly packageId: string;
  readonly deadLetter: DeadLetterDto;
}

/**
 * Replays one dead letter: on the original pins or the active deployment, with the failed
 * step's stored input, or with that input edited here first (sent only when changed, stored by
 * the API as an EDITED payload). Closes with the replay's answer.
 */
@Component({
  selector: 'ix-replay-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ProblemMessage,
  ],
  template: `
    <h2 mat-dialog-title>Replay from {{ data.deadLetter.nodeId }}</h2>
    <form (ngSubmit)="replay()">
      <mat-dialog-content>
        <p>
          {{ data.deadLetter.flowName }} in {{ data.deadLetter.environment }} resumes at the failed
          step <strong>{{ data.deadLetter.nodeId }}</strong> as a new message. Targets that already
          had their effect skip it.
        </p>
        <div class="pins">
          <span id="replay-pins-label">Run on</span>
          <mat-button-toggle-group
            name="pins"
            aria-labelledby="replay-pins-label"
            [(ngModel)]="pins"
          >
            <mat-button-toggle value="ORIGINAL">Original versions</mat-button-toggle>
            <mat-button-toggle value="ACTIVE">Active deployment</mat-button-toggle>
          </mat-button-toggle-group>
        </div>
        @if (loading()) {
          <p role="status" aria-busy="true">Loading the stored payload…</p>
        } @else if (loadFailure(); as failure) {
          <ix-problem-message [failure]="failure">
            The stored payload could not be read; the replay can still use it as it is.
          </ix-problem-message>
        } @else {
          <mat-form-field class="payload">
            <mat-label>Payload ({{ contentType }})</mat-label>
            <textarea
              matInput
              name="payload"
              rows="12"
              spellcheck="false"
              cdkFocusInitial
              [(ngModel)]="text"
            ></textarea>
            <mat-hint>
              @if (edited()) {
                Edited: the replay uses this text.
              } @else {
                Unchanged: the replay uses the stored input.
              }
            </mat-hint>
          </mat-form-field>
        }
        @if (failure(); as failure) {
          <ix-problem-message [failure]="failure"
            >The dead letter was not replayed.</ix-problem-message
          >
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button matButton="filled" type="submit" [disabled]="sending() || loading()">
          @if (sending()) {
            Replaying…
          } @else {
            Replay
          }
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .pins {
      display: flex;
      gap: 1rem;
      align-items: center;
      margin-bottom: 1rem;
    }
    .payload {
      display: block;
      width: 100%;
    }
    textarea {
      font-family: var(--ix-mono, ui-monospace, monospace);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReplayDialog {
  readonly data = inject<ReplayDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(RuntimeApi);
  private readonly ref = inject<MatDialogRef<ReplayDialog, ReplayResultDto>>(MatDialogRef);

  pins: ReplayPins = 'ORIGINAL';
  text = '';
  private stored: string | null = null;
  readonly contentType = this.data.deadLetter.payload?.contentType ?? 'text/plain';
  readonly loading = signal(true);
  readonly loadFailure = signal<ApiFailure | null>(null);
  readonly sending = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  constructor() {
    void this.load();
  }

  /** Whether the text differs from the stored input. */
  edited(): boolean {
    return this.stored !== null && this.text !== this.stored;
  }

  private async load(): Promise<void> {
    const result = await this.api.deadLetterPayloadText(
      this.data.packageId,
      this.data.deadLetter.id,
    );
    if (result.ok) {
      this.stored = result.data;
      this.text = result.data;
    } else this.loadFailure.set(result.failure);
    this.loading.set(false);
  }

  async replay(): Promise<void> {
    if (this.sending()) return;
    this.sending.set(true);
    this.failure.set(null);
    const edited =
      this.stored !== null && this.text !== this.stored
        ? { payload: this.text, contentType: this.contentType }
        : undefined;
    const result = await this.api.replay(
      this.data.packageId,
      this.data.deadLetter.id,
      this.pins,
      edited,
    );
    this.sending.set(false);
    if (result.ok) this.ref.close(result.data);
    else this.failure.set(result.failure);
  }
}
