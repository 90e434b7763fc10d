import { TestBed } from '@angular/core/testing';

import { type StepDto } from '@integrixs/api-client';

import {
  describe as describeValue,
  instantMs,
  MIN_BAR_PERCENT,
  StepTimeline,
  timelineOf,
} from './step-timeline';

const step = (
  nodeId: string,
  startedAt: string,
  durationMs: number,
  changes: Partial<StepDto> = {},
): StepDto => ({
  id: `s-${nodeId}-${changes.attempt ?? 1}`,
  attempt: 1,
  nodeId,
  kind: nodeId,
  status: 'SUCCEEDED',
  startedAt,
  durationMs,
  detail: null,
  error: null,
  snapshot: null,
  ...changes,
});

describe('timelineOf', () => {
  it('places each step at its offset from the receipt, as wide as its duration', () => {
    const { bars, spanMs } = timelineOf(
      [
        step('read', '2026-11-25T14:21:15.100000Z', 100),
        step('map', '2026-11-25T14:21:15.200000Z', 200),
        step('send', '2026-11-25T14:21:15.400000Z', 100, { status: 'FAILED' }),
      ],
      '2026-11-25T14:21:15.000000Z',
    );
    expect(spanMs).toBe(500);
    expect(bars.map((b) => [b.offsetMs, b.left, b.width, b.tone])).toEqual([
      [100, 20, 20, 'ok'],
      [200, 40, 40, 'ok'],
      [400, 80, 20, 'failed'],
    ]);
  });

  it('starts at the first step when the receipt is missing or later than it', () => {
    const steps = [
      step('a', '2026-11-25T14:21:15.000Z', 50),
      step('b', '2026-11-25T14:21:15.050Z', 50),
    ];
    expect(timelineOf(steps).bars.map((b) => b.offsetMs)).toEqual([0, 50]);
    expect(timelineOf(steps, '2026-11-25T14:21:16.000Z').bars.map((b) => b.left)).toEqual([0, 50]);
  });

  it('keeps a 0 ms step visible and never lets a bar run past the end', () => {
    const { bars } = timelineOf(
      [step('a', '2026-11-25T14:21:15.000Z', 1000), step('b', '2026-11-25T14:21:16.000Z', 0)],
      '2026-11-25T14:21:15.000Z',
    );
    expect(bars[1]?.width).toBe(MIN_BAR_PERCENT);
    expect(bars[1]?.left).toBe(100 - MIN_BAR_PERCENT);
    for (const bar of bars) expect(bar.left + bar.width).toBeLessThanOrEqual(100);
  });

  it('has a one-millisecond axis when nothing ran', () => {
    expect(timelineOf([])).toEqual({ bars: [], spanMs: 1 });
  });

  it('reads microsecond instants to the millisecond', () => {
    expect(instantMs('2026-11-25T14:21:15.123456Z')).toBe(Date.parse('2026-11-25T14:21:15.123Z'));
  });

  it('describes an error by code and message, other details as JSON', () => {
    expect(describeValue({ code: 'ECONNREFUSED', message: 'refused' })).toBe(
      'ECONNREFUSED: refused',
    );
    expect(describeValue({ rows: 3 })).toBe('{"rows":3}');
    expect(describeValue(null)).toBe('');
  });
});

describe('StepTimeline', () => {
  it('renders a row per attempt with its bar, error, and its snapshot collapsed', async () => {
    const fixture = TestBed.createComponent(StepTimeline);
    fixture.componentRef.setInput('steps', [
      step('read', '2026-11-25T14:21:15.000Z', 10, { snapshot: '<Invoice/>' }),
      step('send', '2026-11-25T14:21:15.010Z', 30, {
        status: 'FAILED',
        error: { message: 'target refused' },
      }),
      step('send', '2026-11-25T14:21:15.040Z', 10, { attempt: 2 }),
    ]);
    fixture.componentRef.setInput('startedAt', '2026-11-25T14:21:15.000Z');
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const rows = [...element.querySelectorAll('li.step')];
    expect(rows.map((li) => li.getAttribute('data-status'))).toEqual([
      'SUCCEEDED',
      'FAILED',
      'SUCCEEDED',
    ]);
    expect(rows[1]?.querySelector('.error')?.textContent).toBe('target refused');
    expect(rows[2]?.textContent).toContain('attempt 2');
    const bar = rows[1]?.querySelector<HTMLElement>('.bar');
    expect(bar?.style.left).toBe('20%');
    expect(bar?.style.width).toBe('60%');
    const details = rows[0]?.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.querySelector('pre')?.textContent).toBe('<Invoice/>');
    expect(rows[1]?.querySelector('details')).toBeNull();
  });
});
