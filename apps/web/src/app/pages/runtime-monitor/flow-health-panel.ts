import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { type DeploymentHealthDto, type FlowHealthDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { FlowHealthApi } from '../../api/flow-health-api.service';
import { RuntimeApi } from '../../api/runtime-api.service';
import { loadedValue } from '../../ui/paged-list';
import { ProblemMessage } from '../../ui/problem-message';
import { formatRate, healthBars } from './health-chart';
import { formatDuration } from './runtime-filters';
import { runtimeRefresh } from './runtime-refresh';
import { RuntimeStatus } from './runtime-status';

interface HealthKey {
  readonly packageId: string;
  readonly flowId: string;
  readonly environment: string;
  readonly deploymentId: string | null;
}

interface HealthView {
  readonly flow: FlowHealthDto | null;
  /** The active deployment's post-deployment check (null when none is active or readable). */
  readonly deployment: DeploymentHealthDto | null;
}

const WINDOW_LABELS: Readonly<Record<string, string>> = {
  '5m': 'Last 5 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
};

/**
 * A flow's health in one environment: a card per window (messages, error rate, p50/p95 latency,
 * throughput), a bar chart of succeeded / failed / pending per window (inline SVG), and the active
 * deployment's post-deployment health check. Reads again with the monitor's refresh.
 */
@Component({
  selector: 'ix-flow-health-panel',
  imports: [ProblemMessage, RuntimeStatus],
  template: `
    <section class="ix-card" aria-labelledby="health-heading">
      <div class="ix-section-head">
        <h2 id="health-heading">Health of {{ flowName() }} in {{ environment() }}</h2>
        @if (view.value().deployment; as check) {
          <p class="deployment" data-testid="deployment-health">
            Deployment check: <ix-runtime-status [status]="check.status" />
            <span>
              {{ check.messagesSeen }} of {{ check.watchMessages }} watched,
              {{ check.messagesFailed }} failed
            </span>
          </p>
        }
      </div>
      @if (view.failure(); as failure) {
        <ix-problem-message [failure]="failure"
          >The flow's health could not be loaded.</ix-problem-message
        >
      } @else if (view.value().flow; as health) {
        <ul class="cards" aria-label="Health per window">
          @for (w of health.windows; track w.window) {
            <li class="card" [attr.data-window]="w.window">
              <h3>{{ label(w.window) }}</h3>
              <dl>
                <div>
                  <dt>Messages</dt>
                  <dd data-testid="health-messages">{{ w.messages }}</dd>
                </div>
                <div>
                  <dt>Error rate</dt>
                  <dd data-testid="health-error-rate">{{ rate(w.errorRate) }}</dd>
                </div>
                <div>
                  <dt>p50 / p95</dt>
                  <dd>{{ duration(w.p50Ms) }} / {{ duration(w.p95Ms) }}</dd>
                </div>
                <div>
                  <dt>Throughput</dt>
                  <dd>{{ w.throughputPerMinute.toFixed(2) }} / min</dd>
                </div>
              </dl>
            </li>
          }
        </ul>
        <figure class="chart">
          <svg
            role="img"
            [attr.aria-label]="chartLabel()"
            viewBox="0 0 130 36"
            preserveAspectRatio="none"
          >
            @for (bar of bars(); track bar.window; let i = $index) {
              <text [attr.x]="0" [attr.y]="i * 12 + 8" class="axis">{{ bar.window }}</text>
              @for (segment of bar.segments; track segment.kind) {
                <rect
                  [attr.x]="28 + segment.x"
                  [attr.y]="i * 12 + 2"
                  [attr.width]="segment.width"
                  height="8"
                  [attr.class]="segment.kind"
                />
              }
            }
          </svg>
          <figcaption>
            <span class="key succeeded"></span> succeeded <span class="key failed"></span> failed
            <span class="key pending"></span> retrying or in flight
          </figcaption>
        </figure>
      } @else if (view.loading()) {
        <p class="ix-state" role="status" aria-busy="true">Loading health…</p>
      }
    </section>
  `,
  styles: `
    .cards {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      gap: 0.75rem;
    }
    .card {
      border: 1px solid var(--ix-border, #ccc);
      border-radius: 0.5rem;
      padding: 0.75rem;
    }
    .card h3 {
      margin: 0 0 0.5rem;
      font: var(--mat-sys-title-small);
    }
    dl {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 0.25rem 0.75rem;
      margin: 0;
    }
    dt {
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      font: var(--mat-sys-title-medium);
    }
    .deployment {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      margin: 0;
    }
    .chart {
      margin: 1rem 0 0;
    }
    svg {
      width: 100%;
      max-width: 40rem;
      height: 7rem;
    }
    .axis {
      font-size: 5px;
      fill: var(--mat-sys-on-surface);
    }
    .succeeded {
      fill: var(--mat-sys-primary, #36c);
      background: var(--mat-sys-primary, #36c);
    }
    .failed {
      fill: var(--mat-sys-error, #b3261e);
      background: var(--mat-sys-error, #b3261e);
    }
    .pending {
      fill: var(--mat-sys-tertiary, #7d5260);
      background: var(--mat-sys-tertiary, #7d5260);
    }
    .key {
      display: inline-block;
      width: 0.75rem;
      height: 0.75rem;
      border-radius: 2px;
      vertical-align: middle;
      margin-left: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowHealthPanel {
  private readonly healthApi = inject(FlowHealthApi);
  private readonly runtimeApi = inject(RuntimeApi);

  readonly packageId = input.required<string>();
  readonly flowId = input.required<string>();
  readonly flowName = input.required<string>();
  readonly environment = input.required<string>();
  /** The flow's active deployment in the environment, when there is one. */
  readonly deploymentId = input<string | null>(null);

  private readonly key = computed<HealthKey>(
    () => ({
      packageId: this.packageId(),
      flowId: this.flowId(),
      environment: this.environment(),
      deploymentId: this.deploymentId(),
    }),
    { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );

  readonly view = loadedValue<HealthKey, HealthView>(
    this.key,
    (key, signal) => this.load(key, signal),
    { flow: null, deployment: null },
  );
  readonly bars = computed(() => healthBars(this.view.value().flow?.windows ?? []));
  readonly chartLabel = computed(() =>
    this.bars()
      .map((bar) => {
        const counts = bar.segments.map((s) => `${s.count} ${s.kind}`).join(', ');
        return `${bar.window}: ${bar.messages} messages${counts ? ` (${counts})` : ''}`;
      })
      .join('; '),
  );

  readonly rate = formatRate;
  readonly duration = formatDuration;

  constructor() {
    runtimeRefresh(this.packageId, () => this.flowId())
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.view.retry());
  }

  label(window: string): string {
    return WINDOW_LABELS[window] ?? window;
  }

  private async load(key: HealthKey, signal: AbortSignal): Promise<ApiResult<HealthView>> {
    const [flow, deployment] = await Promise.all([
      this.healthApi.health(key.packageId, key.flowId, key.environment, signal),
      key.deploymentId
        ? this.runtimeApi.deploymentHealth(key.packageId, key.flowId, key.deploymentId, signal)
        : Promise.resolve(null),
    ]);
    if (!flow.ok) return flow;
    // The deployment check is extra: when it cannot be read the flow's figures still show.
    return {
      ok: true,
      data: { flow: flow.data, deployment: deployment?.ok ? deployment.data : null },
    };
  }
}
