import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { combineLatest, switchMap, tap } from 'rxjs';

import {
  type DeploymentDto,
  type EnvironmentDto,
  type ReadinessItemDto,
  type ReadinessResultDto,
} from '@integrixs/api-client';
import {
  DEPLOYMENT_TRANSITIONS,
  type DeploymentState,
  type DeploymentTransition,
  type FlowState,
} from '@integrixs/domain';

import { abortable, type ApiFailure, type ApiResult } from '../../api/api-result';
import {
  DeploymentsApi,
  needsStepUp,
  refusedItemsOf,
  type DeploymentAction,
} from '../../api/deployments-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { AuthService } from '../../auth/auth.service';
import { refreshOnLive } from '../../live/live-events.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { FlowDrift } from './flow-drift';
import { PartialRollbackForm } from './partial-rollback-form';

/** A deployment call that may be retried after an MFA step-up. */
interface Operation {
  readonly environment: string;
  /** What it did, for the notifier ("Deployed to DEV."). */
  readonly done: string;
  readonly call: () => Promise<ApiResult<DeploymentDto>>;
}

interface Loaded {
  readonly environments: readonly EnvironmentDto[];
  /** The history loaded so far, newest first (plus any active deployment older than that). */
  readonly deployments: readonly DeploymentDto[];
  readonly total: number;
  /** Where the older deployments continue; null when all are loaded. */
  readonly olderCursor: string | null;
}

/** How many deployments the history shows at first and adds per "Show older". */
const HISTORY_PAGE = 50;

/** The state actions on an active deployment, as their buttons name them. */
const STATE_ACTIONS: readonly { key: DeploymentAction; label: string; where: string }[] = [
  { key: 'suspend', label: 'Suspend', where: 'in' },
  { key: 'resume', label: 'Resume', where: 'in' },
  { key: 'undeploy', label: 'Undeploy', where: 'from' },
];

const SECTIONS: Record<string, string> = {
  SCHEMA: 'schemas',
  ADAPTER: 'adapters',
  MAPPING: 'mappings',
  FLOW: 'flows',
};

/**
 * The flow per environment: its active deployment (state and version), the readiness checklist
 * (run on request and streamed, each item shown as its check completes: pass/fail/warn/skipped
 * with its explanation, what to do and a link to the asset to fix; with `adapter:configure` the
 * connection tests can be run now instead of relying on the last results), and the deployment history with each deployment's pinned versions.
 * With `flow:deploy`, the actions the deployment state table allows: deploy, suspend, resume,
 * undeploy, and per history row quick rollback, promote and partial rollback (asking for an MFA
 * code when a protected environment needs a step-up); below, the environment comparison.
 */
