import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import {
  type DeploymentDto,
  type ReadinessItemDto,
  type ReadinessResultDto,
} from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { DeploymentsApi } from '../../api/deployments-api.service';
import { FlowsApi } from '../../api/flows-api.service';
import { AuthService } from '../../auth/auth.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Notifier } from '../../ui/notifier';
import { FlowEnvironments } from './flow-environments';

const deployment = (
  id: string,
  environment: string,
  state: DeploymentDto['state'],
  active: boolean,
): DeploymentDto =>
  ({
    id,
    environment,
    state,
    active,
    flowVersion: 1,
    origin: 'DEPLOY',
    createdBy: 'u-1',
    createdByName: 'bea',
    createdAt: '2026-11-29T08:00:00.000Z',
    pins: [],
  }) as unknown as DeploymentDto;

const ENVIRONMENTS = [
  { code: 'DEV', name: 'Development', protected: false },
  { code: 'PROD', name: 'Production', protected: true },
];

/** A promise the test settles when it wants to. */
function later<T>() {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (settle = resolve));
  return { promise, settle };
}

/** FlowsApi answering the environments and the deployments the test sets. */
class FakeFlowsApi {
  items: DeploymentDto[] = [];
  /** The readiness checks asked for, and the one under way (its items and result). */
  readonly checks: unknown[][] = [];
  onItem: (item: ReadinessItemDto) => void = () => undefined;
  readonly result = later<ApiResult<ReadinessResultDto>>();

  checkReadiness(
    _: string,
    __: string,
    environment: string,
    live: boolean,
    onItem: (item: ReadinessItemDto) => void,
  ): Promise<ApiResult<ReadinessResultDto>> {
    this.checks.push([environment, live]);
    this.onItem = onItem;
    return this.result.promise;
  }

  environments(): Promise<ApiResult<unknown>> {
    return Promise.resolve({ ok: true, data: ENVIRONMENTS });
  }

  /** The history's second page ("Show older deployments"), when the test sets one. */
  older: DeploymentDto[] = [];
  /** Active deployments older than every page (fetched on their own by id). */
  beyond: DeploymentDto[] = [];

  deployments(
    _: string,
    __: string,
    ___?: AbortSignal,
    page: { cursor?: string } = {},
  ): Promise<ApiResult<unknown>> {
    const items = page.cursor === 'older' ? this.older : this.items;
    const nextCursor = !page.cursor && this.older.length > 0 ? 'older' : null;
    const total = this.items.length + this.older.length + this.beyond.length;
    return Promise.resolve({ ok: true, data: { items, total, nextCursor } });
  }

  active(): Promise<ApiResult<unknown>> {
    const all = [...this.items, ...this.older, ...this.beyond].filter((d) => d.active);
    const items = all.map((d) => ({
      flowId: 'f-1',
      deploymentId: d.id,
      environment: d.environment,
    }));
    return Promise.resolve({ ok: true, data: { items } });
  }

  deployment(_: string, __: string, id: string): Promise<ApiResult<unknown>> {
    const found = [...this.items, ...this.older, ...this.beyond].find((d) => d.id === id);
    return Promise.resolve(
      found
        ? { ok: true, data: found }
        : { ok: false, failure: { status: 404, problem: null, retryAfter: null } },
    );
  }
}

/** DeploymentsApi recording calls; `answers` are used first, then a success. */
class FakeDeploymentsApi {
  readonly calls: unknown[][] = [];
  readonly answers: ApiResult<DeploymentDto>[] = [];
  readonly codes: string[] = [];

  private answer(call: unknown[]): Promise<ApiResult<DeploymentDto>> {
    this.calls.push(call);
    return Promise.resolve(
      this.answers.shift() ?? { ok: true, data: deployment('d-new', 'DEV', 'DEPLOYED', true) },
    );
  }
  deploy(_: string, __: string, environment: string, pins?: unknown) {
    return this.answer(['deploy', environment, ...(pins ? [pins] : [])]);
  }
  act(_: string, __: string, id: string, action: string) {
    return this.answer([action, id]);
  }
  rollback(_: string, __: string, id: string) {
    return this.answer(['rollback', id]);
  }
  promote(_: string, __: string, id: string, to: string) {
    return this.answer(['promote', id, to]);
  }
  stepUp(code: string): Promise<ApiResult<unknown>> {
    this.codes.push(code);
    return Promise.resolve({ ok: true, data: { accessToken: 'stepped-up' } });
  }
}

const refused = (status: number, problem: Record<string, unknown>): ApiResult<DeploymentDto> => ({
  ok: false,
  failure: { status, problem: { title: 'x', status, ...problem } as never, retryAfter: null },
});

