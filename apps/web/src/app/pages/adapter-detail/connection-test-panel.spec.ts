import { TestBed, type ComponentFixture } from '@angular/core/testing';

import { type ConnectionTestResultDto, type ConnectionTestStepDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { ConnectionTestPanel } from './connection-test-panel';

/** AdaptersApi.test under the test's control: it reports steps and finishes when told. */
class FakeAdaptersApi {
  onStep: ((step: ConnectionTestStepDto) => void) | null = null;
  finish: ((result: ApiResult<ConnectionTestResultDto>) => void) | null = null;

  test(
    _packageId: string,
    _adapterId: string,
    _environment: string,
    onStep: (step: ConnectionTestStepDto) => void,
  ): Promise<ApiResult<ConnectionTestResultDto>> {
    this.onStep = onStep;
    return new Promise((resolve) => (this.finish = resolve));
  }
}

const step = (
  name: string,
  status: ConnectionTestStepDto['status'],
  durationMs: number,
  message: string,
): ConnectionTestStepDto => ({ step: name, status, durationMs, message });

describe('ConnectionTestPanel', () => {
  let fixture: ComponentFixture<ConnectionTestPanel>;
  let api: FakeAdaptersApi;
  let element: HTMLElement;

  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };
  /** Each step's cells (step, status, duration, message), joined by spaces. */
  const rows = () =>
    [...element.querySelectorAll('.steps li')].map((li) =>
      [...li.querySelectorAll('span')].map((span) => span.textContent?.trim()).join(' '),
    );
  const button = () => element.querySelector<HTMLButtonElement>('button');

  beforeEach(async () => {
    api = new FakeAdaptersApi();
    TestBed.configureTestingModule({ providers: [{ provide: AdaptersApi, useValue: api }] });
    fixture = TestBed.createComponent(ConnectionTestPanel);
    fixture.componentRef.setInput('packageId', 'p-1');
    fixture.componentRef.setInput('adapterId', 'a-1');
    fixture.componentRef.setInput('environment', 'DEV');
    fixture.componentRef.setInput('canTest', true);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  });

  it('shows each step with its status and milliseconds as it arrives, then the outcome', async () => {
    expect(element.textContent).toContain('Not tested in DEV yet.');
    button()?.click();
    await settle();
    expect(button()?.textContent?.trim()).toBe('Testing…');

    api.onStep?.(step('folder', 'passed', 3, 'folder /in exists'));
    await settle();
    expect(rows()).toEqual(['folder passed 3 ms folder /in exists']);

    api.onStep?.(step('list', 'failed', 12, 'folder /in is not readable'));
    await settle();
    expect(rows()).toHaveLength(2);
    expect(element.textContent).not.toContain('Connection test failed');

    const steps = [
      step('folder', 'passed', 3, 'folder /in exists'),
      step('list', 'failed', 12, 'folder /in is not readable'),
      step('permissions', 'skipped', 0, 'skipped: an earlier step failed'),
    ];
    api.finish?.({
      ok: true,
      data: {
        environment: 'DEV',
        ok: false,
        steps,
        testedAt: '2026-11-29T08:00:00Z',
        testedBy: 'u',
      },
    });
    await settle();
    expect(rows()[2]).toBe('permissions skipped 0 ms skipped: an earlier step failed');
    expect(element.textContent).toContain('Connection test failed in DEV');
    expect(button()?.textContent?.trim()).toBe('Test connection in DEV');
  });

  it('offers no test button without adapter:configure', async () => {
    fixture.componentRef.setInput('canTest', false);
    await settle();
    expect(button()).toBeNull();
  });
});
