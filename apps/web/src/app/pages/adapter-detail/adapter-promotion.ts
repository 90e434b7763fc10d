import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type EnvironmentDto, type PromotionPreviewDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiFailure } from '../../api/api-result';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * Promotion of an environment's overlay to another: a preview of the values that differ and the
 * secrets to enter in the target (never copied), then "Promote" with `adapter:configure`.
 */
@Component({
  selector: 'ix-adapter-promotion',
  imports: [JsonPipe, MatButtonModule, MatFormFieldModule, MatInputModule, ProblemMessage],
  template: `
    <div class="row">
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Promote {{ from() }} to</mat-label>
        <select matNativeControl [value]="to()" (change)="pick($event)">
          <option value="">Choose an environment</option>
          @for (env of environments(); track env.code) {
            @if (env.code !== from()) {
              <option [value]="env.code">{{ env.name }} ({{ env.code }})</option>
            }
          }
        </select>
      </mat-form-field>
      <button matButton="outlined" type="button" [disabled]="!to() || busy()" (click)="preview()">
        Preview promotion
      </button>
    </div>
    @if (plan(); as plan) {
      @if (plan.differences.length === 0) {
        <p class="ix-muted">{{ plan.from }} and {{ plan.to }} have the same overlay values.</p>
      } @else {
        <table class="diff">
          <caption>
            Overlay values that differ from
            {{
              plan.from
            }}
            to
            {{
              plan.to
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">{{ plan.from }}</th>
              <th scope="col">{{ plan.to }}</th>
            </tr>
          </thead>
          <tbody>
            @for (d of plan.differences; track d.pointer) {
              <tr>
                <th scope="row">
                  <code>{{ d.pointer }}</code>
                </th>
                <td>{{ d.from === undefined ? 'not set' : (d.from | json) }}</td>
                <td>{{ d.to === undefined ? 'not set' : (d.to | json) }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
      @if (plan.secretsToEnter.length > 0) {
        <p class="ix-notice">
          Secrets are never copied: enter {{ plan.secretsToEnter.join(', ') }} in {{ plan.to }}.
        </p>
      }
      @if (canPromote()) {
        <button matButton="filled" type="button" [disabled]="busy()" (click)="promote(plan)">
          Promote {{ plan.from }} to {{ plan.to }}
        </button>
      }
    }
    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure">The promotion failed.</ix-problem-message>
    }
  `,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
    }
    .diff {
      margin: 0.75rem 0;
      border-collapse: collapse;
    }
    .diff th,
    .diff td {
      padding: 0.25rem 0.75rem;
      text-align: start;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdapterPromotion {
  private readonly api = inject(AdaptersApi);
  private readonly confirm = inject(ConfirmDialog);

  readonly packageId = input.required<string>();
  readonly adapterId = input.required<string>();
  readonly from = input.required<string>();
  readonly environments = input<readonly EnvironmentDto[]>([]);
  readonly canPromote = input(false);
  /** Promoted into this environment. */
  readonly promoted = output<string>();

  readonly to = signal('');
  readonly plan = signal<PromotionPreviewDto | null>(null);
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  pick(event: Event): void {
    this.to.set((event.target as HTMLSelectElement).value);
    this.plan.set(null);
  }

  preview(): void {
    void this.load();
  }

  promote(plan: PromotionPreviewDto): void {
    void this.run(plan);
  }

  private async load(): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    const outcome = await this.api.promotion(
      this.packageId(),
      this.adapterId(),
      this.from(),
      this.to(),
    );
    this.busy.set(false);
    if (outcome.ok) this.plan.set(outcome.data);
    else this.failure.set(outcome.failure);
  }

  private async run(plan: PromotionPreviewDto): Promise<void> {
    const confirmed = await this.confirm.ask({
      title: `Promote to ${plan.to}?`,
      message: `The overlay values of ${plan.from} are copied to ${plan.to}. Secrets are not copied.`,
      confirm: 'Promote',
    });
    if (!confirmed) return;
    this.busy.set(true);
    this.failure.set(null);
    const outcome = await this.api.promote(this.packageId(), this.adapterId(), plan.from, plan.to);
    this.busy.set(false);
    if (!outcome.ok) return this.failure.set(outcome.failure);
    this.plan.set(null);
    this.promoted.emit(plan.to);
  }
}
