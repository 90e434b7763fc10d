import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type SentMessageDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { RuntimeApi } from '../../api/runtime-api.service';
import { ProblemMessage } from '../../ui/problem-message';

/** A deployed flow and the environments it runs in (the run dialog's choices). */
export interface RunnableFlow {
  readonly id: string;
  readonly name: string;
  readonly environments: readonly string[];
}

export interface RunDialogData {
  readonly packageId: string;
  readonly flows: readonly RunnableFlow[];
  readonly flowId: string;
  readonly environment: string;
}

/** The result: the queued message, and where it was sent. */
export interface RunDialogResult {
  readonly sent: SentMessageDto;
  readonly flowId: string;
  readonly environment: string;
}

/** Runs a deployed flow once: flow, environment, content type and the payload text. */
@Component({
  selector: 'ix-run-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ProblemMessage,
  ],
  template: `
    <h2 mat-dialog-title>Run a flow</h2>
    <form (ngSubmit)="run()">
      <mat-dialog-content>
        @if (data.flows.length === 0) {
          <p>No flow of this package is deployed: deploy one from its page first.</p>
        } @else {
          <div class="row">
            <mat-form-field>
              <mat-label>Flow</mat-label>
              <mat-select name="flow" [ngModel]="flowId()" (ngModelChange)="chooseFlow($event)">
                @for (flow of data.flows; track flow.id) {
                  <mat-option [value]="flow.id">{{ flow.name }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Environment</mat-label>
              <mat-select
                name="environment"
                [ngModel]="environment()"
                (ngModelChange)="environment.set($event)"
              >
                @for (code of environments(); track code) {
                  <mat-option [value]="code">{{ code }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Content type</mat-label>
              <input matInput name="contentType" [(ngModel)]="contentType" />
            </mat-form-field>
          </div>
          <mat-form-field class="payload">
            <mat-label>Payload</mat-label>
            <textarea
              matInput
              name="payload"
              rows="12"
              spellcheck="false"
              cdkFocusInitial
              [(ngModel)]="payload"
            ></textarea>
          </mat-form-field>
        }
        @if (failure(); as failure) {
          <ix-problem-message [failure]="failure">The message was not sent.</ix-problem-message>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button
          matButton="filled"
          type="submit"
          [disabled]="sending() || !flowId() || !environment()"
        >
          @if (sending()) {
            Sending…
          } @else {
            Run
          }
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
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
export class RunDialog {
  readonly data = inject<RunDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(RuntimeApi);
  private readonly ref = inject<MatDialogRef<RunDialog, RunDialogResult>>(MatDialogRef);

  readonly flowId = signal(
    this.data.flows.find((flow) => flow.id === this.data.flowId)?.id ??
      this.data.flows[0]?.id ??
      '',
  );
  readonly environments = computed(
    () => this.data.flows.find((flow) => flow.id === this.flowId())?.environments ?? [],
  );
  readonly environment = signal(
    this.environments().includes(this.data.environment)
      ? this.data.environment
      : (this.environments()[0] ?? ''),
  );
  contentType = 'application/xml';
  payload = '';
  readonly sending = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  chooseFlow(flowId: string): void {
    this.flowId.set(flowId);
    const environments = this.environments();
    if (!environments.includes(this.environment())) this.environment.set(environments[0] ?? '');
  }

  async run(): Promise<void> {
    const [flowId, environment] = [this.flowId(), this.environment()];
    if (this.sending() || !flowId || !environment) return;
    this.sending.set(true);
    this.failure.set(null);
    const result = await this.api.run(this.data.packageId, flowId, {
      environment,
      payload: this.payload,
      contentType: this.contentType.trim() || undefined,
    });
    this.sending.set(false);
    if (result.ok) this.ref.close({ sent: result.data, flowId, environment });
    else this.failure.set(result.failure);
  }
}
