import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { debounceTime, startWith, Subject, switchMap } from 'rxjs';

import { type PackageDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';

/** Packages the switcher offers at a time. */
const SWITCHER_LIMIT = 20;

/**
 * The quick package switcher (Ctrl+K or "/" in the workspace): a search box over the packages the
 * user can read; ↑/↓ choose, Enter opens, Escape closes. Closes with the chosen package's id.
 * Enter typed before the list for the typed text arrived opens that list's first package (never
 * the first of an older list still on screen).
 */
@Component({
  selector: 'ix-package-switcher',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>Switch package</h2>
    <mat-dialog-content>
      <mat-form-field class="search" subscriptSizing="dynamic">
        <mat-label>Find a package</mat-label>
        <input
          matInput
          type="search"
          autocomplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-controls="ix-switcher-list"
          [attr.aria-expanded]="packages().length > 0"
          [attr.aria-activedescendant]="activeId()"
          cdkFocusInitial
          (input)="onInput($event)"
          (keydown)="onKey($event)"
        />
      </mat-form-field>
      <p class="hint" id="ix-switcher-hint">↑ ↓ to choose, Enter to open, Escape to close.</p>
      @if (failure()) {
        <p role="alert">The packages could not be loaded.</p>
      }
      <ul
        id="ix-switcher-list"
        role="listbox"
        aria-label="Packages"
        aria-describedby="ix-switcher-hint"
      >
        @for (pkg of packages(); track pkg.id; let i = $index) {
          <li
            role="option"
            [id]="'ix-switcher-' + i"
            [attr.aria-selected]="i === active()"
            [class.active]="i === active()"
            tabindex="-1"
            (click)="open(pkg)"
            (keydown.enter)="open(pkg)"
            (mousemove)="active.set(i)"
          >
            <span class="name">{{ pkg.name }}</span>
            <span class="count">{{ pkg.totalAssets }} assets</span>
          </li>
        } @empty {
          @if (!loading()) {
            <li class="none" role="presentation">No package matches.</li>
          }
        }
      </ul>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .search {
      width: 100%;
    }
    .hint {
      margin: 0.25rem 0 0.5rem;
      color: var(--ix-muted);
      font-size: 0.875rem;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
      max-height: 20rem;
      overflow: auto;
    }
    li[role='option'] {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
      padding: 0.5rem 0.75rem;
      border-radius: 0.5rem;
      cursor: pointer;
    }
    li.active {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .count {
      font-variant-numeric: tabular-nums;
    }
    .none {
      padding: 0.5rem 0.75rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackageSwitcher {
  private readonly api = inject(PackagesApi);
  private readonly ref = inject<MatDialogRef<PackageSwitcher, string>>(MatDialogRef);

  readonly packages = signal<PackageDto[]>([]);
  readonly active = signal(0);
  readonly loading = signal(true);
  readonly failure = signal<ApiFailure | null>(null);
  readonly activeId = computed(() =>
    this.packages().length > 0 ? `ix-switcher-${this.active()}` : null,
  );

  private readonly queries = new Subject<string>();
  /** Enter was pressed while the list for the typed text was still loading: open its first. */
  private openWhenLoaded = false;

  constructor() {
    this.queries
      .pipe(
        debounceTime(150),
        startWith(''),
        switchMap((q) => {
          this.loading.set(true);
          return abortable((signal) =>
            this.api.list({ q: q.trim() || undefined, limit: SWITCHER_LIMIT }, signal),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        this.loading.set(false);
        this.failure.set(result.ok ? null : result.failure);
        this.packages.set(result.ok ? result.data.items : []);
        this.active.set(0);
        const first = this.packages()[0];
        if (this.openWhenLoaded && first) this.open(first);
        this.openWhenLoaded = false;
      });
  }

  onInput(event: Event): void {
    this.loading.set(true); // from the keystroke on: Enter waits for this text's list
    this.queries.next((event.target as HTMLInputElement).value);
  }

  onKey(event: KeyboardEvent): void {
    const count = this.packages().length;
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      this.active.update((i) => (i + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      this.active.update((i) => (i - 1 + count) % count);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const pkg = this.packages()[this.active()];
      if (this.loading()) this.openWhenLoaded = true;
      else if (pkg) this.open(pkg);
    }
  }

  open(pkg: PackageDto): void {
    this.ref.close(pkg.id);
  }
}
