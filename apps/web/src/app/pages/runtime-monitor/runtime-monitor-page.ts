import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router } from '@angular/router';

import { type ActiveFlowDto, type AssetDto, type EnvironmentDto } from '@integrixs/api-client';

import { FlowsApi } from '../../api/flows-api.service';
import { persistedFilters } from '../../state/persisted-filters';
import { Notifier } from '../../ui/notifier';
import { loadedList } from '../../ui/paged-list';
import { PackageWorkspace } from '../package-workspace/package-workspace';
import { DeadLettersPanel } from './dead-letters-panel';
import { ExecutionsPanel } from './executions-panel';
import { FlowHealthPanel } from './flow-health-panel';
import {
  RunDialog,
  type RunDialogData,
  type RunDialogResult,
  type RunnableFlow,
} from './run-dialog';
import {
  DEAD_LETTER_STATUSES,
  deadLetterQueryOf,
  environmentOf,
  EXECUTION_STATUSES,
  EXECUTION_TRIGGERS,
  executionQueryOf,
  flowOf,
  queryKey,
  RUNTIME_FILTERS,
} from './runtime-filters';

/**
 * The package's runtime monitor (`/packages/:id/runtime`, a workspace tab): filters shared by
 * everything below and kept in the address (`?flowId=…&environment=DEV&status=…`), the selected
 * flow's health in the selected environment, and either the executions or the dead-letter queue.
 * Lists refresh on their own (see runtime-refresh.ts). Run and replay show only to callers who
 * may (runtime:send, runtime:operate).
 */
@Component({
  selector: 'ix-runtime-monitor-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    DeadLettersPanel,
    ExecutionsPanel,
    FlowHealthPanel,
  ],
  templateUrl: './runtime-monitor-page.html',
  styleUrl: './runtime-monitor-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RuntimeMonitorPage {
  private readonly flowsApi = inject(FlowsApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  readonly workspace = inject(PackageWorkspace);
  readonly packageId = this.workspace.id;

  readonly filters = persistedFilters(this.packageId, 'runtime', RUNTIME_FILTERS, () => true);
  readonly statuses = EXECUTION_STATUSES;
  readonly triggers = EXECUTION_TRIGGERS;
  readonly deadLetterStatuses = DEAD_LETTER_STATUSES;

  readonly flows = loadedList<string, AssetDto>(this.packageId, async (id, signal) => {
    const result = await this.flowsApi.list(id, signal);
    return result.ok ? { ok: true, data: result.data.items } : result;
  });
  readonly environments = loadedList<string, EnvironmentDto>(this.packageId, (_id, signal) =>
    this.flowsApi.environments(signal),
  );
  readonly active = loadedList<string, ActiveFlowDto>(this.packageId, async (id, signal) => {
    const result = await this.flowsApi.active(id, signal);
    return result.ok ? { ok: true, data: result.data.items } : result;
  });

  readonly view = computed(() => this.filters.values()['view'] ?? 'executions');
  readonly flowId = computed(() => flowOf(this.filters.values()));
  readonly environment = computed(() => environmentOf(this.filters.values()));
  readonly flowName = computed(
    () =>
      this.flows.rows().find((flow) => flow.id === this.flowId())?.name ??
      this.active.rows().find((a) => a.flowId === this.flowId())?.flowName ??
      'the flow',
  );
  /** The selected flow's active deployment in the selected environment. */
  readonly deploymentId = computed(
    () =>
      this.active
        .rows()
        .find((a) => a.flowId === this.flowId() && a.environment === this.environment())
        ?.deploymentId ?? null,
  );
  readonly executionQuery = computed(() => executionQueryOf(this.filters.values()), {
    equal: (a, b) => queryKey(a) === queryKey(b),
  });
  readonly deadLetterQuery = computed(() => deadLetterQueryOf(this.filters.values()), {
    equal: (a, b) => queryKey(a) === queryKey(b),
  });
  /** The message-id / source search as typed (applied on Enter or Search). */
  readonly typedQ = signal<string | null>(null);
  readonly q = computed(() => this.typedQ() ?? this.filters.values()['q'] ?? '');

  readonly canRun = computed(() => this.workspace.may('runtime:send'));
  readonly canOperate = computed(() => this.workspace.may('runtime:operate'));

  set(key: string, value: string): void {
    this.filters.set({ [key]: value });
  }

  search(event: Event): void {
    event.preventDefault();
    this.filters.set({ q: this.q().trim() });
    this.typedQ.set(null);
  }

  clear(): void {
    this.typedQ.set(null);
    this.filters.set({
      flowId: '',
      environment: '',
      status: '',
      trigger: '',
      from: '',
      to: '',
      q: '',
      deadLetterStatus: 'OPEN',
    });
  }

  /** The manual run dialog, for the flows deployed (not suspended) somewhere. */
  run(): void {
    const byFlow = new Map<string, { name: string; environments: string[] }>();
    for (const a of this.active.rows()) {
      if (a.state !== 'DEPLOYED') continue;
      const entry = byFlow.get(a.flowId) ?? { name: a.flowName, environments: [] };
      entry.environments.push(a.environment);
      byFlow.set(a.flowId, entry);
    }
    const flows: RunnableFlow[] = [...byFlow].map(([id, entry]) => ({ id, ...entry }));
    const ref = this.dialog.open<RunDialog, RunDialogData, RunDialogResult>(RunDialog, {
      data: {
        packageId: this.packageId(),
        flows,
        flowId: this.flowId(),
        environment: this.environment(),
      },
      width: '44rem',
      maxWidth: '95vw',
    });
    ref.afterClosed().subscribe((result) => {
      if (!result) return;
      this.notifier.done(`Message ${result.sent.messageId.slice(0, 8)} queued.`);
      void this.router.navigate([
        '/packages',
        this.packageId(),
        'runtime',
        'executions',
        result.sent.messageId,
      ]);
    });
  }
}
