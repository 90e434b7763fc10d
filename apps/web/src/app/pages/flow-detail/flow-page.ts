import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import {
  type FlowDetailDto,
  type FlowProblemDto,
  type GraphNodeDto,
  type PackageDetailDto,
} from '@integrixs/api-client';
import { flowTransition, type FlowState } from '@integrixs/domain';

import { type ApiFailure, type ApiResult } from '../../api/api-result';
import { DependenciesApi } from '../../api/dependencies-api.service';
import { FlowsApi, refusalReasons } from '../../api/flows-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { type LiveMessage } from '../../live/live-connection';
import { refreshOnLive } from '../../live/live-events.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { GraphPicture } from '../../ui/graph-picture/graph-picture';
import { ImpactView } from '../../ui/impact-view';
import { LoadState } from '../../ui/load-state';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { routeLoad } from '../../ui/route-load';
import { confirmMove } from './confirm-move';
import { FlowCreateForm, NEW_FLOW } from './flow-create-form';
import { FlowEnvironments } from './flow-environments';
import { flowPicture, flowWideProblems } from './flow-picture';

interface Loaded {
  readonly pkg: PackageDetailDto;
  readonly flow: FlowDetailDto | null;
  readonly assets: readonly GraphNodeDto[];
  readonly problems: readonly FlowProblemDto[];
  readonly checkedVersion: number | null;
}

/** What each move is called on its button. */
const ACTION_LABELS = { markReady: 'Mark ready', reopen: 'Back to draft', archive: 'Archive' };

/**
 * A flow at `/packages/:id/flows/:flowId` (`new`: the create form): its state and the moves the
 * state table and the caller's permissions allow, its graph as a read-only picture with the
 * problems `GET …/validation` finds drawn on the steps and edges they name, and who is affected
 * by it. Readiness per environment and deployments join this page with their API. Changes other
 * users make to the flow, the assets it uses or the caller's membership (live events) redraw it in
 * place, without a reload.
 */
