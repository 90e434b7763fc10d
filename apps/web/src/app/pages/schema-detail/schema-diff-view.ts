import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { switchMap, tap } from 'rxjs';

import { type SchemaDiffDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { SchemasApi } from '../../api/schemas-api.service';
import { AssetTypeLabel } from '../../ui/asset-type-label';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * What changed between two versions: the verdict (breaking or not) first, then each change
 * (breaking ones marked), the assets the change affects through the dependency graph (nearest
 * first), and the text diff.
 */
@Component({
  selector: 'ix-schema-diff-view',
  imports: [AssetTypeLabel, ProblemMessage],
  template: `
    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure"
        >The versions could not be compared.</ix-problem-message
      >
    } @else if (diff(); as diff) {
      <p class="verdict" [class.breaking]="diff.compatibility === 'breaking'" role="status">
        @if (diff.compatibility === 'breaking') {
          Breaking
        } @else {
          Non-breaking
        }
      </p>
      @if (diff.reasons.length > 0) {
        <ul class="reasons" aria-label="Reasons">
          @for (reason of diff.reasons; track $index) {
            <li>{{ reason }}</li>
          }
        </ul>
      }

      <h3>Changes</h3>
      @if (diff.changes.length === 0) {
        <p class="ix-muted">The structure did not change.</p>
      } @else {
        <ul class="changes" aria-label="Changes">
          @for (change of diff.changes; track $index) {
            <li>
              @if (change.breaking) {
                <span class="mark">breaking</span>&ngsp;
              }
              {{ change.message }}
            </li>
          }
        </ul>
      }

      <h3>Affected assets</h3>
      @if (diff.dependents.length === 0) {
        <p class="ix-muted">No other asset depends on this schema.</p>
      } @else {
        <table class="dependents">
          <caption class="ix-visually-hidden">
            Affected assets, nearest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Type</th>
              <th scope="col">Depth</th>
            </tr>
          </thead>
          <tbody>
            @for (dependent of diff.dependents; track dependent.id) {
              <tr>
                <th scope="row">{{ dependent.name }}</th>
                <td><ix-asset-type-label [type]="dependent.type" /></td>
                <td>
                  @if (dependent.depth === 1) {
                    1 (direct)
                  } @else {
                    {{ dependent.depth }}
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      }

      <h3>Text diff</h3>
      <pre class="text-diff" aria-label="Text diff">{{ diff.textDiff }}</pre>
    } @else {
      <div class="ix-state" aria-busy="true" role="status"><p>Comparing…</p></div>
    }
  `,
  styles: `
    .verdict {
      margin: 0 0 0.5rem;
      font-size: 1.125rem;
      font-weight: 600;
      color: var(--ix-success);
    }
    .verdict.breaking {
      color: var(--ix-danger);
    }
    h3 {
      margin-top: 1rem;
      font-size: 1rem;
    }
    ul {
      margin: 0;
      padding-left: 1.5rem;
    }
    .dependents {
      width: auto;
    }
    .dependents th,
    .dependents td {
      padding: 0.25rem 1.5rem 0.25rem 0;
    }
    .mark {
      margin-right: 0.25rem;
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--ix-danger-surface);
      color: var(--ix-danger);
      font-size: 0.8125rem;
      font-weight: 600;
    }
    .text-diff {
      max-height: 24rem;
      margin: 0;
      padding: 0.75rem;
      overflow: auto;
      border: 1px solid var(--ix-border);
      border-radius: var(--ix-radius);
      background: var(--ix-background);
      font-size: 0.8125rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaDiffView {
  private readonly api = inject(SchemasApi);

  readonly packageId = input.required<string>();
  readonly schemaId = input.required<string>();
  readonly from = input.required<number>();
  readonly to = input.required<number>();

  readonly diff = signal<SchemaDiffDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);

  constructor() {
    const query = computed(() => ({
      packageId: this.packageId(),
      schemaId: this.schemaId(),
      from: this.from(),
      to: this.to(),
    }));
    toObservable(query)
      .pipe(
        tap(() => {
          this.diff.set(null);
          this.failure.set(null);
        }),
        switchMap(({ packageId, schemaId, from, to }) =>
          abortable((signal) => this.api.diff(packageId, schemaId, from, to, signal)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((outcome) => {
        if (outcome.ok) this.diff.set(outcome.data);
        else this.failure.set(outcome.failure);
      });
  }
}
