import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { RouterLink } from '@angular/router';
import { exhaustMap, filter, from } from 'rxjs';

import { type ReplayResultDto } from '@integrixs/api-client';

import { RuntimeApi } from '../../api/runtime-api.service';
import { TabStateStore } from '../../state/tab-state';
import { LoadState } from '../../ui/load-state';
import { Notifier } from '../../ui/notifier';
import { routeLoad } from '../../ui/route-load';
import { PackageWorkspace } from '../package-workspace/package-workspace';
import { ReplayDialog, type ReplayDialogData } from './replay-dialog';
import { formatDuration } from './runtime-filters';
import { runtimeRefresh } from './runtime-refresh';
import { RuntimeStatus } from './runtime-status';
import { describe, StepTimeline } from './step-timeline';

/** Statuses after which an execution no longer changes (no more polling). */
const FINAL = new Set(['SUCCEEDED', 'DEAD_LETTERED', 'CANCELLED']);

/**
 * One execution (`/packages/:id/runtime/executions/:messageId`): its facts, error, replay chain,
 * the step timeline with each step's input snapshot, a download of the input payload, and its
 * dead letter (Replay… for operators while it is open). Reads again while it is still running.
 */
@Component({
  selector: 'ix-execution-page',
  imports: [DatePipe, RouterLink, MatButtonModule, LoadState, RuntimeStatus, StepTimeline],
  template: `
    <p class="back">
      <a [routerLink]="['/packages', packageId(), 'runtime']" [queryParams]="backParams()"
        >← All executions</a
      >
    </p>
    <ix-load-state
      noun="execution"
      [phase]="load.phase()"
      [id]="messageId()"
      [failure]="load.failure()"
      [back]="['/packages', packageId(), 'runtime']"
      backLabel="Back to the runtime monitor"
      (retry)="load.retry()"
    />
    @if (load.loaded(); as execution) {
      <section class="ix-card" aria-labelledby="execution-heading">
        <div class="ix-section-head">
          <h2 id="execution-heading">
            Execution <code>{{ execution.id }}</code>
          </h2>
          <ix-runtime-status [status]="execution.status" />
        </div>
        <dl class="ix-facts">
          <div>
            <dt>Flow</dt>
            <dd>
              <a [routerLink]="['/packages', packageId(), 'flows', execution.flowId]">{{
                execution.flowName
              }}</a>
              in {{ execution.environment }}
            </dd>
          </div>
          <div>
            <dt>Trigger</dt>
            <dd>{{ execution.trigger }}</dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>
              <time [attr.datetime]="execution.receivedAt">{{
                execution.receivedAt | date: 'medium'
              }}</time>
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{{ duration(execution.durationMs) }}</dd>
          </div>
          <div>
            <dt>Attempts</dt>
            <dd>{{ execution.attempts }}</dd>
          </div>
          @if (execution.sourceRef) {
            <div>
              <dt>Source</dt>
              <dd>{{ execution.sourceRef }}</dd>
            </div>
          }
          @if (execution.nextAttemptAt) {
            <div>
              <dt>Next attempt</dt>
              <dd>{{ execution.nextAttemptAt | date: 'medium' }}</dd>
            </div>
          }
          @if (execution.replayOf) {
            <div>
              <dt>Replay of</dt>
              <dd>
                <a
                  [routerLink]="[
                    '/packages',
                    packageId(),
                    'runtime',
                    'executions',
                    execution.replayOf,
                  ]"
                  ><code>{{ execution.replayOf.slice(0, 8) }}</code></a
                >
              </dd>
            </div>
          }
        </dl>
        @if (execution.error) {
          <p class="ix-alert" role="alert">{{ describe(execution.error) }}</p>
        }
        @if (execution.replays.length > 0) {
          <p>
            Replayed as
            @for (id of execution.replays; track id; let last = $last) {
              <a [routerLink]="['/packages', packageId(), 'runtime', 'executions', id]"
                ><code>{{ id.slice(0, 8) }}</code></a
              >{{ last ? '' : ', ' }}
            }
          </p>
        }
        <div class="ix-actions">
          @if (execution.input) {
            <button matButton="outlined" type="button" (click)="download()">
              Download input payload ({{ execution.input.contentType }},
              {{ execution.input.sizeBytes }} bytes)
            </button>
          }
          @if (execution.deadLetter?.status === 'OPEN' && canOperate()) {
            <button matButton="filled" type="button" (click)="replay()">Replay…</button>
          }
        </div>
      </section>
      <section class="ix-card" aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        <ix-step-timeline [steps]="execution.steps" [startedAt]="execution.receivedAt" />
      </section>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 1rem;
    }
    .back {
      margin: 0;
    }
    h2 code {
      font-size: 0.8em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExecutionPage {
  private readonly api = inject(RuntimeApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly tabState = inject(TabStateStore);
  private readonly workspace = inject(PackageWorkspace);
  readonly packageId = this.workspace.id;

  /** The `:messageId` route parameter. */
  readonly messageId = input.required<string>();

  private readonly key = computed(() => ({ id: this.packageId(), messageId: this.messageId() }));
  readonly load = routeLoad(this.key, (key, signal) =>
    this.api.execution(key.id, key.messageId, signal),
  );
  readonly canOperate = computed(() => this.workspace.may('runtime:operate'));
  readonly duration = formatDuration;
  readonly describe = describe;

  constructor() {
    // While it runs (or waits to), read it again with the monitor's refresh.
    runtimeRefresh(this.packageId, () => this.load.loaded()?.flowId)
      .pipe(
        filter(() => {
          const status = this.load.loaded()?.status;
          return status !== undefined && !FINAL.has(status);
        }),
        exhaustMap(() => from(this.api.execution(this.packageId(), this.messageId()))),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (result.ok && result.data.id === this.messageId()) this.load.loaded.set(result.data);
      });
  }

  /** The monitor's filters as they were left. */
  backParams(): Record<string, string> {
    return { ...this.tabState.params(this.packageId(), 'runtime') };
  }

  /** Saves the input payload as a file (`<message id>.bin`, or by its type). */
  async download(): Promise<void> {
    const execution = this.load.loaded();
    if (!execution) return;
    const result = await this.api.executionPayload(this.packageId(), execution.id);
    if (!result.ok) {
      this.notifier.failed('The payload could not be downloaded.', result.failure);
      return;
    }
    const url = URL.createObjectURL(result.data);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${execution.id}${extensionOf(execution.input?.contentType ?? '')}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  replay(): void {
    const deadLetter = this.load.loaded()?.deadLetter;
    if (!deadLetter) return;
    const ref = this.dialog.open<ReplayDialog, ReplayDialogData, ReplayResultDto>(ReplayDialog, {
      data: { packageId: this.packageId(), deadLetter },
      width: '44rem',
      maxWidth: '95vw',
    });
    ref.afterClosed().subscribe((result) => {
      if (!result) return;
      this.notifier.done(`Replayed as message ${result.messageId.slice(0, 8)}.`);
      this.load.retry();
    });
  }
}

/** `.xml`, `.json`, `.txt` for the common types; `.bin` otherwise. */
export function extensionOf(contentType: string): string {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.endsWith('xml')) return '.xml';
  if (type.endsWith('json')) return '.json';
  if (type.startsWith('text/')) return '.txt';
  return '.bin';
}