@Component({
  selector: 'ix-flow-page',
  imports: [
    MatButtonModule,
    AssetStatusBadge,
    Breadcrumbs,
    FlowCreateForm,
    FlowEnvironments,
    GraphPicture,
    ImpactView,
    LoadState,
    ProblemMessage,
    RouterLink,
  ],
  templateUrl: './flow-page.html',
  styleUrl: './flow-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowPage {
  private readonly api = inject(FlowsApi);
  private readonly dependencies = inject(DependenciesApi);
  private readonly packages = inject(PackagesApi);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  /** The `:id` route parameter (the package). */
  readonly id = input.required<string>();
  /** The `:flowId` route parameter, or `new`. */
  readonly flowId = input.required<string>();

  private readonly page = routeLoad(
    computed(() => ({ id: this.id(), flowId: this.flowId() })),
    ({ id, flowId }, signal) => this.load(id, flowId, signal),
    { notFound: [404], onStart: () => this.moveFailure.set(null) },
  );
  readonly phase = this.page.phase;
  readonly failure = this.page.failure;
  readonly loaded = this.page.loaded;
  readonly moving = signal(false);
  /** Why the last move was refused (409 and others), with the problems it named. */
  readonly moveFailure = signal<{ failure: ApiFailure; reasons: string[] } | null>(null);

  readonly isNew = computed(() => this.flowId() === NEW_FLOW);
  readonly flow = computed(() => this.loaded()?.flow ?? null);
  readonly canWrite = computed(
    () => this.loaded()?.pkg.yourPermissions.includes('asset:write') ?? false,
  );
  readonly canDeploy = computed(
    () => this.loaded()?.pkg.yourPermissions.includes('flow:deploy') ?? false,
  );
  readonly canTestConnections = computed(
    () => this.loaded()?.pkg.yourPermissions.includes('adapter:configure') ?? false,
  );
  readonly picture = computed(() => {
    const loaded = this.loaded();
    return loaded?.flow ? flowPicture(loaded.flow, loaded.assets, loaded.problems) : null;
  });
  readonly wideProblems = computed(() => flowWideProblems(this.loaded()?.problems ?? []));
  /** The moves offered: the API's `allowedTransitions`, to those who may write assets. */
  readonly actions = computed(() => {
    const flow = this.flow();
    if (!flow || !this.canWrite()) return [];
    return flow.allowedTransitions.flatMap((to) => {
      const move = flowTransition(flow.status, to);
      return move ? [{ to, label: ACTION_LABELS[move.action] }] : [];
    });
  });
  readonly crumbs = computed<Crumb[]>(() => {
    const id = this.id();
    return [
      { label: 'Packages', link: '/packages' },
      { label: this.loaded()?.pkg.name ?? 'Package', link: ['/packages', id] },
      { label: 'Flows', link: ['/packages', id, 'flows'] },
      { label: this.isNew() ? 'New flow' : (this.flow()?.name ?? 'Flow') },
    ];
  });

  constructor() {
    refreshOnLive(
      this.id,
      (m) => this.concerns(m),
      () => void this.refresh(),
    );
  }

  retry(): void {
    this.page.retry();
  }

  /** Checks the graph again (`GET …/validation`) and redraws its problems. */
  async recheck(): Promise<void> {
    const loaded = this.loaded();
    if (!loaded?.flow) return;
    const result = await this.api.validation(this.id(), loaded.flow.id);
    if (!result.ok) {
      this.notifier.failed('The flow could not be checked.', result.failure);
      return;
    }
    this.loaded.set({
      ...loaded,
      problems: result.data.problems,
      checkedVersion: result.data.version,
    });
  }

  async move(to: FlowState): Promise<void> {
    const flow = this.flow();
    if (!flow) return;
    if (!(await confirmMove(this.confirm, flow.name, to))) return;
    this.moving.set(true);
    this.moveFailure.set(null);
    const result = await this.api.transition(this.id(), flow.id, { to, version: flow.version });
    this.moving.set(false);
    if (!result.ok) {
      this.moveFailure.set({ failure: result.failure, reasons: refusalReasons(result.failure) });
      return;
    }
    const loaded = this.loaded();
    if (loaded) this.loaded.set({ ...loaded, flow: result.data });
    this.notifier.done(`${result.data.name} is now ${result.data.status}.`);
  }

  /** The flow, an asset its graph uses, the caller's role in the package. */
  private concerns(m: LiveMessage): boolean {
    const loaded = this.loaded();
    if (!loaded?.flow) return false;
    if (m.type === 'membership.changed') return true;
    if (!m.type.startsWith('asset.')) return false;
    return m.assetId === loaded.flow.id || loaded.assets.some((asset) => asset.id === m.assetId);
  }

  /** Loads again in place: no loading state, and the environments keep their checklists. */
  private async refresh(): Promise<void> {
    const flowId = this.flowId();
    if (this.phase() !== 'loaded' || this.isNew() || this.moving()) return;
    const result = await this.load(this.id(), flowId, new AbortController().signal);
    if (flowId !== this.flowId() || this.phase() !== 'loaded') return;
    if (result.ok) this.loaded.set(result.data);
    else if (result.failure.status === 404) this.retry(); // deleted: the page says so
  }

  private async load(id: string, flowId: string, signal: AbortSignal): Promise<ApiResult<Loaded>> {
    const isNew = flowId === NEW_FLOW;
    const [pkg, flow, validation, assets] = await Promise.all([
      this.packages.get(id, signal),
      isNew ? null : this.api.get(id, flowId, signal),
      isNew ? null : this.api.validation(id, flowId, signal),
      isNew ? null : this.dependencies.dependencies(id, flowId, 1, signal),
    ]);
    if (!pkg.ok) return pkg;
    if (flow && !flow.ok) return flow;
    return {
      ok: true,
      data: {
        pkg: pkg.data,
        flow: flow?.data ?? null,
        assets: assets?.ok ? assets.data.items : [],
        // The saved problems when the check now fails (they are then at most stale).
        problems: validation?.ok ? validation.data.problems : (flow?.data.problems ?? []),
        checkedVersion: validation?.ok ? validation.data.version : null,
      },
    };
  }
}
