import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import {
  type ActiveFlowListDto,
  type AssetDto,
  type AssetPageDto,
  type FlowDetailDto,
} from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { DeploymentsApi } from '../../api/deployments-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { FlowsTab } from './flows-tab';
import { PackageWorkspace } from './package-workspace';

const asset = (id: string, name: string, status: AssetDto['status']): AssetDto => ({
  id,
  version: 1,
  createdAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:00.000Z',
  createdBy: 'u-1',
  updatedBy: 'u-1',
  updatedByName: 'bea',
  packageId: 'p-1',
  type: 'FLOW',
  name,
  description: '',
  tags: [],
  status,
  currentVersion: 1,
  lock: null,
});

const detail = (
  flow: AssetDto,
  allowed: FlowDetailDto['allowedTransitions'],
  problems: number,
): FlowDetailDto =>
  ({
    ...flow,
    status: flow.status,
    allowedTransitions: allowed,
    problems: Array.from({ length: problems }, () => ({ code: 'unreachable', message: 'x' })),
  }) as unknown as FlowDetailDto;

const DRAFT = asset('f-1', 'Invoices in', 'DRAFT');
const READY = asset('f-2', 'Orders out', 'READY');

/** FlowsApi answering from fixed flows; transitions are recorded. */
class FakeFlowsApi {
  readonly moves: unknown[] = [];

  list(): Promise<ApiResult<AssetPageDto>> {
    return Promise.resolve({
      ok: true,
      data: { items: [DRAFT, READY], total: 2, totalIsEstimate: false, nextCursor: null },
    });
  }

  get(_: string, flowId: string): Promise<ApiResult<FlowDetailDto>> {
    return Promise.resolve({
      ok: true,
      data:
        flowId === 'f-1'
          ? detail(DRAFT, ['READY', 'ARCHIVED'], 0)
          : detail(READY, ['DRAFT', 'ARCHIVED'], 2),
    });
  }

  active(): Promise<ApiResult<ActiveFlowListDto>> {
    const items = [{ flowId: 'f-2', environment: 'DEV', state: 'DEPLOYED', flowVersion: 1 }];
    return Promise.resolve({ ok: true, data: { items } as unknown as ActiveFlowListDto });
  }

  transition(_: string, flowId: string, body: unknown): Promise<ApiResult<FlowDetailDto>> {
    this.moves.push([flowId, body]);
    return Promise.resolve({
      ok: true,
      data: detail({ ...DRAFT, status: 'READY' }, ['DRAFT', 'ARCHIVED'], 0),
    });
  }
}

/** DeploymentsApi recording deploys; each answers an active DEPLOYED deployment. */
class FakeDeploymentsApi {
  readonly deploys: unknown[] = [];

  deploy(_: string, flowId: string, environment: string): Promise<ApiResult<unknown>> {
    this.deploys.push([flowId, environment]);
    return Promise.resolve({
      ok: true,
      data: { environment, state: 'DEPLOYED', flowVersion: 1, active: true },
    });
  }
}

describe('FlowsTab', () => {
  let fixture: ComponentFixture<FlowsTab>;
  let element: HTMLElement;
  let api: FakeFlowsApi;
  let mayWrite: boolean;
  let deployments: FakeDeploymentsApi;

  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await Promise.resolve();
    }
  };
  const row = (name: string) =>
    [...element.querySelectorAll('tbody tr')].find((tr) => tr.textContent?.includes(name));
  const buttons = (name: string) =>
    [...(row(name)?.querySelectorAll('button') ?? [])].map((b) =>
      b.textContent?.replace(/\s+/g, ' ').trim(),
    );

  async function open(): Promise<void> {
    fixture = TestBed.createComponent(FlowsTab);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  beforeEach(() => {
    api = new FakeFlowsApi();
    mayWrite = true;
    deployments = new FakeDeploymentsApi();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: FlowsApi, useValue: api },
        { provide: DeploymentsApi, useValue: deployments },
        { provide: ConfirmDialog, useValue: { ask: () => Promise.resolve(true) } },
        { provide: PackageWorkspace, useValue: { id: signal('p-1'), may: () => mayWrite } },
      ],
    });
  });

  it('lists each flow with its state, graph validity and where it is deployed', async () => {
    await open();
    const cells = (name: string) =>
      [...(row(name)?.querySelectorAll('td') ?? [])].map((td) => td.textContent?.trim());
    expect(cells('Invoices in')?.slice(0, 4)).toEqual(['Draft', 'Valid', 'not deployed', '1']);
    expect(cells('Orders out')?.slice(0, 4)).toEqual([
      'Ready',
      '2 problem(s)',
      'DEV: deployed v1',
      '1',
    ]);
  });

  it('offers the moves the state table allows to writers, and makes them', async () => {
    await open();
    expect(buttons('Invoices in')).toEqual(['Mark ready Invoices in', 'Archive Invoices in']);
    // READY → DRAFT (reopen) is on the flow's page, not in the list.
    expect(buttons('Orders out')).toEqual(['Archive Orders out']);
    [...(row('Invoices in')?.querySelectorAll('button') ?? [])][0]?.click();
    await settle();
    expect(api.moves).toEqual([['f-1', { to: 'READY', version: 1 }]]);
    expect(row('Invoices in')?.textContent).toContain('Ready');
  });

  it('offers no write action to those who may not write', async () => {
    mayWrite = false;
    await open();
    expect(buttons('Invoices in')).toEqual([]);
    expect(element.textContent).not.toContain('New flow');
  });

  it('offers Deploy to DEV only for a READY flow not yet in DEV, and deploys it there', async () => {
    await open();
    // DRAFT: not deployable; READY but already deployed in DEV: nothing to deploy there.
    expect(buttons('Invoices in')).not.toContain('Deploy to DEV Invoices in');
    expect(buttons('Orders out')).not.toContain('Deploy to DEV Orders out');
    [...(row('Invoices in')?.querySelectorAll('button') ?? [])][0]?.click(); // Mark ready
    await settle();
    const deploy = [...(row('Invoices in')?.querySelectorAll('button') ?? [])].find((b) =>
      b.textContent?.includes('Deploy to DEV'),
    );
    deploy?.click();
    await settle();
    expect(deployments.deploys).toEqual([['f-1', 'DEV']]);
    expect(row('Invoices in')?.textContent).toContain('DEV: deployed v1');
    expect(buttons('Invoices in')).not.toContain('Deploy to DEV Invoices in');
  });
});
