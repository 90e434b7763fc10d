import { type HealthWindowDto } from '@integrixs/api-client';

/** One coloured part of a window's bar. */
export interface HealthSegment {
  readonly kind: 'succeeded' | 'failed' | 'pending';
  readonly count: number;
  /** x and width in the chart's units (0–100). */
  readonly x: number;
  readonly width: number;
}

export interface HealthBar {
  readonly window: string;
  readonly segments: readonly HealthSegment[];
  readonly messages: number;
}

/**
 * Each window's messages as a bar split into succeeded, failed (dead-lettered) and pending
 * (retrying or in flight); bars share one scale (the busiest window is 100) so the windows
 * compare; empty segments are left out.
 */
export function healthBars(windows: readonly HealthWindowDto[]): HealthBar[] {
  const most = Math.max(1, ...windows.map((w) => w.succeeded + w.failed + w.retrying + w.inFlight));
  return windows.map((w) => {
    const parts = [
      { kind: 'succeeded' as const, count: w.succeeded },
      { kind: 'failed' as const, count: w.failed },
      { kind: 'pending' as const, count: w.retrying + w.inFlight },
    ];
    let x = 0;
    const segments: HealthSegment[] = [];
    for (const part of parts) {
      if (part.count <= 0) continue;
      const width = (part.count / most) * 100;
      segments.push({ ...part, x, width });
      x += width;
    }
    return { window: w.window, segments, messages: w.messages };
  });
}

/** "2.5 %"; an em dash when nothing finished. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`;
}
