import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { type FlowDetailDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { FlowsApi } from '../../api/flows-api.service';
import { MappingsApi } from '../../api/mappings-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { SchemasApi } from '../../api/schemas-api.service';
import { type LiveMessage } from '../../live/live-connection';
import { LIVE_REFETCH_DEBOUNCE, LiveEvents } from '../../live/live-events.service';
import { ConflictResolver } from '../../ui/conflict-dialog';
import { Notifier } from '../../ui/notifier';
import { FlowDesignerPage } from './flow-designer-page';

// jsdom has no layout: Foblex only needs ResizeObserver to exist.
globalThis.ResizeObserver ??= class {
  observe = () => undefined;
  unobserve = () => undefined;
  disconnect = () => undefined;
};

const PKG = 'p-1';
const FLOW = 'f-1';

const flowAt = (version: number, by: string, nodes: unknown[] = []): FlowDetailDto =>
  ({
    id: FLOW,
    name: 'Orders',
    status: 'DRAFT',
    version,
    currentVersion: version,
    nodes,
    edges: [],
    problems: [],
    allowedTransitions: ['READY'],
    updatedBy: by,
    updatedByName: by,
    updatedAt: '2026-11-29T08:00:00.000Z',
  }) as unknown as FlowDetailDto;

const ok = <T>(data: T): Promise<ApiResult<T>> => Promise.resolve({ ok: true, data });
const emptyList = () => ok({ items: [], nextCursor: null, total: 0 });

/** The flow as the server holds it; saves answer 412 when their version is stale. */
class FakeFlowsApi {
  server = flowAt(1, 'ann');
  gets = 0;
  readonly updates: number[] = [];
  get(): Promise<ApiResult<FlowDetailDto>> {
    this.gets++;
    return ok(this.server);
  }
  update(_: string, __: string, body: { version: number }): Promise<ApiResult<FlowDetailDto>> {
    this.updates.push(body.version);
    if (body.version !== this.server.version)
      return Promise.resolve({
        ok: false,
        failure: { status: 412, problem: null, retryAfter: null },
      });
    this.server = flowAt(body.version + 1, 'me', (body as unknown as { nodes: unknown[] }).nodes);
    return ok(this.server);
  }
  validateDraft() {
    return ok({ problems: [] });
  }
}

describe('FlowDesignerPage and saves made elsewhere', () => {
  let fixture: ComponentFixture<FlowDesignerPage>;
  let page: FlowDesignerPage;
  let flows: FakeFlowsApi;
  let events: Subject<LiveMessage>;
  let conflicts: { asked: number; resolve: () => Promise<unknown> };
  let seq = 0;

  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      fixture.changeDetectorRef.markForCheck();
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  const text = () => (fixture.nativeElement as HTMLElement).textContent?.replace(/\s+/g, ' ');
  /** Another user saves the flow: the server has a new version, the socket says so. */
  const savedByOther = async (nodes: unknown[] = []) => {
    flows.server = flowAt(flows.server.version + 1, 'bob', nodes);
    events.next({
      type: 'asset.updated',
      seq: ++seq,
      packageId: PKG,
      assetId: FLOW,
      assetType: 'FLOW',
      version: flows.server.version,
    });
    await settle();
  };

  beforeEach(async () => {
    flows = new FakeFlowsApi();
    events = new Subject<LiveMessage>();
    conflicts = {
      asked: 0,
      resolve: () => {
        conflicts.asked++;
        return Promise.resolve({ choice: null, theirs: null });
      },
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: FlowsApi, useValue: flows },
        {
          provide: PackagesApi,
          useValue: { get: () => ok({ id: PKG, name: 'Shop', yourPermissions: ['asset:write'] }) },
        },
        { provide: AdaptersApi, useValue: { overview: emptyList } },
        { provide: MappingsApi, useValue: { list: emptyList } },
        { provide: SchemasApi, useValue: { list: emptyList, readable: emptyList } },
        { provide: LiveEvents, useValue: { forPackage: () => events.asObservable() } },
        { provide: LIVE_REFETCH_DEBOUNCE, useValue: 0 },
        { provide: ConflictResolver, useValue: conflicts },
        { provide: Notifier, useValue: { done: () => undefined, failed: () => undefined } },
      ],
    });
    fixture = TestBed.createComponent(FlowDesignerPage);
    fixture.componentRef.setInput('id', PKG);
    fixture.componentRef.setInput('flowId', FLOW);
    page = fixture.componentInstance;
    await settle();
    expect(page.flow()?.version).toBe(1);
  });

  it('takes the other version silently when the draft has no unsaved changes', async () => {
    const step = { id: 'map-1', kind: 'map', position: { x: 0, y: 0 } };
    await savedByOther([step]);
    expect(page.flow()?.version).toBe(2);
    expect(page.content().nodes.map((node) => node.id)).toEqual(['map-1']);
    expect(page.dirty()).toBe(false);
    expect(page.savedElsewhere()).toBeNull();
    expect(text()).not.toContain('changed this flow elsewhere');
  });

  it('keeps unsaved changes, says the flow changed elsewhere, and saving meets the conflict dialog', async () => {
    page.addFromKeyboard({ kind: 'map' });
    await settle();
    expect(page.dirty()).toBe(true);

    await savedByOther();
    expect(text()).toContain('bob changed this flow elsewhere');
    expect(text()).toContain('version 2');
    expect(page.flow()?.version).toBe(1);
    expect(page.content().nodes).toHaveLength(1);

    await page.save();
    await settle();
    expect(flows.updates).toEqual([1]);
    expect(conflicts.asked).toBe(1);
  });

  it('saves a rate limit typed into a source step’s side panel in the flow content', async () => {
    const source = {
      id: 'in',
      kind: 'source',
      position: { x: 0, y: 0 },
      adapter: { assetId: 'a-1', version: null },
      trigger: { type: 'manual' },
    };
    await savedByOther([source]);
    page.selectedNodes.set(['in']);
    await settle();
    const fields = [...(fixture.nativeElement as HTMLElement).querySelectorAll('label')];
    for (const [label, value] of [
      ['Rate limit: messages', '100'],
      ['per seconds', '60'],
    ]) {
      const input = fields
        .find((l) => l.textContent?.trim().startsWith(label))
        ?.querySelector('input');
      if (!input) throw new Error(`no field "${label}"`);
      input.value = value;
      input.dispatchEvent(new Event('change'));
      await settle();
    }
    await page.save();
    await settle();
    expect(flows.server.nodes).toEqual([
      { ...source, rateLimit: { messages: 100, perSeconds: 60 } },
    ]);
  });

  it('does not take its own save for a change made elsewhere', async () => {
    page.addFromKeyboard({ kind: 'map' });
    await settle();
    await page.save();
    await settle();
    expect(page.flow()?.version).toBe(2);
    const gets = flows.gets;

    events.next({
      type: 'asset.updated',
      seq: ++seq,
      packageId: PKG,
      assetId: FLOW,
      assetType: 'FLOW',
      version: 2,
    });
    await settle();
    expect(flows.gets).toBe(gets);
    expect(page.savedElsewhere()).toBeNull();
    expect(page.dirty()).toBe(false);
  });
});
