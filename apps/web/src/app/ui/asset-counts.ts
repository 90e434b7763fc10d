import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type AssetCountsDto } from '@integrixs/api-client';

/** Live assets of a package by type, and their total. */
@Component({
  selector: 'ix-asset-counts',
  template: `
    <dl class="counts">
      <div>
        <dt>Schemas</dt>
        <dd>{{ counts().SCHEMA }}</dd>
      </div>
      <div>
        <dt>Adapters</dt>
        <dd>{{ counts().ADAPTER }}</dd>
      </div>
      <div>
        <dt>Mappings</dt>
        <dd>{{ counts().MAPPING }}</dd>
      </div>
      <div>
        <dt>Flows</dt>
        <dd>{{ counts().FLOW }}</dd>
      </div>
      <div class="total">
        <dt>Total</dt>
        <dd>{{ total() }}</dd>
      </div>
    </dl>
  `,
  styles: `
    .counts {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin: 0;
    }
    .counts div {
      display: flex;
      flex-direction: column-reverse;
      min-width: 4.5rem;
      padding: 0.25rem 0.75rem;
      border: 1px solid var(--ix-border);
      border-radius: var(--mat-sys-corner-small);
    }
    .counts dt {
      color: var(--ix-muted);
      font: var(--mat-sys-label-small);
    }
    .counts dd {
      margin: 0;
      font: var(--mat-sys-title-medium);
    }
    .counts .total {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .counts .total dt {
      color: inherit;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssetCounts {
  readonly counts = input.required<AssetCountsDto>();
  readonly total = input.required<number>();
}
