import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { combineLatest, switchMap, tap } from 'rxjs';

import {
  type DeploymentDto,
  type EnvironmentDto,
  type ReadinessItemDto,
  type ReadinessResultDto,
} from '@integrixs/api-client';

import { abortable, type ApiFailure, type ApiResult } from '../../api/api-result';
import { FlowsApi } from '../../api/flows-api.service';
import { ProblemMessage } from '../../ui/problem-message';

interface Loaded {
  readonly environments: readonly EnvironmentDto[];
  readonly deployments: readonly DeploymentDto[];
}

const SECTIONS: Record<string, string> = {
  SCHEMA: 'schemas',
  ADAPTER: 'adapters',
  MAPPING: 'mappings',
  FLOW: 'flows',
};

/**
 * The flow per environment: its active deployment (state and version), the readiness checklist
 * (run on request: each item pass/fail/warn/skipped with its explanation, what to do and a link
 * to the asset to fix), and the deployment history with each deployment's pinned versions.
 */
@Component({
  selector: 'ix-flow-environments',
  imports: [DatePipe, RouterLink, MatButtonModule, ProblemMessage],
  templateUrl: './flow-environments.html',
  styleUrl: './flow-environments.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowEnvironments {
  private readonly api = inject(FlowsApi);

  readonly packageId = input.required<string>();
  readonly flowId = input.required<string>();
  /** The flow's version: a new one reloads the deployments. */
  readonly version = input.required<number>();

  readonly loaded = signal<Loaded | null>(null);
  readonly failure = signal<ApiFailure | null>(null);
  /** The checklists run so far, by environment code. */
  readonly checklists = signal<ReadonlyMap<string, ReadinessResultDto>>(new Map());
  readonly checking = signal<string | null>(null);
  readonly checkFailure = signal<{ environment: string; failure: ApiFailure } | null>(null);

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
  }

  /** Runs the readiness checklist for one environment (again). */
  async check(environment: string): Promise<void> {
    this.checking.set(environment);
    this.checkFailure.set(null);
    const result = await this.api.readiness(this.packageId(), this.flowId(), environment);
    this.checking.set(null);
    if (!result.ok) {
      this.checkFailure.set({ environment, failure: result.failure });
      return;
    }
    this.checklists.update((all) => new Map(all).set(environment, result.data));
  }

  /** The page that fixes an item: its asset's, when it names one. */
  fixLink(item: ReadinessItemDto): string[] | null {
    const asset = item.asset;
    const section = asset ? SECTIONS[asset.type] : undefined;
    return asset && section ? ['/packages', asset.packageId, section, asset.id] : null;
  }

  private async load(
    packageId: string,
    flowId: string,
    signal: AbortSignal,
  ): Promise<ApiResult<Loaded>> {
    const [environments, deployments] = await Promise.all([
      this.api.environments(signal),
      this.api.deployments(packageId, flowId, signal),
    ]);
    if (!environments.ok) return environments;
    if (!deployments.ok) return deployments;
    return {
      ok: true,
      data: { environments: environments.data, deployments: deployments.data.items },
    };
  }
}
