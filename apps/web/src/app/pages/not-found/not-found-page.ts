import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

/** Any console address no page answers. */
@Component({
  selector: 'ix-not-found-page',
  imports: [RouterLink],
  template: `
    <div class="ix-state">
      <h1 class="title">Page not found</h1>
      <p>The console has no page at this address.</p>
      <p><a routerLink="/packages">Go to the packages</a></p>
    </div>
  `,
  styles: `
    .title {
      color: var(--ix-text);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
