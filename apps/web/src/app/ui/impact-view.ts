import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { combineLatest, map, merge, Subject, switchMap, tap } from 'rxjs';

import { type AssetImpactDto, type GraphNodeDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../api/api-result';
import { assetLink, DependenciesApi } from '../api/dependencies-api.service';
import { AssetTypeLabel } from './asset-type-label';
import { ProblemMessage } from './problem-message';

/**
 * Who a change to an asset affects (`GET …/assets/{assetId}/impact`): every asset that depends
 * on it, nearest first, with its depth and the path to it (assets you cannot see named as such),
 * those in other packages marked, the hidden ones counted. For a schema with `proposedVersion`
 * also the verdict: breaking or not, and why, and the affected mappings' samples re-run against
 * it (which would fail, and why). Parts the server does not analyse are said so.
 */
@Component({
  selector: 'ix-impact-view',
  imports: [RouterLink, MatButtonModule, AssetTypeLabel, ProblemMessage],
  template: `
    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure">
        The impact could not be loaded.
        <button actions matButton="outlined" type="button" (click)="retry()">Try again</button>
      </ix-problem-message>
    } @else if (impact(); as impact) {
      @if (impact.verdict; as verdict) {
        <div class="verdict" [class.breaking]="verdict.compatibility === 'breaking'" role="status">
          <p>
            Version {{ verdict.from }} → {{ verdict.to }}:
            <strong>{{
              verdict.compatibility === 'breaking' ? 'breaking' : 'not breaking'
            }}</strong>
          </p>
          @if (verdict.reasons.length > 0) {
            <ul aria-label="Why">
              @for (reason of verdict.reasons; track $index) {
                <li>{{ reason }}</li>
              }
            </ul>
          }
        </div>
      }
      @if (impact.affected.length === 0 && impact.hidden === 0) {
        <p class="none">Nothing depends on this {{ noun() }}: a change affects no other asset.</p>
      } @else {
        <p class="summary">
          {{ impact.affected.length + impact.hidden }} asset(s) affected:
          {{ impact.byType.MAPPING }} mapping(s), {{ impact.byType.ADAPTER }} adapter(s),
          {{ impact.byType.FLOW }} flow(s), {{ impact.byType.SCHEMA }} schema(s).
        </p>
        @if (impact.affected.length > 0) {
          <table class="affected" aria-label="Affected assets">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Type</th>
                <th scope="col">Depth</th>
                <th scope="col">Path</th>
              </tr>
            </thead>
            <tbody>
              @for (item of impact.affected; track item.id) {
                <tr>
                  <th scope="row">
                    <a [routerLink]="link(item)">{{ item.name }}</a>
                    @if (item.crossPackage) {
                      {{ ' ' }}<span class="cross">other package</span>
                    }
                  </th>
                  <td><ix-asset-type-label [type]="item.type" /></td>
                  <td>{{ item.depth === 1 ? 'direct' : item.depth }}</td>
                  <td>{{ pathOf(item) }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
        @if (impact.hidden > 0) {
          <p class="hidden-count">
            {{ impact.hidden }} more in packages you cannot read (counted, not named).
          </p>
        }
      }
      @if (impact.sampleTests; as checks) {
        @if (checks.length > 0) {
          <h3 class="samples-heading">
            Mapping samples against version {{ impact.proposedVersion }}
          </h3>
          <ul class="samples" aria-label="Mapping samples re-run">
            @for (check of checks; track check.mappingId) {
              <li>
                <a [routerLink]="['/packages', check.packageId, 'mappings', check.mappingId]">{{
                  check.name
                }}</a>
                ({{ check.side }}):
                @if (check.error) {
                  <span class="failing">cannot run: {{ check.error }}</span>
                } @else if (check.failed === 0) {
                  all {{ check.total }} sample(s) pass
                } @else {
                  <span class="failing"
                    >{{ check.failed }} of {{ check.total }} sample(s) would fail</span
                  >
                  <ul>
                    @for (failure of check.failures; track failure.sampleId) {
                      <li>
                        {{ failure.sampleName }}: {{ failure.reason }}
                        @if (failure.failsToday) {
                          (fails today too)
                        }
                      </li>
                    }
                  </ul>
                }
              </li>
            }
          </ul>
        }
      }
      @if (impact.deployments; as running) {
        @if (running.length > 0) {
          <h3 class="mat-title-small">Running deployments</h3>
          <ul class="deployments" aria-label="Running deployments">
            @for (deployment of running; track deployment.deploymentId) {
              <li>
                <a [routerLink]="['/packages', deployment.packageId, 'flows', deployment.flowId]">{{
                  deployment.flowName
                }}</a>
                v{{ deployment.flowVersion }} in {{ deployment.environment }} ({{
                  deployment.state === 'SUSPENDED' ? 'suspended' : 'deployed'
                }})
                @if (deployment.pinnedVersion !== null) {
                  — pins version {{ deployment.pinnedVersion }}
                }
              </li>
            }
          </ul>
        }
      }
      @if (impact.notAnalysed.includes('SAMPLE_TESTS')) {
        <p class="note">
          Which mapping samples would fail is not analysed by this server yet; run the affected
          mappings' samples to find out.
        </p>
      }
    } @else {
      <div class="ix-state" aria-busy="true" role="status"><p>Loading the impact…</p></div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .verdict {
      padding: 0.5rem 1rem;
      border-radius: var(--ix-radius);
      background: var(--ix-notice-surface);
      color: var(--ix-on-notice-surface);
    }
    .verdict.breaking {
      background: var(--ix-danger-surface);
      color: var(--ix-on-danger-surface);
    }
    .affected {
      width: 100%;
      border-collapse: collapse;
    }
    .affected th,
    .affected td {
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid var(--ix-border);
      text-align: left;
      font-weight: normal;
    }
    .affected thead th {
      font-weight: 600;
    }
    .cross {
      margin-left: 0.5rem;
      padding: 0 0.375rem;
      border-radius: 0.25rem;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
      font: var(--mat-sys-label-small);
    }
    .failing {
      color: var(--ix-danger);
    }
    .note,
    .hidden-count,
    .none {
      color: var(--ix-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImpactView {
  private readonly api = inject(DependenciesApi);

  readonly packageId = input.required<string>();
  readonly assetId = input.required<string>();
  /** A schema's version to judge (the verdict); null: only who is affected. */
  readonly proposedVersion = input<number | null>(null);
  /** The ids of the affected assets, once loaded (a picture may highlight them). */
  readonly loaded = output<string[]>();

  readonly impact = signal<AssetImpactDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);
  readonly noun = computed(() => this.impact()?.type.toLowerCase() ?? 'asset');

  private readonly retries = new Subject<void>();

  constructor() {
    const query = combineLatest([
      toObservable(this.packageId),
      toObservable(this.assetId),
      toObservable(this.proposedVersion),
    ]);
    merge(
      query,
      this.retries.pipe(
        map(() => [this.packageId(), this.assetId(), this.proposedVersion()] as const),
      ),
    )
      .pipe(
        tap(() => {
          this.impact.set(null);
          this.failure.set(null);
        }),
        switchMap(([packageId, assetId, version]) =>
          abortable((signal) => this.api.impact(packageId, assetId, version, signal)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (result.ok) {
          this.impact.set(result.data);
          this.loaded.emit(result.data.affected.map((item) => item.id));
        } else this.failure.set(result.failure);
      });
  }

  retry(): void {
    this.retries.next();
  }

  link(item: GraphNodeDto): string[] {
    return assetLink(item);
  }

  /** The path from the asset to `item` by name; assets you cannot see as such. */
  pathOf(item: GraphNodeDto): string {
    const impact = this.impact();
    const names = new Map((impact?.affected ?? []).map((a) => [a.id, a.name]));
    if (impact) names.set(impact.assetId, impact.name);
    return item.path
      .map((id) => (id === null ? 'an asset you cannot see' : (names.get(id) ?? 'a deleted asset')))
      .join(' → ');
  }
}
