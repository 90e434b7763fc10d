import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { type AssetDto, type DeploymentDto, type FlowDetailDto } from '@integrixs/api-client';
import {
  DEPLOYMENT_TRANSITIONS,
  flowTransition,
  type DeploymentState,
  type FlowState,
} from '@integrixs/domain';

import { type ApiResult } from '../../api/api-result';
import { DeploymentsApi } from '../../api/deployments-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { isFlowChange, refreshOnLive } from '../../live/live-events.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { Notifier } from '../../ui/notifier';
import { loadedList } from '../../ui/paged-list';
import { confirmMove } from '../flow-detail/confirm-move';
import { PackageWorkspace } from './package-workspace';

/** What the list shows of an active deployment (from the package's list or a deploy answer). */
type ActiveDeployment = Pick<DeploymentDto, 'environment' | 'state' | 'flowVersion'>;

/** The environment the quick deploy action targets. */
const QUICK_ENVIRONMENT = 'DEV';

/** Flows whose validity and moves the list loads (one request each); later rows show less. */
const DETAILED = 50;

/** A row: the flow as an asset, with its detail (validity, allowed moves) when loaded. */
interface FlowRow extends AssetDto {
  readonly detail: FlowDetailDto | null;
  readonly validity: string;
  /** Where it is deployed: "DEV: deployed v3, TEST: suspended v2", or "not deployed". */
  readonly environments: string;
  /** Its deployment state in DEV (UNDEPLOYED when not deployed there or not loaded). */
  readonly devState: DeploymentState;
  /** Its active deployments, one per environment it runs in. */
  readonly activeDeployments: readonly ActiveDeployment[];
}

/**
 * The package's flows: state, whether the graph is valid, and the moves the state table and the
 * caller's permissions allow (mark ready, archive, deploy to DEV), its state per environment
 * (the active deployments), each linking to the flow's page (readiness, the other deployment
 * actions and the history are there).
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
          <a
            matButton="outlined"
            [routerLink]="['/packages', packageId(), 'flows', 'new', 'design']"
          >
            New flow in the designer
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
            <a matButton [routerLink]="['/packages', packageId(), 'flows', flow.id, 'design']">
              Design <span class="ix-visually-hidden">{{ flow.name }}</span>
            </a>
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
            @if (canQuickDeploy(flow)) {
              <button
                matButton
                type="button"
                [disabled]="busy() === flow.id"
                (click)="deployToDev(flow)"
              >
                Deploy to DEV <span class="ix-visually-hidden">{{ flow.name }}</span>
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
  private readonly deployments = inject(DeploymentsApi);
  private readonly workspace = inject(PackageWorkspace);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly packageId = this.workspace.id;
  readonly canWrite = computed(() => this.workspace.may('asset:write'));
  readonly canDeploy = computed(() => this.workspace.may('flow:deploy'));
  readonly list = loadedList(this.packageId, (packageId, signal) => this.load(packageId, signal));
  /** The flow a move is under way for. */
  readonly busy = signal<string | null>(null);

  constructor() {
    // Flow states and deployments changed by another user (live events) reload the list.
    refreshOnLive(this.packageId, isFlowChange, () => this.list.retry());
  }

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

  /** Deploy to DEV: a READY flow not yet deployed there, for callers with `flow:deploy`. */
  canQuickDeploy(flow: FlowRow): boolean {
    if (!this.canDeploy() || !flow.detail) return false;
    const status = flow.detail.status;
    return DEPLOYMENT_TRANSITIONS.some(
      (t) =>
        t.from === flow.devState &&
        t.action === 'deploy' &&
        (t.requiresFlow === undefined || t.requiresFlow === status),
    );
  }

  async deployToDev(flow: FlowRow): Promise<void> {
    this.busy.set(flow.id);
    const result = await this.deployments.deploy(this.packageId(), flow.id, QUICK_ENVIRONMENT);
    this.busy.set(null);
    if (!result.ok) {
      // The detail names the failing readiness items; the flow's page lists them with links.
      this.notifier.failed(`${flow.name} could not be deployed to DEV.`, result.failure);
      return;
    }
    const others = flow.activeDeployments.filter((d) => d.environment !== QUICK_ENVIRONMENT);
    this.list.rows.update((rows) =>
      rows.map((row) =>
        row.id === flow.id ? { ...row, ...deploymentsOf([...others, result.data]) } : row,
      ),
    );
    this.notifier.done(`${flow.name} is deployed to DEV.`);
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
      rows.map((row) => (row.id === flow.id ? { ...row, ...rowOf(row, result.data) } : row)),
    );
    this.notifier.done(`${flow.name} is now ${result.data.status}.`);
  }

  private async load(packageId: string, signal: AbortSignal): Promise<ApiResult<FlowRow[]>> {
    const list = await this.api.list(packageId, signal);
    if (!list.ok) return list;
    const detailed = list.data.items.slice(0, DETAILED);
    const [details, active] = await Promise.all([
      Promise.all(detailed.map((flow) => this.api.get(packageId, flow.id, signal))),
      this.api.active(packageId, signal),
    ]);
    const byId = new Map<string, FlowDetailDto>();
    for (const detail of details) if (detail.ok) byId.set(detail.data.id, detail.data);
    // The detailed rows' active deployments, from the package's one "what runs where" answer.
    const deployed = new Map<string, ActiveDeployment[]>();
    if (active.ok)
      for (const flow of detailed)
        deployed.set(
          flow.id,
          active.data.items.filter((d) => d.flowId === flow.id),
        );
    return {
      ok: true,
      data: list.data.items.map((flow) => {
        const active = deployed.get(flow.id);
        return {
          ...rowOf(flow, byId.get(flow.id) ?? null),
          ...(active
            ? deploymentsOf(active)
            : { environments: '—', devState: 'UNDEPLOYED', activeDeployments: [] }),
        };
      }),
    };
  }
}

type DeploymentColumns = Pick<FlowRow, 'environments' | 'devState' | 'activeDeployments'>;

/** The row's per-environment columns from its active deployments. */
function deploymentsOf(active: readonly ActiveDeployment[]): DeploymentColumns {
  return {
    activeDeployments: active,
    devState: active.find((d) => d.environment === QUICK_ENVIRONMENT)?.state ?? 'UNDEPLOYED',
    environments:
      active.length === 0
        ? 'not deployed'
        : active
            .map((d) => `${d.environment}: ${d.state.toLowerCase()} v${d.flowVersion}`)
            .join(', '),
  };
}

function rowOf(
  asset: AssetDto,
  detail: FlowDetailDto | null,
): Omit<FlowRow, keyof DeploymentColumns> {
  const problems = detail?.problems.length ?? 0;
  return {
    ...asset,
    ...(detail ? { status: detail.status, version: detail.version } : {}),
    detail,
    validity: !detail ? '—' : problems === 0 ? 'Valid' : `${problems} problem(s)`,
  };
}
