import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type ApiFailure } from '../api/api-result';

/**
 * The error state of a page or list: the projected headline, then the API's problem `detail`
 * (or why there is none), then any projected actions (`[actions]`, e.g. a retry button).
 */
@Component({
  selector: 'ix-problem-message',
  template: `
    <div class="problem" role="alert">
      <p class="headline"><ng-content /></p>
      @if (failure().problem; as problem) {
        <p class="detail">{{ problem.detail }}</p>
      } @else if (failure().status === 0) {
        <p class="detail">The API could not be reached. Check that Integrixs is running.</p>
      } @else {
        <p class="detail">The API answered with status {{ failure().status }}.</p>
      }
      <ng-content select="[actions]" />
    </div>
  `,
  styles: `
    .problem {
      padding: 1rem 1.25rem;
      border-radius: var(--ix-radius);
      background: var(--ix-danger-surface);
      color: var(--ix-on-danger-surface);
    }
    p {
      margin: 0 0 0.5rem;
    }
    .headline {
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProblemMessage {
  readonly failure = input.required<ApiFailure>();
}
