import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { type AssetImpactDto, type GraphNodeDto } from '@integrixs/api-client';

import { type ApiResult } from '../api/api-result';
import { DependenciesApi } from '../api/dependencies-api.service';
import { ImpactView } from './impact-view';

const node = (over: Partial<GraphNodeDto>): GraphNodeDto => ({
  id: 'm-1',
  packageId: 'p-1',
  type: 'MAPPING',
  name: 'Invoice to ERP',
  kind: 'MAPPING_SOURCE_SCHEMA',
  depth: 1,
  path: ['s-1', 'm-1'],
  crossPackage: false,
  ...over,
});

const IMPACT: AssetImpactDto = {
  assetId: 's-1',
  packageId: 'p-1',
  type: 'SCHEMA',
  name: 'UBL Invoice',
  currentVersion: 3,
  proposedVersion: 3,
  verdict: {
    from: 2,
    to: 3,
    compatibility: 'breaking',
    reasons: ['/Invoice/DueDate became required'],
    changes: [],
  },
  affected: [
    node({}),
    node({
      id: 'f-1',
      packageId: 'p-2',
      type: 'FLOW',
      name: 'Invoices in',
      kind: 'FLOW_MAPPING',
      depth: 3,
      path: ['s-1', 'm-1', null, 'f-1'],
      crossPackage: true,
    }),
  ],
  byType: { SCHEMA: 0, ADAPTER: 0, MAPPING: 1, FLOW: 1 },
  hidden: 1,
  notAnalysed: [],
  deployments: [
    {
      deploymentId: 'd-1',
      flowId: 'f-1',
      flowName: 'Invoices in',
      packageId: 'p-2',
      environment: 'PROD',
      state: 'SUSPENDED',
      flowVersion: 4,
      pinnedVersion: 2,
    },
  ],
  sampleTests: [
    {
      mappingId: 'm-1',
      packageId: 'p-1',
      name: 'Invoice to ERP',
      side: 'source',
      pinnedVersion: null,
      total: 2,
      passed: 1,
      failed: 1,
      error: null,
      failures: [
        {
          sampleId: 'x-1',
          sampleName: 'No due date',
          reason: 'DueDate is required',
          failsToday: false,
        },
      ],
    },
  ],
};

describe('ImpactView', () => {
  let fixture: ComponentFixture<ImpactView>;
  let element: HTMLElement;
  let answer: ApiResult<AssetImpactDto>;
  let asked: unknown[][];

  async function open(proposedVersion: number | null): Promise<void> {
    fixture = TestBed.createComponent(ImpactView);
    fixture.componentRef.setInput('packageId', 'p-1');
    fixture.componentRef.setInput('assetId', 's-1');
    fixture.componentRef.setInput('proposedVersion', proposedVersion);
    element = fixture.nativeElement as HTMLElement;
    for (let i = 0; i < 3; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await Promise.resolve();
    }
  }

  beforeEach(() => {
    asked = [];
    answer = { ok: true, data: IMPACT };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        {
          provide: DependenciesApi,
          useValue: {
            impact: (...args: unknown[]) => {
              asked.push(args.slice(0, 3));
              return Promise.resolve(answer);
            },
          },
        },
      ],
    });
  });

  it('lists who is affected with depth and path, marks other packages and counts hidden ones', async () => {
    await open(null);
    expect(asked).toEqual([['p-1', 's-1', null]]);
    const rows = [...element.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((cell) =>
        cell.textContent?.replace(/\s+/g, ' ').trim(),
      ),
    );
    expect(rows).toEqual([
      ['Invoice to ERP', 'Mapping', 'direct', 'UBL Invoice → Invoice to ERP'],
      [
        'Invoices in other package',
        'Flow',
        '3',
        'UBL Invoice → Invoice to ERP → an asset you cannot see → Invoices in',
      ],
    ]);
    const flowLink = [...element.querySelectorAll('a')].find(
      (a) => a.textContent === 'Invoices in',
    );
    expect(flowLink?.getAttribute('href')).toBe('/packages/p-2/flows/f-1');
    expect(element.textContent).toContain('1 more in packages you cannot read');
    expect(element.textContent).toContain('3 asset(s) affected');
  });

  it('says whether the proposed version breaks, and which mapping samples would fail', async () => {
    await open(3);
    expect(asked).toEqual([['p-1', 's-1', 3]]);
    const verdict = element.querySelector('.verdict');
    expect(verdict?.classList).toContain('breaking');
    expect(verdict?.textContent).toContain('Version 2 → 3: breaking');
    expect(verdict?.textContent).toContain('/Invoice/DueDate became required');
    const samples = element.querySelector('[aria-label="Mapping samples re-run"]');
    expect(samples?.textContent?.replace(/\s+/g, ' ')).toContain(
      'Invoice to ERP (source): 1 of 2 sample(s) would fail No due date: DueDate is required',
    );
  });

  it('lists the running deployments per environment and the version each pins', async () => {
    await open(null);
    const running = element.querySelector('[aria-label="Running deployments"]');
    expect(running?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Invoices in v4 in PROD (suspended) — pins version 2',
    );
    expect(running?.querySelector('a')?.getAttribute('href')).toBe('/packages/p-2/flows/f-1');
  });

  it('says when nothing depends on the asset', async () => {
    answer = {
      ok: true,
      data: {
        ...IMPACT,
        verdict: null,
        affected: [],
        hidden: 0,
        notAnalysed: ['SAMPLE_TESTS'],
        sampleTests: null,
        deployments: [],
      },
    };
    await open(null);
    expect(element.textContent).toContain('Nothing depends on this schema');
    expect(element.querySelector('table')).toBeNull();
    expect(element.textContent).toContain('Which mapping samples would fail is not analysed');
    expect(element.querySelector('[aria-label="Running deployments"]')).toBeNull();
  });
});