describe('FlowEnvironments deployment actions', () => {
  let fixture: ComponentFixture<FlowEnvironments>;
  let element: HTMLElement;
  let flows: FakeFlowsApi;
  let deployments: FakeDeploymentsApi;
  let tokens: string[];

  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await Promise.resolve();
    }
  };
  const environmentItem = (code: string) =>
    [...element.querySelectorAll('.environment')].find((li) =>
      li.querySelector('h3')?.textContent?.includes(`(${code})`),
    );
  const labels = (root: Element | undefined) =>
    [...(root?.querySelectorAll('button') ?? [])].map((b) =>
      b.textContent?.replace(/\s+/g, ' ').trim(),
    );
  const click = async (root: Element | undefined, label: string) => {
    [...(root?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label)
      ?.click();
    await settle();
  };

  async function open(options: {
    canDeploy: boolean;
    state?: 'DRAFT' | 'READY';
    canTestConnections?: boolean;
  }) {
    fixture = TestBed.createComponent(FlowEnvironments);
    fixture.componentRef.setInput('packageId', 'p-1');
    fixture.componentRef.setInput('flowId', 'f-1');
    fixture.componentRef.setInput('version', 1);
    fixture.componentRef.setInput('flowState', options.state ?? 'READY');
    fixture.componentRef.setInput('canDeploy', options.canDeploy);
    fixture.componentRef.setInput('canTestConnections', options.canTestConnections ?? false);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  beforeEach(() => {
    flows = new FakeFlowsApi();
    deployments = new FakeDeploymentsApi();
    tokens = [];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: FlowsApi, useValue: flows },
        { provide: DeploymentsApi, useValue: deployments },
        { provide: AuthService, useValue: { mfaConfirmed: (t: string) => tokens.push(t) } },
        { provide: ConfirmDialog, useValue: { ask: () => Promise.resolve(true) } },
        { provide: Notifier, useValue: { done: () => undefined, failed: () => undefined } },
      ],
    });
  });

  it('offers Deploy for a READY flow and deploys to that environment', async () => {
    await open({ canDeploy: true });
    expect(labels(environmentItem('DEV'))).toEqual(['Check readiness in DEV', 'Deploy to DEV']);
    await click(environmentItem('DEV'), 'Deploy to DEV');
    expect(deployments.calls).toEqual([['deploy', 'DEV']]);
  });

  it('offers no Deploy for a DRAFT flow, nor any action without flow:deploy', async () => {
    flows.items = [deployment('d-1', 'DEV', 'DEPLOYED', true)];
    await open({ canDeploy: true, state: 'DRAFT' });
    expect(labels(environmentItem('DEV'))).toEqual([
      'Check readiness in DEV',
      'Suspend in DEV',
      'Undeploy from DEV',
    ]);
    fixture.componentRef.setInput('canDeploy', false);
    await settle();
    expect(labels(environmentItem('DEV'))).toEqual(['Check readiness in DEV']);
    expect(element.querySelector('.history')?.textContent).not.toContain('Roll back');
  });

  it('offers Suspend or Resume as the active deployment state allows', async () => {
    flows.items = [
      deployment('d-2', 'PROD', 'SUSPENDED', true),
      deployment('d-1', 'DEV', 'DEPLOYED', true),
    ];
    await open({ canDeploy: true });
    expect(labels(environmentItem('DEV'))).toContain('Suspend in DEV');
    expect(labels(environmentItem('PROD'))).toContain('Resume in PROD');
    expect(labels(environmentItem('PROD'))).not.toContain('Suspend in PROD');
    await click(environmentItem('DEV'), 'Suspend in DEV');
    await click(environmentItem('PROD'), 'Resume in PROD');
    expect(deployments.calls).toEqual([
      ['suspend', 'd-1'],
      ['resume', 'd-2'],
    ]);
  });

  it('knows the active deployment of an environment even when it is older than the history shown', async () => {
    flows.items = [deployment('d-3', 'DEV', 'UNDEPLOYED', false)];
    flows.beyond = [deployment('d-0', 'PROD', 'SUSPENDED', true)];
    await open({ canDeploy: true });
    expect(labels(environmentItem('PROD'))).toContain('Resume in PROD');
    await click(environmentItem('PROD'), 'Resume in PROD');
    expect(deployments.calls).toEqual([['resume', 'd-0']]);
  });

  it('adds older deployments to the history on "Show older deployments"', async () => {
    flows.items = [deployment('d-2', 'DEV', 'DEPLOYED', true)];
    flows.older = [deployment('d-1', 'DEV', 'UNDEPLOYED', false)];
    await open({ canDeploy: true });
    const rows = () => element.querySelectorAll('.history tbody tr').length;
    expect(rows()).toBe(1);
    expect(element.textContent).toContain('1 of 2 deployments shown');
    await click(element, 'Show older deployments');
    expect(rows()).toBe(2);
    expect(element.textContent).not.toContain('Show older deployments');
  });

  it('shows the failing readiness items when the gate refuses the deploy', async () => {
    deployments.answers.push(
      refused(409, {
        code: 'flow_not_ready',
        detail: 'the flow cannot be deployed to DEV: 1 check(s) failed',
        items: [{ key: 'k', status: 'FAIL', explanation: 'Adapter Out has no URL in DEV' }],
      }),
    );
    await open({ canDeploy: true });
    await click(environmentItem('DEV'), 'Deploy to DEV');
    const items = environmentItem('DEV')?.querySelector('[aria-label^="Failing readiness"]');
    expect(items?.textContent).toContain('Adapter Out has no URL in DEV');
  });

  it('asks for an MFA code when the API wants a step-up, then deploys again', async () => {
    deployments.answers.push(
      refused(401, { code: 'mfa_required', detail: 'a recent MFA confirmation is needed' }),
    );
    await open({ canDeploy: true });
    await click(environmentItem('PROD'), 'Deploy to PROD');
    const input = environmentItem('PROD')?.querySelector<HTMLInputElement>('input[name=mfa-code]');
    if (!input) throw new Error('no MFA code input');
    input.value = '123456';
    input.dispatchEvent(new Event('input'));
    await settle();
    await click(environmentItem('PROD'), 'Confirm and continue');
    expect(deployments.codes).toEqual(['123456']);
    expect(tokens).toEqual(['stepped-up']);
    expect(deployments.calls).toEqual([
      ['deploy', 'PROD'],
      ['deploy', 'PROD'],
    ]);
  });

  it('rolls back to an earlier deployment from its history row', async () => {
    flows.items = [
      deployment('d-2', 'DEV', 'DEPLOYED', true),
      deployment('d-1', 'DEV', 'UNDEPLOYED', false),
    ];
    await open({ canDeploy: true });
    const rows = [...element.querySelectorAll('.history tbody tr')];
    expect(labels(rows[0])).not.toContain('Roll back to this');
    await click(rows[1], 'Roll back to this');
    expect(deployments.calls).toEqual([['rollback', 'd-1']]);
  });

  it('shows each readiness item as it arrives, with progress, until the result', async () => {
    await open({ canDeploy: false });
    await click(environmentItem('DEV'), 'Check readiness in DEV');
    expect(flows.checks).toEqual([['DEV', false]]);
    const dev = () => environmentItem('DEV');
    expect(dev()?.querySelector('mat-progress-bar')).not.toBeNull();
    const soFar = () =>
      [...(dev()?.querySelectorAll('[aria-label^="Readiness checklist so far"] li') ?? [])].map(
        (li) => li.querySelector('.explanation')?.textContent?.trim(),
      );
    expect(soFar()).toEqual([]);
    const graph = { key: 'graph', status: 'pass', explanation: 'The graph is valid' };
    const config = {
      key: 'config',
      status: 'fail',
      explanation: 'Adapter Out has no URL in DEV',
      fixHint: 'Set the URL in DEV',
      asset: { id: 'a-1', packageId: 'p-1', type: 'ADAPTER', name: 'Out' },
    } as unknown as ReadinessItemDto;
    flows.onItem(graph as ReadinessItemDto);
    await settle();
    expect(soFar()).toEqual(['The graph is valid']);
    expect(dev()?.textContent).toContain('1 item(s) checked so far');
    flows.onItem(config);
    await settle();
    expect(soFar()).toEqual(['The graph is valid', 'Adapter Out has no URL in DEV']);
    const link = dev()?.querySelector<HTMLAnchorElement>('.hint a');
    expect(link?.textContent).toBe('Open Out');
    expect(link?.getAttribute('href')).toBe('/packages/p-1/adapters/a-1');

    flows.result.settle({
      ok: true,
      data: { environment: 'DEV', ready: false, items: [graph, config] } as ReadinessResultDto,
    });
    await settle();
    expect(dev()?.querySelector('mat-progress-bar')).toBeNull();
    expect(dev()?.querySelector('.verdict')?.textContent).toContain('Not ready for DEV');
    const final = dev()?.querySelectorAll('[aria-label="Readiness checklist for DEV"] li');
    expect(final?.length).toBe(2);
    expect(labels(dev())).toContain('Check again in DEV');
  });

  it('offers running the connection tests now only with adapter:configure', async () => {
    await open({ canDeploy: false });
    expect(labels(environmentItem('DEV'))).not.toContain('Run connection tests now in DEV');
    fixture.componentRef.setInput('canTestConnections', true);
    await settle();
    await click(environmentItem('DEV'), 'Run connection tests now in DEV');
    expect(flows.checks).toEqual([['DEV', true]]);
  });
});
