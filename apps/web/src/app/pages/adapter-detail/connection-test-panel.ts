import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { type ConnectionTestResultDto, type ConnectionTestStepDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiFailure } from '../../api/api-result';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * "Test connection" in one environment: each step (resolve, connect, TLS, authenticate, …)
 * appears with its status and milliseconds as it completes, then the outcome. Shows the last
 * test when none runs; the button only with `adapter:configure`.
 */
@Component({
  selector: 'ix-connection-test-panel',
  imports: [DatePipe, MatButtonModule, ProblemMessage],
  template: `
    @if (canTest()) {
      <div class="ix-actions">
        <button
          matButton="filled"
          type="button"
          [disabled]="running()"
          [attr.aria-busy]="running()"
          (click)="run()"
        >
          @if (running()) {
            Testing…
          } @else {
            Test connection in {{ environment() }}
          }
        </button>
      </div>
    }
    <ol
      class="steps"
      aria-live="polite"
      [attr.aria-label]="'Connection test steps in ' + environment()"
    >
      @for (step of steps(); track $index) {
        <li [attr.data-status]="step.status">
          <span class="step">{{ step.step }}</span>
          <span class="status">{{ step.status }}</span>
          <span class="ms">{{ step.durationMs }} ms</span>
          <span class="message">{{ step.message }}</span>
        </li>
      }
    </ol>
    @if (running() && steps().length === 0) {
      <p class="ix-muted" role="status">Connecting…</p>
    }
    @if (result(); as result) {
      <p class="outcome" role="status" [attr.data-ok]="result.ok">
        @if (result.ok) {
          Connection test passed in {{ result.environment }}
        } @else {
          Connection test failed in {{ result.environment }}
        }
        <span class="ix-muted">
          ({{ result.testedAt | date: 'medium' }}, by {{ result.testedBy }})</span
        >
      </p>
    } @else if (!running() && steps().length === 0) {
      <p class="ix-muted">Not tested in {{ environment() }} yet.</p>
    }
    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure"
        >The connection test could not run.</ix-problem-message
      >
    }
  `,
  styles: `
    .steps {
      display: grid;
      gap: 0.25rem;
      margin: 0.75rem 0;
      padding: 0;
      list-style: none;
    }
    .steps li {
      display: grid;
      grid-template-columns: 8rem 5rem 5rem 1fr;
      gap: 0.5rem;
    }
    .step,
    .status {
      font-weight: 600;
    }
    .ms {
      font-variant-numeric: tabular-nums;
    }
    [data-status='failed'] .status,
    .outcome[data-ok='false'] {
      color: var(--ix-on-danger-surface, #b3261e);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectionTestPanel {
  private readonly api = inject(AdaptersApi);

  readonly packageId = input.required<string>();
  readonly adapterId = input.required<string>();
  readonly environment = input.required<string>();
  /** The last test in the environment, as the page loaded it. */
  readonly lastTest = input<ConnectionTestResultDto | null>(null);
  readonly canTest = input(false);

  readonly running = signal(false);
  readonly steps = signal<ConnectionTestStepDto[]>([]);
  readonly result = signal<ConnectionTestResultDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);

  constructor() {
    effect(() => {
      const last = this.lastTest();
      untracked(() => {
        if (this.running()) return;
        this.steps.set(last?.steps ?? []);
        this.result.set(last);
        this.failure.set(null);
      });
    });
  }

  run(): void {
    if (!this.running()) void this.test();
  }

  private async test(): Promise<void> {
    this.running.set(true);
    this.steps.set([]);
    this.result.set(null);
    this.failure.set(null);
    const outcome = await this.api.test(
      this.packageId(),
      this.adapterId(),
      this.environment(),
      (step) => this.steps.update((steps) => [...steps, step]),
    );
    this.running.set(false);
    if (outcome.ok) {
      this.result.set(outcome.data);
      this.steps.set(outcome.data.steps);
    } else this.failure.set(outcome.failure);
  }
}
