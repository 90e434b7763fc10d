import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { type StepDto } from '@integrixs/api-client';

import { formatDuration, statusTone } from './runtime-filters';
import { RuntimeStatus } from './runtime-status';

/** One step attempt placed on the execution's time axis. */
export interface TimelineBar {
  readonly step: StepDto;
  /** Milliseconds from the start of the axis (the message's receipt, or the first step). */
  readonly offsetMs: number;
  /** Where the bar starts and how wide it is, in percent of the axis. */
  readonly left: number;
  readonly width: number;
  readonly tone: ReturnType<typeof statusTone>;
}

export interface Timeline {
  readonly bars: readonly TimelineBar[];
  /** The axis length in ms (the latest step end, at least 1). */
  readonly spanMs: number;
}

/** The narrowest bar, in percent, so a 0 ms step still shows. */
export const MIN_BAR_PERCENT = 0.5;

/**
 * Milliseconds since the epoch of the API's instants (`2026-11-25T14:21:15.123456Z`: the
 * microseconds are cut, as Date does not keep them); NaN when it is not one.
 */
export function instantMs(value: string): number {
  return Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * Lays the steps out on one axis from `startedAt` (the message's receipt; the earliest step when
 * absent or later): each bar starts at its offset and is as wide as its duration, at least
 * MIN_BAR_PERCENT, and never runs past the end of the axis.
 */
export function timelineOf(steps: readonly StepDto[], startedAt?: string | null): Timeline {
  const starts = steps.map((step) => instantMs(step.startedAt));
  const valid = starts.filter((ms) => Number.isFinite(ms));
  const first = valid.length > 0 ? Math.min(...valid) : 0;
  const given = startedAt ? instantMs(startedAt) : NaN;
  const origin = Number.isFinite(given) && given <= first ? given : first;
  const offsets = starts.map((ms) => (Number.isFinite(ms) ? Math.max(0, ms - origin) : 0));
  const spanMs = Math.max(
    1,
    ...steps.map((step, i) => (offsets[i] ?? 0) + Math.max(0, step.durationMs)),
  );
  const bars = steps.map((step, i) => {
    const offsetMs = offsets[i] ?? 0;
    const left = Math.min(100 - MIN_BAR_PERCENT, (offsetMs / spanMs) * 100);
    const width = Math.min(
      100 - left,
      Math.max(MIN_BAR_PERCENT, (Math.max(0, step.durationMs) / spanMs) * 100),
    );
    return { step, offsetMs, left, width, tone: statusTone(step.status) };
  });
  return { bars, spanMs };
}

/** A short text of a JSON detail or error (`{"message":"refused"}` → its message). */
export function describe(value: Record<string, unknown> | null): string {
  if (!value) return '';
  const message = value['message'];
  if (typeof message === 'string') {
    const code = value['code'];
    return typeof code === 'string' ? `${code}: ${message}` : message;
  }
  return JSON.stringify(value);
}

/**
 * One execution's trace: a row per step attempt with its node, kind, attempt, status, a bar at
 * its start offset as long as its duration, the detail or error, and its input snapshot
 * (collapsed).
 */
@Component({
  selector: 'ix-step-timeline',
  imports: [RuntimeStatus],
  template: `
    @if (timeline().bars.length === 0) {
      <p class="ix-state">No step has run yet.</p>
    } @else {
      <ol class="timeline" aria-label="Step timeline">
        @for (bar of timeline().bars; track bar.step.id) {
          <li class="step" [attr.data-status]="bar.step.status">
            <div class="head">
              <strong class="node">{{ bar.step.nodeId }}</strong>
              <span class="kind">{{ bar.step.kind }}</span>
              <ix-runtime-status [status]="bar.step.status" />
              <span>attempt {{ bar.step.attempt }}</span>
              <span>+{{ format(bar.offsetMs) }}</span>
              <span>{{ format(bar.step.durationMs) }}</span>
            </div>
            <div class="track" aria-hidden="true">
              <span
                class="bar"
                [attr.data-tone]="bar.tone"
                [style.left.%]="bar.left"
                [style.width.%]="bar.width"
              ></span>
            </div>
            @if (bar.step.error) {
              <p class="error">{{ describe(bar.step.error) }}</p>
            }
            @if (bar.step.detail) {
              <p class="detail">{{ describe(bar.step.detail) }}</p>
            }
            @if (bar.step.snapshot !== null) {
              <details>
                <summary>Input snapshot of {{ bar.step.nodeId }}</summary>
                <pre class="snapshot" tabindex="0">{{ bar.step.snapshot }}</pre>
              </details>
            }
          </li>
        }
      </ol>
      <p class="span">Total {{ format(timeline().spanMs) }}</p>
    }
  `,
  styles: `
    .timeline {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: baseline;
    }
    .kind {
      color: var(--ix-text-muted, inherit);
    }
    .track {
      position: relative;
      height: 0.75rem;
      margin-top: 0.25rem;
      background: var(--mat-sys-surface-container-high, #eee);
      border-radius: 0.25rem;
    }
    .bar {
      position: absolute;
      top: 0;
      bottom: 0;
      border-radius: 0.25rem;
      background: var(--mat-sys-primary, #36c);
    }
    .bar[data-tone='failed'] {
      background: var(--mat-sys-error, #b3261e);
    }
    .bar[data-tone='muted'] {
      background: var(--mat-sys-outline, #888);
    }
    .error {
      color: var(--mat-sys-error, #b3261e);
      margin: 0.25rem 0 0;
    }
    .detail {
      margin: 0.25rem 0 0;
    }
    .snapshot {
      font-family: var(--ix-mono, ui-monospace, monospace);
      white-space: pre-wrap;
      word-break: break-all;
      max-height: 20rem;
      overflow: auto;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StepTimeline {
  readonly steps = input.required<readonly StepDto[]>();
  /** When the message was received (the axis starts there). */
  readonly startedAt = input<string | null>(null);

  readonly timeline = computed(() => timelineOf(this.steps(), this.startedAt()));
  readonly format = formatDuration;
  readonly describe = describe;
}
