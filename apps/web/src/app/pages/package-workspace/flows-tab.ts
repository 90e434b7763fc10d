import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { type AssetDto, type DeploymentDto, type FlowDetailDto } from '@integrixs/api-client';
import { flowTransition, type FlowState } from '@integrixs/domain';

import { type ApiResult } from '../../api/api-result';
import { FlowsApi } from '../../api/flows-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { Notifier } from '../../ui/notifier';
import { loadedList } from '../../ui/paged-list';
import { confirmMove } from '../flow-detail/confirm-move';
import { PackageWorkspace } from './package-workspace';

/** Flows whose validity and moves the list loads (one request each); later rows show less. */
const DETAILED = 50;

/** A row: the flow as an asset, with its detail (validity, allowed moves) when loaded. */
interface FlowRow extends AssetDto {
  readonly detail: FlowDetailDto | null;
  readonly validity: string;
  /** Where it is deployed: "DEV: deployed v3, TEST: suspended v2", or "not deployed". */
  readonly environments: string;
}

/**
 * The package's flows: state, whether the graph is valid, and the moves the state table and the
 * caller's permissions allow (mark ready, archive), its state per environment (the active
 * deployments), each linking to the flow's page (deploy, readiness and history are there).
 */
@Component({
  selector: 'ix-flows-tab',
  imports: [RouterLink, MatButtonModule, AssetStatusBadge, DataList, DataListCell],
  template: `
    <section class="ix-card" aria-labelledby="flows-heading">
      <div class="ix-section-head">
        <h2 id="flows-heading">Flows</h2>
        @if (canWrite()) {
          <a matButton="outlined" [routerLink]="['/packages', packageId(), 'flows', 'new']">
            New flow
          </a>
        }
      </div>
      <ix-data-list
        label="The package's flows"
        [columns]="columns"
        [rows]="list.rows()"
        [loading]="list.loading()"
        [failure]="list.failure()"
        [pageSize]="25"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="list.retry()"
      >
        <ng-template ixCell="name" [ixCellOf]="list.rows()" let-flow>
          <a [routerLink]="['/packages', packageId(), 'flows', flow.id]">{{ flow.name }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="list.rows()" let-flow>
          <ix-asset-status-badge [status]="flow.status" />
        </ng-template>
        <ng-template ixCell="actions" [ixCellOf]="list.rows()" let-flow>
          <span class="row-actions">
            @for (action of actionsOf(flow); track action.to) {
              <button
                matButton
                type="button"
                [disabled]="busy() === flow.id"
                (click)="move(flow, action.to)"
              >
                {{ action.label }} <span class="ix-visually-hidden">{{ flow.name }}</span>
              </button>
            }
          </span>
        </ng-template>
        <p empty>This package holds no flows yet.</p>
        <ng-container failed>The flows could not be loaded.</ng-container>
      </ix-data-list>
    </section>
  `,
  styles: `
    .row-actions {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 0.25rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowsTab {
  private readonly api = inject(FlowsApi);
  private readonly workspace = inject(PackageWorkspace);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly packageId = this.workspace.id;
  readonly canWrite = computed(() => this.workspace.may('asset:write'));
  readonly list = loadedList(this.packageId, (packageId, signal) => this.load(packageId, signal));
  /** The flow a move is under way for. */
  readonly busy = signal<string | null>(null);

  readonly columns: ListColumn<FlowRow>[] = [
    { key: 'name', header: 'Name', value: (f) => f.name, sortable: true, rowHeader: true },
    { key: 'status', header: 'State', value: (f) => f.status, sortable: true },
    { key: 'validity', header: 'Graph', value: (f) => f.validity, sortable: true },
    { key: 'environments', header: 'Deployed', value: (f) => f.environments },
    { key: 'version', header: 'Version', value: (f) => f.currentVersion, numeric: true },
    { key: 'actions', header: 'Actions' },
  ];

  /** Mark ready and archive, as the flow's `allowedTransitions` and the caller's role allow. */
  actionsOf(flow: FlowRow): { to: FlowState; label: string }[] {
    if (!this.canWrite() || !flow.detail) return [];
    const from = flow.detail.status;
    return flow.detail.allowedTransitions.flatMap((to) => {
      const action = flowTransition(from, to)?.action;
      if (action === 'markReady') return [{ to, label: 'Mark ready' }];
      if (action === 'archive') return [{ to, label: 'Archive' }];
      return [];
    });
  }

  async move(flow: FlowRow, to: FlowState): Promise<void> {
    if (!flow.detail) return;
    if (!(await confirmMove(this.confirm, flow.name, to))) return;
    this.busy.set(flow.id);
    const result = await this.api.transition(this.packageId(), flow.id, {
      to,
      version: flow.detail.version,
    });
    this.busy.set(null);
    if (!result.ok) {
      // The problem's detail names what stops it (graph problems, failing readiness items).
      this.notifier.failed(`${flow.name} could not change state.`, result.failure);
      return;
    }
    this.list.rows.update((rows) =>
      rows.map((row) =>
        row.id === flow.id ? { ...rowOf(row, result.data), environments: row.environments } : row,
      ),
    );
    this.notifier.done(`${flow.name} is now ${result.data.status}.`);
  }

  private async load(packageId: string, signal: AbortSignal): Promise<ApiResult<FlowRow[]>> {
    const list = await this.api.list(packageId, signal);
    if (!list.ok) return list;
    const detailed = list.data.items.slice(0, DETAILED);
    const [details, deployments] = await Promise.all([
      Promise.all(detailed.map((flow) => this.api.get(packageId, flow.id, signal))),
      Promise.all(detailed.map((flow) => this.api.deployments(packageId, flow.id, signal))),
    ]);
    const byId = new Map<string, FlowDetailDto>();
    for (const detail of details) if (detail.ok) byId.set(detail.data.id, detail.data);
    const deployed = new Map<string, string>();
    detailed.forEach((flow, index) => {
      const answer = deployments[index];
      if (answer?.ok) deployed.set(flow.id, environmentsOf(answer.data.items));
    });
    return {
      ok: true,
      data: list.data.items.map((flow) => ({
        ...rowOf(flow, byId.get(flow.id) ?? null),
        environments: deployed.get(flow.id) ?? '—',
      })),
    };
  }
}

function environmentsOf(deployments: readonly DeploymentDto[]): string {
  const active = deployments.filter((deployment) => deployment.active);
  if (active.length === 0) return 'not deployed';
  return active
    .map((d) => `${d.environment}: ${d.state.toLowerCase()} v${d.flowVersion}`)
    .join(', ');
}

function rowOf(asset: AssetDto, detail: FlowDetailDto | null): Omit<FlowRow, 'environments'> {
  const problems = detail?.problems.length ?? 0;
  return {
    ...asset,
    ...(detail ? { status: detail.status, version: detail.version } : {}),
    detail,
    validity: !detail ? '—' : problems === 0 ? 'Valid' : `${problems} problem(s)`,
  };
}
