import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { type FlowDetailDto, type ReadinessResultDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { DependenciesApi } from '../../api/dependencies-api.service';
import { DeploymentsApi } from '../../api/deployments-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { AuthService } from '../../auth/auth.service';
import { type LiveMessage } from '../../live/live-connection';
import { LIVE_REFETCH_DEBOUNCE, LiveEvents } from '../../live/live-events.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Notifier } from '../../ui/notifier';
import { FlowPage } from './flow-page';

const PKG = 'p-1';
const FLOW = 'f-1';
const ADAPTER = 'a-1';

const flowAt = (version: number, status: 'DRAFT' | 'READY'): FlowDetailDto =>
  ({
    id: FLOW,
    name: 'Orders',
    status,
    version,
    currentVersion: version,
    nodes: [],
    edges: [],
    references: [],
    problems: [],
    allowedTransitions: status === 'DRAFT' ? ['READY'] : ['DRAFT'],
    updatedBy: 'u-1',
    updatedByName: 'ann',
  }) as unknown as FlowDetailDto;

const ok = <T>(data: T): Promise<ApiResult<T>> => Promise.resolve({ ok: true, data });

/** The server's flow, deployments and readiness, as another user may change them. */
class FakeFlowsApi {
  flow = flowAt(1, 'DRAFT');
  deploymentItems: unknown[] = [];
  ready = false;
  gets = 0;
  readonly checks: unknown[][] = [];
  get(): Promise<ApiResult<FlowDetailDto>> {
    this.gets++;
    return ok(this.flow);
  }
  validation() {
    return ok({ problems: [], version: this.flow.version });
  }
  environments() {
    return ok([{ code: 'DEV', name: 'Development', protected: false }]);
  }
  deployments() {
    const items = this.deploymentItems;
    return ok({ items, total: items.length, nextCursor: null });
  }
  active() {
    return ok({ items: [] });
  }
  checkReadiness(_: string, __: string, environment: string, live: boolean) {
    this.checks.push([environment, live]);
    return ok({ environment, ready: this.ready, items: [] } as unknown as ReadinessResultDto);
  }
}

describe('FlowPage live updates', () => {
  let fixture: ComponentFixture<FlowPage>;
  let element: HTMLElement;
  let flows: FakeFlowsApi;
  let events: Subject<LiveMessage>;
  let seq = 0;

  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  const buttons = () =>
    [...element.querySelectorAll('button')].map((b) => b.textContent?.replace(/\s+/g, ' ').trim());
  const click = async (label: string) => {
    [...element.querySelectorAll('button')]
      .find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label)
      ?.click();
    await settle();
  };
  const live = async (message: { type: string; [key: string]: unknown }) => {
    events.next({ ...message, seq: ++seq, packageId: PKG });
    await settle();
  };
  const verdict = () => element.querySelector('.verdict')?.textContent?.trim();

  beforeEach(async () => {
    flows = new FakeFlowsApi();
    events = new Subject<LiveMessage>();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: FlowsApi, useValue: flows },
        {
          provide: PackagesApi,
          useValue: {
            get: () =>
              ok({ id: PKG, name: 'Shop', yourPermissions: ['asset:write', 'flow:deploy'] }),
          },
        },
        {
          provide: DependenciesApi,
          useValue: {
            dependencies: () => ok({ items: [{ id: ADAPTER, name: 'In', type: 'ADAPTER' }] }),
            impact: () => new Promise(() => undefined),
          },
        },
        { provide: DeploymentsApi, useValue: {} },
        { provide: AuthService, useValue: {} },
        { provide: ConfirmDialog, useValue: { ask: () => Promise.resolve(true) } },
        { provide: Notifier, useValue: { done: () => undefined, failed: () => undefined } },
        { provide: LiveEvents, useValue: { forPackage: () => events.asObservable() } },
        { provide: LIVE_REFETCH_DEBOUNCE, useValue: 0 },
      ],
    });
    fixture = TestBed.createComponent(FlowPage);
    fixture.componentRef.setInput('id', PKG);
    fixture.componentRef.setInput('flowId', FLOW);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  });

  it('shows the state another user moved the flow to, without a reload', async () => {
    expect(buttons()).toContain('Mark ready');
    flows.flow = flowAt(2, 'READY');
    await live({ type: 'asset.status', assetId: FLOW, assetType: 'FLOW', version: 2 });
    expect(buttons()).toContain('Back to draft');
    expect(buttons()).not.toContain('Mark ready');
    expect(fixture.componentInstance.phase()).toBe('loaded');
  });

  it('shows a deployment another user made of this flow', async () => {
    const rows = () => element.querySelectorAll('.history tbody tr').length;
    expect(rows()).toBe(0);
    flows.deploymentItems = [
      {
        id: 'd-1',
        environment: 'DEV',
        state: 'DEPLOYED',
        active: true,
        flowVersion: 1,
        origin: 'DEPLOY',
        createdBy: 'u-2',
        createdByName: 'bob',
        createdAt: '2026-11-29T08:00:00.000Z',
        pins: [],
      },
    ];
    await live({ type: 'deployment.changed', flowId: FLOW, deploymentId: 'd-1' });
    expect(rows()).toBe(1);
    expect(element.querySelector('.history')?.textContent).toContain('bob');
  });

  it('checks the readiness shown again when an asset of the package changes elsewhere', async () => {
    await click('Check readiness in DEV');
    expect(verdict()).toContain('Not ready for DEV');
    flows.ready = true;
    const gets = flows.gets;

    await live({ type: 'asset.updated', assetId: ADAPTER, assetType: 'ADAPTER', version: 3 });
    expect(flows.checks).toEqual([
      ['DEV', false],
      ['DEV', false],
    ]);
    expect(verdict()).toContain('Ready to deploy to DEV');
    // The adapter is one the flow uses: its graph was read again too, in place.
    expect(flows.gets).toBe(gets + 1);
    expect(fixture.componentInstance.phase()).toBe('loaded');
  });

  it('leaves the flow alone for an asset it does not use', async () => {
    const gets = flows.gets;
    await live({ type: 'asset.updated', assetId: 'other', assetType: 'SCHEMA', version: 2 });
    expect(flows.gets).toBe(gets);
  });
});
