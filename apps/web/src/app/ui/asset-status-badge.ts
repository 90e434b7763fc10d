import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type AssetDto } from '@integrixs/api-client';

/** An asset's lifecycle status as a coloured badge. */
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
        @case ('DEPLOYED') {
          Deployed
        }
        @case ('SUSPENDED') {
          Suspended
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
      background: #eceff3;
      color: #3d4757;
      font-size: 0.8125rem;
      white-space: nowrap;
    }
    [data-status='READY'] {
      background: #e3f4e8;
      color: #1d6b35;
    }
    [data-status='DEPLOYED'] {
      background: #e2edfb;
      color: #1d4f91;
    }
    [data-status='SUSPENDED'] {
      background: #fff3dc;
      color: #7a4d00;
    }
    [data-status='ARCHIVED'] {
      color: var(--ix-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssetStatusBadge {
  readonly status = input.required<AssetDto['status']>();
}
