import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A tab whose content a later issue brings (adapters, mappings, flows, dependencies): it says
 * what is coming instead of showing an empty list. The words come from the route's `data`.
 */
@Component({
  selector: 'ix-coming-tab',
  template: `
    <section class="ix-card" aria-labelledby="coming-heading">
      <h2 id="coming-heading">{{ heading() }}</h2>
      <div class="ix-state">
        <p>{{ coming() }}</p>
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ComingTab {
  /** Route data: the tab's heading. */
  readonly heading = input.required<string>();
  /** Route data: what will fill the tab, and with what. */
  readonly coming = input.required<string>();
}
