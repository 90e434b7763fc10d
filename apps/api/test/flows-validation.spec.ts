import { createPackage } from './support/access-fixtures';
import {
  createFlow,
  createFlowAssets,
  postFlow,
  validFlow,
  type FlowAssets,
  type FlowBody,
  type FlowView,
} from './support/flows';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

const jsonSchema = (name: string) =>
  schemaDocument(
    name,
    JSON.stringify({ type: 'object', properties: { total: { type: 'number' } } }),
    'JSON_SCHEMA',
  );

type Node = Record<string, unknown> & { id: string };
const node = (body: FlowBody, id: string) => body.nodes.find((n) => n.id === id) as Node;

/**
 * Graph validation on save (issue 12): each rule broken alone in an otherwise valid flow is
 * saved as a draft with exactly that problem, naming its node (and edge); shape errors are 400.
 */
describe('flows: graph validation', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;
  let a: FlowAssets;
  let deletedSchema: string;
  let hiddenAdapter: string;
  /** A target adapter writing the source's schema (not what the mapping produces). */
  let inTarget: string;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Flow validation');
    const hidden = await createPackage(t, 'Somebody else');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    a = await createFlowAssets(t, pkg, 'Valid', jsonSchema, developer);
    const gone = json<{ id: string; version: number }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: jsonSchema('Gone'),
      }),
    );
    deletedSchema = gone.id;
    await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/schemas/${gone.id}`,
      headers: { 'if-match': `"${gone.version}"` },
    });
    inTarget = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/adapters`,
        payload: {
          name: 'Writes the input',
          adapterType: 'FILE',
          direction: 'TARGET',
          configuration: { folder: '/copy' },
          schemas: { message: a.inSchema },
        },
      }),
    ).id;
    hiddenAdapter = (await createFlowAssets(t, hidden, 'Secret', jsonSchema)).source;
  }, 90_000);
  afterAll(() => t.close());

  it('saves a complete flow without problems, with every referenced asset listed', async () => {
    const flow = await createFlow(t, pkg, validFlow(a, 'Complete'), developer);
    expect(flow).toMatchObject({ status: 'DRAFT', valid: true, problems: [], currentVersion: 1 });
    expect(flow.references.map((r) => [r.nodeId, r.role, r.crossPackage])).toEqual([
      ['in', 'adapter', false],
      ['check', 'schema', false],
      ['map', 'mapping', false],
      ['big', 'adapter', false],
      ['other', 'adapter', false],
    ]);
  });

  const cases: [string, (b: FlowBody) => void, [string, string | undefined][]][] = [
    [
      'a flow without a source',
      (b) => {
        b.nodes = b.nodes.filter((n) => n.id !== 'in');
        b.edges = b.edges.filter((e) => e.from !== 'in');
      },
      [['source_count', undefined]],
    ],
    [
      'a second source',
      (b) => {
        b.nodes.push({ ...node(b, 'in'), id: 'in2' } as never);
        b.edges.push({ from: 'in2', to: 'check' });
      },
      [['source_count', 'in2']],
    ],
    [
      'a node nothing leads to',
      (b) => {
        b.nodes.push({ ...node(b, 'big'), id: 'orphan' } as never);
      },
      [['unreachable', 'orphan']],
    ],
    [
      'a cycle',
      (b) => {
        (node(b, 'split')['routes'] as unknown[]).push({ branch: 'again', when: 'retry' });
        b.edges.push({ from: 'split', to: 'split', branch: 'again' });
      },
      [['cycle', 'split']],
    ],
    [
      'a mapping that does not exist',
      (b) => {
        node(b, 'map')['mapping'] = { assetId: '0b8f1a52-7c1e-4a8e-9d23-5d4c1b2a3f40' };
      },
      [['asset_unavailable', 'map']],
    ],
    [
      'a deleted schema',
      (b) => {
        node(b, 'check')['schema'] = { assetId: deletedSchema };
      },
      [['asset_not_live', 'check']],
    ],
    [
      'an asset of the wrong type',
      (b) => {
        node(b, 'check')['schema'] = { assetId: a.mapping };
      },
      [['asset_type', 'check']],
    ],
    [
      'a target adapter as the source',
      (b) => {
        node(b, 'in')['adapter'] = { assetId: a.target };
      },
      [['adapter_direction', 'in']],
    ],
    [
      'a pinned version that does not exist',
      (b) => {
        node(b, 'check')['schema'] = { assetId: a.inSchema, version: 9 };
      },
      [['asset_version', 'check']],
    ],
    [
      'a target expecting another payload than the route passes on',
      (b) => {
        node(b, 'other')['adapter'] = { assetId: inTarget };
      },
      [['payload_mismatch', 'other']],
    ],
    [
      'a validate step whose schema is not what the source produces',
      (b) => {
        node(b, 'check')['schema'] = { assetId: a.outSchema };
      },
      [
        ['payload_mismatch', 'check'],
        ['payload_mismatch', 'map'],
      ],
    ],
    [
      'a route without a default branch',
      (b) => {
        const split = node(b, 'split');
        split['defaultBranch'] = null;
        split['routes'] = [
          { branch: 'big', when: 'total > 100' },
          { branch: 'rest', when: 'total <= 100' },
        ];
      },
      [['route_default', 'split']],
    ],
    [
      'a route predicate that does not compile',
      (b) => {
        node(b, 'split')['routes'] = [{ branch: 'big', when: 'total >' }];
      },
      [['expression_invalid', 'split']],
    ],
    [
      'a cron expression that is not valid',
      (b) => {
        node(b, 'in')['trigger'] = { type: 'schedule', cron: '61 * * * *' };
      },
      [['cron_invalid', 'in']],
    ],
    [
      'a step with two next steps',
      (b) => {
        b.edges.push({ from: 'map', to: 'big' });
      },
      [['fan_out', 'map']],
    ],
    [
      'an edge leaving a target',
      (b) => {
        b.edges.push({ from: 'big', to: 'other' });
      },
      [['edge_from_terminal', 'big']],
    ],
    [
      'an edge from the error handler',
      (b) => {
        b.edges.push({ from: 'dlq', to: 'other' });
      },
      [['error_handler_edge', 'dlq']],
    ],
    [
      'an error handler sending to an adapter it does not name',
      (b) => {
        node(b, 'dlq')['destination'] = 'adapter';
      },
      [['asset_unavailable', 'dlq']],
    ],
    [
      'an error handler sending to a source adapter',
      (b) => {
        node(b, 'dlq')['destination'] = 'adapter';
        node(b, 'dlq')['adapter'] = { assetId: a.source };
      },
      [['adapter_direction', 'dlq']],
    ],
  ];

  it.each(cases)(
    'saves %s as a draft with exactly that problem',
    async (what, breakIt, expected) => {
      const body = validFlow(a, `Broken: ${what}`);
      breakIt(body);
      const flow = await createFlow(t, pkg, body, developer);
      expect(flow.valid).toBe(false);
      expect(flow.problems.map((p) => [p.code, p.nodeId])).toEqual(expected);
      for (const p of flow.problems) expect(p.message).toEqual(expect.any(String));
      const checked = json<{ valid: boolean; problems: FlowView['problems'] }>(
        await t.request({
          method: 'GET',
          url: `/api/packages/${pkg}/flows/${flow.id}/validation`,
          as: developer,
        }),
      );
      expect(checked.problems).toEqual(flow.problems);
    },
  );

  it('names the edge a problem is about', async () => {
    const body = validFlow(a, 'Edge named');
    body.edges.push({ from: 'big', to: 'other' });
    const flow = await createFlow(t, pkg, body, developer);
    expect(flow.problems[0].edge).toEqual({ from: 'big', to: 'other' });
  });

  it('never names an asset the caller cannot read', async () => {
    const body = validFlow(a, 'Peeking');
    node(body, 'in')['adapter'] = { assetId: hiddenAdapter };
    const flow = await createFlow(t, pkg, body, developer);
    expect(flow.problems).toEqual([
      expect.objectContaining({ code: 'asset_unavailable', nodeId: 'in' }),
    ]);
    expect(flow.problems[0].message).toContain('is not an asset you can read');
    expect(flow.problems[0].message).not.toContain('Secret');
  });

  const shapes: [string, (b: FlowBody) => void, string][] = [
    ['an unknown node kind', (b) => void (node(b, 'map')['kind'] = 'teleport'), '/nodes/2/kind'],
    [
      'a node without a position',
      (b) => void delete node(b, 'map')['position'],
      '/nodes/2/position',
    ],
    ['a field the kind does not have', (b) => void (node(b, 'map')['cron'] = 'x'), '/nodes/2/cron'],
    [
      'a schedule without cron',
      (b) => void (node(b, 'in')['trigger'] = { type: 'schedule' }),
      '/nodes/0/trigger/cron',
    ],
    ['a node id used twice', (b) => void (node(b, 'map')['id'] = 'check'), '/nodes/2/id'],
    [
      'an edge to a node that does not exist',
      (b) => void b.edges.push({ from: 'map', to: 'nowhere' }),
      '/edges/5/to',
    ],
    [
      'an asset id that is not a uuid',
      (b) => void (node(b, 'map')['mapping'] = { assetId: 'm1' }),
      '/nodes/2/mapping/assetId',
    ],
    [
      'a rate limit of no messages',
      (b) => void (node(b, 'in')['rateLimit'] = { messages: 0, perSeconds: 1 }),
      '/nodes/0/rateLimit/messages',
    ],
    [
      'a rate limit over a fraction of a second',
      (b) => void (node(b, 'in')['rateLimit'] = { messages: 10, perSeconds: 0.5 }),
      '/nodes/0/rateLimit/perSeconds',
    ],
  ];

  it.each(shapes)(
    'refuses %s with 400 naming the field, and writes nothing',
    async (what, breakIt, path) => {
      const body = validFlow(a, `Shape: ${what}`);
      breakIt(body);
      const response = await postFlow(t, pkg, body, developer);
      expect(response.statusCode).toBe(400);
      const problem = json<{ errors: { path: string }[] }>(response);
      expect(problem.errors.map((e) => e.path)).toContain(path);
      const listed = json<{ items: unknown[] }>(
        await t.request({
          method: 'GET',
          url: `/api/packages/${pkg}/container/flows?q=${encodeURIComponent('Shape')}`,
        }),
      );
      expect(listed.items).toEqual([]);
    },
  );
});
