import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type AssetDto } from '@integrixs/api-client';

/** The display name of an asset type, singular or plural. */
@Component({
  selector: 'ix-asset-type-label',
  template: `
    @switch (type()) {
      @case ('SCHEMA') {
        {{ plural() ? 'Schemas' : 'Schema' }}
      }
      @case ('ADAPTER') {
        {{ plural() ? 'Adapters' : 'Adapter' }}
      }
      @case ('MAPPING') {
        {{ plural() ? 'Mappings' : 'Mapping' }}
      }
      @case ('FLOW') {
        {{ plural() ? 'Flows' : 'Flow' }}
      }
      @default {
        {{ type() }}
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssetTypeLabel {
  readonly type = input.required<AssetDto['type']>();
  readonly plural = input(false);
}
