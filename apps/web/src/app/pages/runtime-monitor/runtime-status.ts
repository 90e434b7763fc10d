import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { statusTone } from './runtime-filters';

/** An execution, step or dead-letter status as a chip, coloured by what it means. */
@Component({
  selector: 'ix-runtime-status',
  template: `<span class="chip" [attr.data-tone]="tone()">{{ label() }}</span>`,
  styles: `
    .chip {
      display: inline-block;
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
    }
    [data-tone='ok'] {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    [data-tone='failed'] {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    [data-tone='busy'] {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RuntimeStatus {
  readonly status = input.required<string>();
  readonly tone = computed(() => statusTone(this.status()));
  /** DEAD_LETTERED → "Dead-lettered". */
  readonly label = computed(() => {
    const text = this.status().toLowerCase().replace(/_/g, '-');
    return text.charAt(0).toUpperCase() + text.slice(1);
  });
}
