import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { type ApiFailure } from '../api/api-result';
import { ProblemMessage } from './problem-message';
import { type LoadPhase } from './route-load';

/**
 * What a detail page shows until its thing has loaded: "Loading …", "… not found" (with the id
 * and a link back), or the problem with "Try again". Shows nothing once `phase` is `loaded`.
 */
@Component({
  selector: 'ix-load-state',
  imports: [RouterLink, MatButtonModule, ProblemMessage],
  template: `
    @switch (phase()) {
      @case ('loading') {
        <div class="ix-state" aria-busy="true" role="status">
          <p>Loading {{ noun() }}…</p>
        </div>
      }
      @case ('not-found') {
        <div class="ix-state not-found">
          <h1>{{ title() }} not found</h1>
          <p>
            There is no {{ noun() }} with the id <code>{{ id() }}</code> in this package. It may
            have been deleted, or the link is wrong.
          </p>
          <p>
            <a [routerLink]="back()">{{ backLabel() }}</a>
          </p>
        </div>
      }
      @case ('failed') {
        @if (failure(); as failure) {
          <ix-problem-message [failure]="failure">
            The {{ noun() }} could not be loaded.
            <button actions matButton="outlined" type="button" (click)="retry.emit()">
              Try again
            </button>
          </ix-problem-message>
        }
      }
    }
  `,
  styles: `
    .not-found h1 {
      color: var(--ix-text);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadState {
  readonly phase = input.required<LoadPhase>();
  /** What is loaded, in lower case: "schema", "adapter". */
  readonly noun = input.required<string>();
  /** The id the route named. */
  readonly id = input.required<string>();
  readonly failure = input<ApiFailure | null>(null);
  /** Where "not found" leads back to, and what the link says. */
  readonly back = input.required<string | readonly string[]>();
  readonly backLabel = input.required<string>();
  readonly retry = output();

  readonly title = computed(() => this.noun().charAt(0).toUpperCase() + this.noun().slice(1));
}
