import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

import { type DriftDto, type EnvironmentDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { DeploymentsApi } from '../../api/deployments-api.service';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * The environment comparison: pick two environments and list the pinned assets whose versions
 * differ between their active deployments (a dash where one environment does not pin it).
 */
@Component({
  selector: 'ix-flow-drift',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatSelectModule, ProblemMessage],
  template: `
    <form
      class="drift-form"
      novalidate
      aria-label="Compare environments"
      (submit)="compare($event)"
    >
      <mat-form-field>
        <mat-label>From</mat-label>
        <mat-select name="from" [ngModel]="from()" (ngModelChange)="from.set($event)">
          @for (environment of environments(); track environment.code) {
            <mat-option [value]="environment.code">{{ environment.code }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>To</mat-label>
        <mat-select name="to" [ngModel]="to()" (ngModelChange)="to.set($event)">
          @for (environment of environments(); track environment.code) {
            <mat-option [value]="environment.code">{{ environment.code }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <button matButton="outlined" type="submit" [disabled]="!from() || !to()">Compare</button>
    </form>
    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure"
        >The environments could not be compared.</ix-problem-message
      >
    } @else if (drift(); as drift) {
      @if (drift.inSync) {
        <p class="ix-muted" role="status">
          {{ drift.from }} and {{ drift.to }} pin the same versions.
        </p>
      } @else {
        <table class="history" aria-label="Differences">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">{{ drift.from }}</th>
              <th scope="col">{{ drift.to }}</th>
            </tr>
          </thead>
          <tbody>
            @for (item of drift.differences; track item.assetId) {
              <tr>
                <th scope="row">{{ item.name }} ({{ item.type.toLowerCase() }})</th>
                <td>{{ item.from.length ? item.from.join(', ') : '—' }}</td>
                <td>{{ item.to.length ? item.to.join(', ') : '—' }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    }
  `,
  styles: `
    .drift-form {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowDrift {
  private readonly api = inject(DeploymentsApi);

  readonly packageId = input.required<string>();
  readonly flowId = input.required<string>();
  readonly environments = input.required<readonly EnvironmentDto[]>();

  readonly from = signal('');
  readonly to = signal('');
  readonly drift = signal<DriftDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);

  async compare(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.from() || !this.to()) return;
    this.failure.set(null);
    const result = await this.api.drift(this.packageId(), this.flowId(), this.from(), this.to());
    if (result.ok) this.drift.set(result.data);
    else {
      this.drift.set(null);
      this.failure.set(result.failure);
    }
  }
}
