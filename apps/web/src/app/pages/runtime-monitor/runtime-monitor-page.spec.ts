import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { NEVER } from 'rxjs';

import { type ExecutionPageDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { FlowHealthApi } from '../../api/flow-health-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { RuntimeApi, type ExecutionQuery } from '../../api/runtime-api.service';
import { LiveEvents } from '../../live/live-events.service';
import { PackageWorkspace } from '../package-workspace/package-workspace';
import { RuntimeMonitorPage } from './runtime-monitor-page';

const FLOW = '5b0c6f5e-1a2b-4c3d-9e8f-0a1b2c3d4e5f';

class FakeRuntimeApi {
  readonly queries: ExecutionQuery[] = [];
  executions(_: string, query: ExecutionQuery): Promise<ApiResult<ExecutionPageDto>> {
    this.queries.push(query);
    return Promise.resolve({
      ok: true,
      data: { items: [], nextCursor: null, total: 0, totalIsEstimate: false },
    });
  }
  deploymentHealth(): Promise<ApiResult<never>> {
    return Promise.resolve({
      ok: false,
      failure: { status: 404, problem: null, retryAfter: null },
    });
  }
}

const flowsApi = {
  list: () => Promise.resolve({ ok: true, data: { items: [{ id: FLOW, name: 'Invoices' }] } }),
  environments: () => Promise.resolve({ ok: true, data: [{ code: 'DEV' }, { code: 'PROD' }] }),
  active: () => Promise.resolve({ ok: true, data: { items: [] } }),
};

describe('RuntimeMonitorPage filters and the address bar', () => {
  let runtime: FakeRuntimeApi;
  let health: unknown[][];
  let mayRun: boolean;

  beforeEach(() => {
    runtime = new FakeRuntimeApi();
    health = [];
    mayRun = true;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'runtime', component: RuntimeMonitorPage }]),
        { provide: RuntimeApi, useValue: runtime },
        { provide: FlowsApi, useValue: flowsApi },
        {
          provide: FlowHealthApi,
          useValue: {
            health: (...args: unknown[]) => {
              health.push(args.slice(0, 3));
              return Promise.resolve({
                ok: true,
                data: { flowId: FLOW, environment: 'DEV', asOf: '', windows: [] },
              });
            },
          },
        },
        { provide: LiveEvents, useValue: { forPackage: () => NEVER, status: signal('open') } },
        {
          provide: PackageWorkspace,
          useValue: { id: signal('p-1'), may: (p: string) => p !== 'runtime:send' || mayRun },
        },
      ],
    });
  });

  async function settle(harness: RouterTestingHarness): Promise<void> {
    for (let i = 0; i < 4; i++) {
      harness.detectChanges();
      await harness.fixture.whenStable();
      await Promise.resolve();
    }
  }

  it('asks for the executions the address names, and writes a changed filter back into it', async () => {
    const harness = await RouterTestingHarness.create();
    const page = await harness.navigateByUrl(
      '/runtime?status=DEAD_LETTERED&environment=DEV&trigger=NONSENSE',
      RuntimeMonitorPage,
    );
    await settle(harness);
    // An unknown trigger from a hand-edited link reads as "any".
    expect(runtime.queries.at(-1)).toEqual({ status: 'DEAD_LETTERED', environment: 'DEV' });

    page.set('trigger', 'MANUAL');
    await settle(harness);
    const router = TestBed.inject(Router);
    const params = router.parseUrl(router.url).queryParams;
    expect(params).toEqual({ status: 'DEAD_LETTERED', environment: 'DEV', trigger: 'MANUAL' });
    expect(runtime.queries.at(-1)).toEqual({
      status: 'DEAD_LETTERED',
      environment: 'DEV',
      trigger: 'MANUAL',
    });

    page.clear();
    await settle(harness);
    expect(router.parseUrl(router.url).queryParams).toEqual({});
    expect(runtime.queries.at(-1)).toEqual({});
  });

  it('shows the health of the chosen flow and environment, and Run only to senders', async () => {
    mayRun = false;
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(`/runtime?flowId=${FLOW}&environment=DEV`, RuntimeMonitorPage);
    await settle(harness);
    expect(health).toEqual([['p-1', FLOW, 'DEV']]);
    const element = harness.routeNativeElement as HTMLElement;
    expect(element.querySelector('#health-heading')?.textContent).toContain(
      'Health of Invoices in DEV',
    );
    expect(element.textContent).not.toContain('Run a flow');
  });
});
