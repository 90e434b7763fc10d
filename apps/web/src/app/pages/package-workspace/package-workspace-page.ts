import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTabsModule } from '@angular/material/tabs';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map, merge, Subject, switchMap, tap } from 'rxjs';

import { type PackageDto } from '@integrixs/api-client';

import { abortable } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { TabStateStore } from '../../state/tab-state';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Notifier } from '../../ui/notifier';
import { optimistic } from '../../ui/optimistic';
import { ProblemMessage } from '../../ui/problem-message';
import { PackageFormDialog, type PackageFormData } from '../packages/package-form-dialog';
import { keepPackageLive, tabCountOf } from './package-live';
import { PackageSwitcher } from './package-switcher';
import { PackageWorkspace } from './package-workspace';

/** The workspace's tabs, in order: the path below `/packages/:id` and the tab's label. */
const TABS = [
  { path: '', label: 'Overview' },
  { path: 'schemas', label: 'Schemas' },
  { path: 'adapters', label: 'Adapters' },
  { path: 'mappings', label: 'Mappings' },
  { path: 'flows', label: 'Flows' },
  { path: 'dependencies', label: 'Dependencies' },
  { path: 'runtime', label: 'Runtime' },
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
  host: { '(document:keydown)': 'onKeydown($event)' },
  templateUrl: './package-workspace-page.html',
  styleUrl: './package-workspace-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackageWorkspacePage {
  private readonly api = inject(PackagesApi);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);
  readonly workspace = inject(PackageWorkspace);
  readonly tabState = inject(TabStateStore);

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
  private switcherOpen = false;

  constructor() {
    // Another user's changes (live events) refresh the package and the tab counts.
    keepPackageLive();
    // The tab open in each package, so the quick switcher reopens it.
    effect(() => {
      const [id, tab] = [this.workspace.id(), this.tabPath()];
      untracked(() => this.tabState.visit(id, tab));
    });
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

  /** The live count in a tab's header (schemas, adapters, mappings, flows), else null. */
  tabCount(tabPath: string): number | null {
    return tabCountOf(this.workspace.pkg(), tabPath);
  }

  /** Edits the package's name, description, tags and owner in a dialog. */
  edit(): void {
    const pkg = this.workspace.pkg();
    if (!pkg) return;
    const ref = this.dialog.open<PackageFormDialog, PackageFormData, PackageDto>(
      PackageFormDialog,
      {
        data: {
          pkg,
          // The header shows the new values at once; a refused save puts the old ones back.
          save: (id, version, fields) =>
            optimistic(
              this.workspace.pkg,
              (current) => (current ? { ...current, ...fields } : current),
              () => this.api.update(id, version, fields),
            ),
        },
        width: '32rem',
        maxWidth: '95vw',
      },
    );
    ref.afterClosed().subscribe((saved) => {
      if (!saved) return;
      this.workspace.pkg.update((current) => (current ? { ...current, ...saved } : current));
      this.notifier.done(`Saved ${saved.name}.`);
    });
  }

  /** Deletes the package (restorable from the library's deleted packages) after asking. */
  async remove(): Promise<void> {
    const pkg = this.workspace.pkg();
    if (!pkg) return;
    const sure = await this.confirm.ask({
      title: `Delete ${pkg.name}?`,
      message:
        'The package and all its assets are deleted. You can restore them from the library (Show deleted packages).',
      confirm: 'Delete',
      destructive: true,
    });
    if (!sure) return;
    const result = await this.api.remove(pkg.id, pkg.version);
    if (!result.ok) {
      this.notifier.failed(`${pkg.name} could not be deleted.`, result.failure);
      return;
    }
    this.notifier.done(`Deleted ${pkg.name}.`);
    void this.router.navigate(['/packages']);
  }

  /** A tab's link carries the filters the tab had when it was left (TabStateStore). */
  tabParams(tab: string): Record<string, string> {
    return { ...this.tabState.params(this.workspace.id(), tab) };
  }

  /** Ctrl+K (⌘K) anywhere, or "/" outside a text field, opens the quick package switcher. */
  onKeydown(event: KeyboardEvent): void {
    const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !typing(event.target);
    if (!ctrlK && !slash) return;
    event.preventDefault();
    this.openSwitcher();
  }

  /**
   * Opens the quick switcher; the chosen package opens on the tab last open in it, with that
   * tab's filters (the tabs of this package keep theirs in TabStateStore).
   */
  openSwitcher(): void {
    if (this.switcherOpen) return;
    this.switcherOpen = true;
    const ref = this.dialog.open<PackageSwitcher, void, string>(PackageSwitcher, {
      width: '32rem',
      maxWidth: '95vw',
      // No opening animation: the search box has the focus at once, no typed key is lost.
      enterAnimationDuration: 0,
    });
    ref.afterClosed().subscribe((id) => {
      this.switcherOpen = false;
      if (!id) return;
      const tab = this.tabState.lastTab(id);
      void this.router.navigate(tab ? ['/packages', id, tab] : ['/packages', id], {
        queryParams: this.tabState.params(id, tab),
      });
    });
  }
}

/** Whether a key goes into a text field (then "/" is just a character). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.closest('.cm-editor') !== null
  );
}

/** `/packages/<id>/members?x` → `members`; `/packages/<id>` → ''. */
function tabOf(url: string): string {
  return url.split(/[?#]/)[0]?.split('/')[3] ?? '';
}
