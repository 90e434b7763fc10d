import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/** One step of the trail: a link to a page above this one, or (without `link`) this page. */
export interface Crumb {
  readonly label: string;
  readonly link?: readonly unknown[] | string;
}

/**
 * Where the page sits: `Packages › Order to Cash › Schemas`. Every step but the last links to its
 * page; the last is the current page (`aria-current`).
 */
@Component({
  selector: 'ix-breadcrumbs',
  imports: [RouterLink],
  template: `
    <nav aria-label="Breadcrumb">
      <ol>
        @for (crumb of crumbs(); track $index; let last = $last) {
          <li>
            @if (crumb.link && !last) {
              <a [routerLink]="crumb.link">{{ crumb.label }}</a>
            } @else {
              <span [attr.aria-current]="last ? 'page' : null">{{ crumb.label }}</span>
            }
          </li>
        }
      </ol>
    </nav>
  `,
  styles: `
    ol {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      margin: 0 0 0.75rem;
      padding: 0;
      list-style: none;
      font: var(--mat-sys-body-medium);
    }
    li + li::before {
      margin-right: 0.25rem;
      color: var(--ix-muted);
      content: '›';
    }
    [aria-current] {
      color: var(--ix-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Breadcrumbs {
  readonly crumbs = input.required<readonly Crumb[]>();
}
