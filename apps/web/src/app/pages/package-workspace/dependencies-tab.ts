import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import { type PackageGraphDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { DependenciesApi } from '../../api/dependencies-api.service';
import { GraphPicture } from '../../ui/graph-picture/graph-picture';
import { ImpactView } from '../../ui/impact-view';
import { ProblemMessage } from '../../ui/problem-message';
import { dependencyPicture } from './dependency-graph-view';
import { PackageWorkspace } from './package-workspace';

/**
 * The package's dependency graph (`GET …/dependency-graph`) as a read-only picture: its assets
 * and those of other packages they touch (marked), each opening its page; selecting an asset
 * highlights what depends on it and lists its impact below.
 */
@Component({
  selector: 'ix-dependencies-tab',
  imports: [MatButtonModule, GraphPicture, ImpactView, ProblemMessage],
  template: `
    <section class="ix-card" aria-labelledby="dependencies-heading">
      <h2 id="dependencies-heading">Dependencies</h2>
      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure">
          The dependency graph could not be loaded.
          <button actions matButton="outlined" type="button" (click)="retry()">Try again</button>
        </ix-problem-message>
      } @else if (graph(); as graph) {
        @if (graph.nodes.length === 0) {
          <div class="ix-state"><p>This package holds no assets yet.</p></div>
        } @else {
          <p class="hint">
            An arrow points from an asset to what it depends on. Choose “Impact” on an asset to
            highlight everything a change to it affects.
          </p>
          <ix-graph-picture
            label="The package's dependency graph"
            [nodes]="nodes()"
            [edges]="edges()"
            [selectable]="true"
            [selected]="selected()"
            [highlighted]="highlighted()"
            (nodeSelected)="selected.set($event)"
          />
          @if (graph.hiddenNodes > 0) {
            <p class="hint">
              {{ graph.hiddenNodes }} linked asset(s) in packages you cannot read are left out.
            </p>
          }
        }
      } @else {
        <div class="ix-state" aria-busy="true" role="status"><p>Loading the graph…</p></div>
      }
    </section>
    @if (selectedNode(); as node) {
      <section class="ix-card" aria-labelledby="impact-heading">
        <h2 id="impact-heading">Impact of {{ node.title }}</h2>
        <ix-impact-view
          [packageId]="selectedPackage()"
          [assetId]="node.id"
          (loaded)="highlighted.set($event)"
        />
      </section>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 1rem;
    }
    .hint {
      color: var(--ix-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DependenciesTab {
  private readonly api = inject(DependenciesApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly graph = signal<PackageGraphDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);
  readonly selected = signal<string | null>(null);
  /** The ids the selected asset's impact lists. */
  readonly highlighted = signal<readonly string[]>([]);

  private readonly picture = computed(() => {
    const graph = this.graph();
    return graph ? dependencyPicture(graph) : { nodes: [], edges: [] };
  });
  readonly nodes = computed(() => this.picture().nodes);
  readonly edges = computed(() => this.picture().edges);
  readonly selectedNode = computed(
    () => this.nodes().find((node) => node.id === this.selected()) ?? null,
  );
  /** An asset of another package is asked about in its own package. */
  readonly selectedPackage = computed(
    () =>
      this.graph()?.nodes.find((node) => node.id === this.selected())?.packageId ??
      this.workspace.id(),
  );

  private readonly retries = new Subject<void>();

  constructor() {
    const id = this.workspace.id;
    merge(toObservable(id), this.retries.pipe(map(() => id())))
      .pipe(
        tap(() => {
          this.graph.set(null);
          this.failure.set(null);
          this.selected.set(null);
        }),
        switchMap((packageId) => abortable((signal) => this.api.graph(packageId, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (result.ok) this.graph.set(result.data);
        else this.failure.set(result.failure);
      });
    toObservable(this.selected)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.highlighted.set([]));
  }

  retry(): void {
    this.retries.next();
  }
}
