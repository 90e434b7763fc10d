import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatTabsModule } from '@angular/material/tabs';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map, merge, Subject, switchMap, tap } from 'rxjs';

import { abortable } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { ProblemMessage } from '../../ui/problem-message';
import { PackageWorkspace } from './package-workspace';

/** The workspace's tabs, in order: the path below `/packages/:id` and the tab's label. */
const TABS = [
  { path: '', label: 'Overview' },
  { path: 'schemas', label: 'Schemas' },
  { path: 'adapters', label: 'Adapters' },
  { path: 'mappings', label: 'Mappings' },
  { path: 'flows', label: 'Flows' },
  { path: 'dependencies', label: 'Dependencies' },
  { path: 'members', label: 'Members' },
  { path: 'audit', label: 'Audit' },
] as const;

/**
 * A package's workspace: breadcrumbs, the package's name and facts, then its tabs as links
 * (Material's tab navigation), each a route of its own so a tab can be linked to and reloaded.
 * The package loads once here; the tabs read it from `PackageWorkspace`.
 */
@Component({
  selector: 'ix-package-workspace-page',
  imports: [
    DatePipe,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    MatButtonModule,
    MatTabsModule,
    Breadcrumbs,
    ProblemMessage,
  ],
  providers: [PackageWorkspace],
  templateUrl: './package-workspace-page.html',
  styleUrl: './package-workspace-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackageWorkspacePage {
  private readonly api = inject(PackagesApi);
  private readonly router = inject(Router);
  readonly workspace = inject(PackageWorkspace);

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  readonly tabs = TABS;
  /** The tab the address names ('' for the overview). */
  private readonly tabPath = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => tabOf(this.router.url)),
    ),
    { initialValue: tabOf(this.router.url) },
  );
  /** Packages › Order to Cash › Schemas: the package links to its overview from a tab. */
  readonly crumbs = computed<Crumb[]>(() => {
    const name = this.workspace.pkg()?.name ?? 'Package';
    const tab = TABS.find((candidate) => candidate.path === this.tabPath());
    const trail: Crumb[] = [{ label: 'Packages', link: '/packages' }];
    if (!tab?.path) return [...trail, { label: name }];
    return [
      ...trail,
      { label: name, link: ['/packages', this.workspace.id()] },
      { label: tab.label },
    ];
  });

  private readonly retries = new Subject<void>();

  constructor() {
    const { phase, failure, pkg } = this.workspace;
    merge(toObservable(this.id), this.retries.pipe(map(() => this.id())))
      .pipe(
        tap(() => {
          phase.set('loading');
          failure.set(null);
          pkg.set(null);
        }),
        switchMap((id) => abortable((signal) => this.api.get(id, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (!result.ok) {
          // A malformed id (400) names no package either: both are "not found" to a reader.
          const missing = result.failure.status === 404 || result.failure.status === 400;
          failure.set(result.failure);
          phase.set(missing ? 'not-found' : 'failed');
          return;
        }
        pkg.set(result.data);
        phase.set('loaded');
      });
  }

  retry(): void {
    this.retries.next();
  }
}

/** `/packages/<id>/members?x` → `members`; `/packages/<id>` → ''. */
function tabOf(url: string): string {
  return url.split(/[?#]/)[0]?.split('/')[3] ?? '';
}
