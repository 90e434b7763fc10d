import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

import { type DeploymentDto, type PinDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { SchemasApi } from '../../api/schemas-api.service';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * A partial rollback of one deployment: pick one of its pinned assets and an earlier version
 * (schemas and mappings list their versions; other assets offer the numbers below the pinned
 * one), then deploy: that asset at that version, the rest as the environment has them.
 */
@Component({
  selector: 'ix-partial-rollback-form',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatSelectModule, ProblemMessage],
  template: `
    <form
      class="ix-form"
      novalidate
      [attr.aria-label]="'Partial rollback in ' + deployment().environment"
      (submit)="submit($event)"
    >
      <mat-form-field>
        <mat-label>Asset to roll back</mat-label>
        <mat-select name="asset" [ngModel]="pin()" (ngModelChange)="choose($event)">
          @for (candidate of candidates(); track candidate.assetId) {
            <mat-option [value]="candidate">
              {{ candidate.name }} ({{ candidate.type.toLowerCase() }}) v{{ candidate.version }}
            </mat-option>
          }
        </mat-select>
      </mat-form-field>
      @if (loading()) {
        <p role="status">Loading the asset's versions…</p>
      } @else if (pin()) {
        <mat-form-field>
          <mat-label>Earlier version</mat-label>
          <mat-select name="version" [ngModel]="version()" (ngModelChange)="version.set($event)">
            @for (v of versions(); track v) {
              <mat-option [value]="v">Version {{ v }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      }
      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure"
          >The asset's versions could not be loaded.</ix-problem-message
        >
      }
      <div class="ix-actions">
        <button matButton type="button" (click)="cancelled.emit()">Cancel</button>
        <button matButton="filled" type="submit" [disabled]="version() === null">
          Deploy partial rollback
        </button>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartialRollbackForm {
  private readonly schemas = inject(SchemasApi);
  private readonly mappings = inject(MappingsApi);

  readonly deployment = input.required<DeploymentDto>();
  /** The pins to deploy (asset id → version). */
  readonly chosen = output<Record<string, number>>();
  readonly cancelled = output();

  readonly pin = signal<PinDto | null>(null);
  readonly versions = signal<readonly number[]>([]);
  readonly version = signal<number | null>(null);
  readonly failure = signal<ApiFailure | null>(null);
  /** While the chosen asset's versions load (a select with no options would not open). */
  readonly loading = signal(false);

  /** The pinned assets that have an earlier version (the flow itself is not rolled back here). */
  candidates(): PinDto[] {
    return this.deployment().pins.filter((pin) => pin.type !== 'FLOW' && pin.version > 1);
  }

  async choose(pin: PinDto): Promise<void> {
    this.pin.set(pin);
    this.version.set(null);
    this.failure.set(null);
    const earlier = (all: number[]) => all.filter((v) => v < pin.version).sort((a, b) => b - a);
    if (pin.type === 'SCHEMA' || pin.type === 'MAPPING') {
      this.loading.set(true);
      const result =
        pin.type === 'SCHEMA'
          ? await this.schemas.versions(pin.packageId, pin.assetId)
          : await this.mappings.versions(pin.packageId, pin.assetId);
      this.loading.set(false);
      if (this.pin() !== pin) return; // another asset was chosen meanwhile
      if (!result.ok) {
        this.versions.set([]);
        this.failure.set(result.failure);
        return;
      }
      this.versions.set(earlier(result.data.items.map((item) => item.version)));
    } else {
      this.versions.set(earlier(Array.from({ length: pin.version - 1 }, (_, i) => i + 1)));
    }
  }

  submit(event: Event): void {
    event.preventDefault();
    const pin = this.pin();
    const version = this.version();
    if (pin && version !== null) this.chosen.emit({ [pin.assetId]: version });
  }
}