@Component({
  selector: 'ix-flow-environments',
  imports: [
    DatePipe,
    NgTemplateOutlet,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ProblemMessage,
    FlowDrift,
    PartialRollbackForm,
  ],
  templateUrl: './flow-environments.html',
  styleUrl: './flow-environments.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowEnvironments {
  private readonly api = inject(FlowsApi);
  private readonly deployments = inject(DeploymentsApi);
  private readonly auth = inject(AuthService);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly packageId = input.required<string>();
  readonly flowId = input.required<string>();
  /** The flow's version: a new one reloads the deployments. */
  readonly version = input.required<number>();
  /** The flow's state (deploying needs READY). */
  readonly flowState = input<FlowState>('DRAFT');
  /** The caller holds `flow:deploy` in the package. */
  readonly canDeploy = input(false);
  /** The caller holds `adapter:configure` in the package (may run connection tests now). */
  readonly canTestConnections = input(false);

  readonly loaded = signal<Loaded | null>(null);
  readonly failure = signal<ApiFailure | null>(null);
  /** The checklists run so far, by environment code. */
  readonly checklists = signal<ReadonlyMap<string, ReadinessResultDto>>(new Map());
  readonly checking = signal<string | null>(null);
  /** The items of the check under way, as they arrive. */
  readonly arrived = signal<readonly ReadinessItemDto[]>([]);
  readonly checkFailure = signal<{ environment: string; failure: ApiFailure } | null>(null);
  /** A deployment call under way. */
  readonly busy = signal(false);
  /** Why the last deployment call was refused, with the failing readiness items it named. */
  readonly refusal = signal<{
    environment: string;
    failure: ApiFailure;
    items: ReadinessItemDto[];
  } | null>(null);
  /** The call waiting for an MFA code (the environment is protected). */
  readonly awaitingCode = signal<Operation | null>(null);
  readonly code = signal('');
  /** The history row whose "Promote to…" picker is open, and the row partially rolled back. */
  readonly promoting = signal<string | null>(null);
  readonly partial = signal<DeploymentDto | null>(null);
  private readonly reloads = signal(0);

  /** The active deployment per environment code. */
  readonly active = computed(
    () =>
      new Map(
        (this.loaded()?.deployments ?? [])
          .filter((deployment) => deployment.active)
          .map((deployment) => [deployment.environment, deployment]),
      ),
  );

  constructor() {
    combineLatest([
      toObservable(this.packageId),
      toObservable(this.flowId),
      toObservable(this.version),
      toObservable(this.reloads),
    ])
      .pipe(
        tap(() => this.failure.set(null)),
        switchMap(([packageId, flowId]) =>
          abortable((signal) => this.load(packageId, flowId, signal)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (result.ok) this.loaded.set(result.data);
        else this.failure.set(result.failure);
      });
    // Deployments of this flow made elsewhere (live events) reload the environments.
    refreshOnLive(
      this.packageId,
      (m) => m.type === 'deployment.changed' && m.flowId === this.flowId(),
      () => this.reloads.update((n) => n + 1),
    );
    // The checklists shown follow changes to the package's assets (the flow, its adapters'
    // environment settings, its mappings and schemas) made elsewhere.
    refreshOnLive(
      this.packageId,
      (m) => m.type.startsWith('asset.'),
      () => void this.recheckShown(),
    );
  }

  /** Runs the readiness checklist for one environment (again); `live` runs connection tests now. */
  async check(environment: string, live = false): Promise<void> {
    this.checking.set(environment);
    this.checkFailure.set(null);
    this.arrived.set([]);
    const result = await this.api.checkReadiness(
      this.packageId(),
      this.flowId(),
      environment,
      live,
      (item) => this.arrived.update((items) => [...items, item]),
    );
    this.checking.set(null);
    this.arrived.set([]);
    if (!result.ok) {
      this.checkFailure.set({ environment, failure: result.failure });
      return;
    }
    this.checklists.update((all) => new Map(all).set(environment, result.data));
  }

  /** Whether the state table and the caller's permissions allow `action` in `environment`. */
  readonly stateActions = STATE_ACTIONS;

  allowed(environment: string, action: DeploymentTransition['action']): boolean {
    if (!this.canDeploy()) return false;
    const from: DeploymentState = this.active().get(environment)?.state ?? 'UNDEPLOYED';
    const move = DEPLOYMENT_TRANSITIONS.find((t) => t.from === from && t.action === action);
    return !!move && (move.requiresFlow === undefined || move.requiresFlow === this.flowState());
  }

  deploy(environment: string): void {
    void this.run({
      environment,
      done: `Deployed to ${environment}.`,
      call: () => this.deployments.deploy(this.packageId(), this.flowId(), environment),
    });
  }

  async act(deployment: DeploymentDto, action: DeploymentAction): Promise<void> {
    const environment = deployment.environment;
    if (action === 'undeploy') {
      const sure = await this.confirm.ask({
        title: `Undeploy from ${environment}?`,
        message: `The flow stops running in ${environment}. Its deployment history stays.`,
        confirm: 'Undeploy',
        destructive: true,
      });
      if (!sure) return;
    }
    const done = { suspend: 'Suspended', resume: 'Resumed', undeploy: 'Undeployed' }[action];
    void this.run({
      environment,
      done: `${done} in ${environment}.`,
      call: () => this.deployments.act(this.packageId(), this.flowId(), deployment.id, action),
    });
  }

  /** Quick rollback: the row's exact pins become the active deployment of its environment. */
  async rollback(deployment: DeploymentDto): Promise<void> {
    const environment = deployment.environment;
    const sure = await this.confirm.ask({
      title: `Roll back ${environment}?`,
      message: `${environment} runs flow version ${deployment.flowVersion} with the versions this deployment pinned again.`,
      confirm: 'Roll back',
      destructive: true,
    });
    if (!sure) return;
    void this.run({
      environment,
      done: `Rolled ${environment} back.`,
      call: () => this.deployments.rollback(this.packageId(), this.flowId(), deployment.id),
    });
  }

  promote(deployment: DeploymentDto, to: string): void {
    this.promoting.set(null);
    void this.run({
      environment: to,
      done: `Promoted to ${to}.`,
      call: () => this.deployments.promote(this.packageId(), this.flowId(), deployment.id, to),
    });
  }

  /** Deploys the partial rollback chosen in the dialog (one asset at an earlier version). */
  rollBackPartly(environment: string, pins: Record<string, number>): void {
    this.partial.set(null);
    void this.run({
      environment,
      done: `Partially rolled ${environment} back.`,
      call: () => this.deployments.deploy(this.packageId(), this.flowId(), environment, pins),
    });
  }

  /** Confirms the MFA code, then makes the waiting call again. */
  async confirmCode(event: Event): Promise<void> {
    event.preventDefault();
    const operation = this.awaitingCode();
    if (!operation || this.busy()) return;
    this.busy.set(true);
    const confirmed = await this.deployments.stepUp(this.code().trim());
    this.busy.set(false);
    if (!confirmed.ok) {
      this.refusal.set({
        environment: operation.environment,
        failure: confirmed.failure,
        items: [],
      });
      return;
    }
    this.auth.mfaConfirmed(confirmed.data.accessToken);
    this.awaitingCode.set(null);
    this.code.set('');
    await this.run(operation);
  }

  private async run(operation: Operation): Promise<void> {
    this.busy.set(true);
    this.refusal.set(null);
    const result = await operation.call();
    this.busy.set(false);
    if (result.ok) {
      this.notifier.done(operation.done);
      this.reloads.update((n) => n + 1);
    } else if (needsStepUp(result.failure)) {
      this.awaitingCode.set(operation);
    } else {
      const items = refusedItemsOf(result.failure);
      this.refusal.set({ environment: operation.environment, failure: result.failure, items });
    }
  }

  /** The page that fixes an item: its asset's, when it names one. */
  fixLink(item: ReadinessItemDto): string[] | null {
    const asset = item.asset;
    const section = asset ? SECTIONS[asset.type] : undefined;
    return asset && section ? ['/packages', asset.packageId, section, asset.id] : null;
  }

  /** Adds the next page of older deployments to the history. */
  async showOlder(): Promise<void> {
    const loaded = this.loaded();
    if (!loaded?.olderCursor) return;
    const page = await this.api.deployments(this.packageId(), this.flowId(), undefined, {
      cursor: loaded.olderCursor,
      limit: HISTORY_PAGE,
    });
    if (!page.ok) {
      this.failure.set(page.failure);
      return;
    }
    const known = new Set(loaded.deployments.map((d) => d.id));
    this.loaded.set({
      ...loaded,
      deployments: [...loaded.deployments, ...page.data.items.filter((d) => !known.has(d.id))],
      olderCursor: page.data.nextCursor,
    });
  }

  /** Runs the checklists shown again, quietly and without connection tests (live events). */
  private async recheckShown(): Promise<void> {
    for (const environment of this.checklists().keys()) {
      if (this.checking() !== null) return; // the user's own check wins
      const flowId = this.flowId();
      const result = await this.api.checkReadiness(
        this.packageId(),
        flowId,
        environment,
        false,
        () => undefined,
      );
      if (result.ok && flowId === this.flowId() && this.checking() === null)
        this.checklists.update((all) => new Map(all).set(environment, result.data));
    }
  }

  /**
   * The environments, the newest page of the history and every active deployment: an active
   * one older than the page (rolled back to long ago) is fetched on its own, so the actions per
   * environment never depend on how much history is shown.
   */
  private async load(
    packageId: string,
    flowId: string,
    signal: AbortSignal,
  ): Promise<ApiResult<Loaded>> {
    const [environments, deployments, active] = await Promise.all([
      this.api.environments(signal),
      this.api.deployments(packageId, flowId, signal, { limit: HISTORY_PAGE }),
      this.api.active(packageId, signal),
    ]);
    if (!environments.ok) return environments;
    if (!deployments.ok) return deployments;
    if (!active.ok) return active;
    const page = deployments.data.items;
    const older = await Promise.all(
      active.data.items
        .filter((a) => a.flowId === flowId && !page.some((d) => d.id === a.deploymentId))
        .map((a) => this.api.deployment(packageId, flowId, a.deploymentId, signal)),
    );
    const failed = older.find((r) => !r.ok);
    if (failed && !failed.ok) return failed;
    return {
      ok: true,
      data: {
        environments: environments.data,
        deployments: [...page, ...older.flatMap((r) => (r.ok ? [r.data] : []))],
        total: deployments.data.total,
        olderCursor: deployments.data.nextCursor,
      },
    };
  }
}
