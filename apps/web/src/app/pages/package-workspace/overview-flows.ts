import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { type ActiveFlowDto, type AssetDto, type FlowHealthDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { FlowHealthApi } from '../../api/flow-health-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { loadedValue } from '../../ui/paged-list';
import { ProblemMessage } from '../../ui/problem-message';
import { PackageWorkspace } from './package-workspace';

/** Active deployments whose health the overview asks for (one request each). */
const HEALTH_LIMIT = 20;

interface FlowsOverview {
  readonly flows: AssetDto[];
  readonly active: ActiveFlowDto[];
  /** Health by `flowId/environment`, of the active deployments (the first HEALTH_LIMIT). */
  readonly health: ReadonlyMap<string, FlowHealthDto>;
}

/**
 * The overview's flows card: per flow, its readiness (the flow's status: marked ready or not —
 * the full readiness gate runs on the flow's page, not here) and per environment its active
 * deployment (deployed or suspended, which version) with the last hour's messages and failures.
 * Three kinds of request in all: the flows, the package's active deployments
 * (`container/flows/active`), and the health of each active deployment.
 */
@Component({
  selector: 'ix-overview-flows',
  imports: [RouterLink, MatButtonModule, AssetStatusBadge, ProblemMessage],
  template: `
    <section class="ix-card" aria-labelledby="overview-flows-heading">
      <h2 id="overview-flows-heading">Flows by environment</h2>
      @if (data.failure(); as failure) {
        <ix-problem-message [failure]="failure">
          The flows could not be loaded.
          <button actions matButton="outlined" type="button" (click)="data.retry()">
            Try again
          </button>
        </ix-problem-message>
      } @else if (data.loading() && !data.value()) {
        <div class="ix-state" aria-busy="true"><p>Loading flows…</p></div>
      } @else if (data.value(); as overview) {
        @if (overview.flows.length === 0) {
          <div class="ix-state"><p>This package holds no flows yet.</p></div>
        } @else {
          <div class="table-scroll">
            <table class="flows">
              <caption>
                Readiness and active deployment of each flow; health over the last hour
              </caption>
              <thead>
                <tr>
                  <th scope="col">Flow</th>
                  <th scope="col">Readiness</th>
                  @for (environment of environments(); track environment) {
                    <th scope="col">{{ environment }}</th>
                  }
                </tr>
              </thead>
              <tbody>
                @for (flow of overview.flows; track flow.id) {
                  <tr>
                    <th scope="row">
                      <a [routerLink]="['/packages', packageId(), 'flows', flow.id]">{{
                        flow.name
                      }}</a>
                    </th>
                    <td><ix-asset-status-badge [status]="flow.status" /></td>
                    @for (environment of environments(); track environment) {
                      <td>
                        @if (activeOf(flow.id, environment); as active) {
                          <span class="state" [attr.data-state]="active.state">
                            {{ active.state === 'DEPLOYED' ? 'Deployed' : 'Suspended' }}
                            v{{ active.flowVersion }}
                          </span>
                          @if (hourOf(flow.id, environment); as hour) {
                            <span class="health" [class.failing]="hour.failed > 0">
                              {{ hour.messages }} messages, {{ hour.failed }} failed
                            </span>
                          }
                        } @else {
                          <span class="ix-muted">Not deployed</span>
                        }
                      </td>
                    }
                  </tr>
                }
              </tbody>
            </table>
          </div>
          @if (environments().length === 0) {
            <p class="ix-muted">No flow of this package is deployed yet.</p>
          }
        }
      }
    </section>
  `,
  styles: `
    .flows {
      width: 100%;
      border-collapse: collapse;
    }
    .flows th,
    .flows td {
      padding: 0.5rem 0.75rem 0.5rem 0;
      text-align: left;
      vertical-align: top;
    }
    caption {
      padding-bottom: 0.5rem;
      color: var(--ix-muted);
      text-align: left;
    }
    .state,
    .health {
      display: block;
    }
    .health {
      font-size: 0.875rem;
      color: var(--ix-muted);
    }
    .health.failing {
      color: var(--ix-danger, #b3261e);
    }
    .table-scroll {
      overflow-x: auto;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewFlows {
  private readonly flowsApi = inject(FlowsApi);
  private readonly healthApi = inject(FlowHealthApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly packageId = this.workspace.id;
  readonly data = loadedValue<string, FlowsOverview | null>(
    this.packageId,
    (packageId, signal) => this.load(packageId, signal),
    null,
  );
  /** The environments any flow is deployed in, by name. */
  readonly environments = computed(() =>
    [...new Set((this.data.value()?.active ?? []).map((a) => a.environment))].sort(),
  );
  private readonly activeByKey = computed(
    () =>
      new Map((this.data.value()?.active ?? []).map((a) => [`${a.flowId}/${a.environment}`, a])),
  );

  activeOf(flowId: string, environment: string): ActiveFlowDto | null {
    return this.activeByKey().get(`${flowId}/${environment}`) ?? null;
  }

  hourOf(flowId: string, environment: string): FlowHealthDto['windows'][number] | null {
    const health = this.data.value()?.health.get(`${flowId}/${environment}`);
    return health?.windows.find((w) => w.window === '1h') ?? null;
  }

  private async load(packageId: string, signal: AbortSignal): Promise<ApiResult<FlowsOverview>> {
    const [flows, active] = await Promise.all([
      this.flowsApi.list(packageId, signal),
      this.flowsApi.active(packageId, signal),
    ]);
    if (!flows.ok) return flows;
    if (!active.ok) return active;
    const healths = await Promise.all(
      active.data.items
        .slice(0, HEALTH_LIMIT)
        .map((a) => this.healthApi.health(packageId, a.flowId, a.environment, signal)),
    );
    const health = new Map<string, FlowHealthDto>();
    // Health is a bonus: a failed health request leaves its cell without the line.
    for (const result of healths) {
      if (result.ok) health.set(`${result.data.flowId}/${result.data.environment}`, result.data);
    }
    return { ok: true, data: { flows: flows.data.items, active: active.data.items, health } };
  }
}
