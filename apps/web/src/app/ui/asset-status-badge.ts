import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type AssetDto } from '@integrixs/api-client';

/**
 * An asset's lifecycle status as a badge. Deployment state is per environment (it comes with the
 * flows issue), so only the asset statuses have names here; anything else shows as it is.
 */
@Component({
  selector: 'ix-asset-status-badge',
  template: `
    <span class="badge" [attr.data-status]="status()">
      @switch (status()) {
        @case ('DRAFT') {
          Draft
        }
        @case ('READY') {
          Ready
        }
        @case ('ARCHIVED') {
          Archived
        }
        @default {
          {{ status() }}
        }
      }
    </span>
  `,
  styles: `
    .badge {
      display: inline-block;
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
    }
    [data-status='READY'] {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    [data-status='ARCHIVED'] {
      background: transparent;
      outline: 1px solid var(--ix-border);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssetStatusBadge {
  readonly status = input.required<AssetDto['status']>();
}
