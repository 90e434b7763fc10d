import { createPackage } from './support/access-fixtures';
import { createMapping } from './support/mappings';
import { createSchema, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface SampleRecheck {
  mappingId: string;
  packageId: string;
  name: string;
  side: string;
  pinnedVersion: number | null;
  total: number;
  passed: number;
  failed: number;
  failures: { sampleId: string; sampleName: string; reason: string; failsToday: boolean }[];
  error: string | null;
}

interface Impact {
  verdict: { compatibility: string } | null;
  sampleTests: SampleRecheck[] | null;
  notAnalysed: string[];
}

const IN = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };
const OUT_V1 = {
  type: 'object',
  properties: { amount: { type: 'number' } },
  required: ['amount'],
};
/** Version 2: the amount becomes a string and a currency is required — breaking. */
const OUT_V2 = {
  type: 'object',
  properties: { amount: { type: 'string' }, currency: { type: 'string' } },
  required: ['amount', 'currency'],
};

/**
 * Impact analysis re-runs the samples of the mappings that use a schema against a proposed
 * version of it (GET …/assets/{schemaId}/impact?proposedVersion=): which would fail, and why.
 */
describe('impact analysis: mapping samples re-run against a proposed schema version', () => {
  let t: TestApp;
  let pkg: string;
  let other: string;
  let reader: TestUser;
  let out: string;
  let mapping: string;
  let hiddenMapping: string;

  const addSample = (packageId: string, mappingId: string, body: Record<string, unknown>) =>
    t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/mappings/${mappingId}/samples`,
      payload: body,
    });
  const impact = async (query: string, as?: TestUser) => {
    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/assets/${out}/impact${query}`,
      ...(as ? { as } : {}),
    });
    expect(response.statusCode).toBe(200);
    return json<Impact>(response);
  };

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Impact samples');
    other = await createPackage(t, 'Other team');
    reader = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    const doc = (name: string, body: object) =>
      schemaDocument(name, JSON.stringify(body), 'JSON_SCHEMA');
    const input = (await createSchema(t, pkg, doc('Order total', IN))).id;
    const v1 = await createSchema(t, pkg, doc('Payment', OUT_V1));
    out = v1.id;
    const body = (name: string) => ({
      name,
      kind: 'JSONATA',
      sourceSchema: { assetId: input },
      targetSchema: { assetId: out, version: 1 },
      rules: [{ target: '/amount', expression: 'total' }],
    });
    mapping = (await createMapping(t, pkg, body('Total to payment'))).id;
    hiddenMapping = (await createMapping(t, other, body('Other team payment'))).id;
    for (const [packageId, id] of [
      [pkg, mapping],
      [other, hiddenMapping],
    ] as const) {
      expect(
        (
          await addSample(packageId, id, {
            name: 'Five',
            input: '{"total": 5}',
            expectedOutput: '{"amount": 5}',
          })
        ).statusCode,
      ).toBe(201);
    }
    expect(
      (await addSample(pkg, mapping, { name: 'No total', input: '{"sum": 5}' })).statusCode,
    ).toBe(201);
    const updated = await t.request({
      method: 'PUT',
      url: `/api/packages/${pkg}/schemas/${out}`,
      headers: { 'if-match': `"${v1.version}"` },
      payload: { document: JSON.stringify(OUT_V2) },
    });
    expect(updated.statusCode).toBe(200);
  }, 60_000);
  afterAll(() => t.close());

  it('reports which samples would fail against the proposed version, and why', async () => {
    const result = await impact('?proposedVersion=2');
    expect(result.verdict).toMatchObject({ compatibility: 'breaking' });
    expect(result.notAnalysed).not.toContain('SAMPLE_TESTS');
    const mine = result.sampleTests?.find((s) => s.mappingId === mapping);
    expect(mine).toMatchObject({
      packageId: pkg,
      name: 'Total to payment',
      side: 'target',
      pinnedVersion: 1,
      total: 2,
      passed: 0,
      failed: 2,
      error: null,
    });
    const five = mine?.failures.find((f) => f.sampleName === 'Five');
    // Passes against version 1 today; version 2 wants a string amount and a currency.
    expect(five?.failsToday).toBe(false);
    expect(five?.reason).toMatch(/^the output does not fit the target schema/);
    const noTotal = mine?.failures.find((f) => f.sampleName === 'No total');
    expect(noTotal).toMatchObject({ failsToday: true });
    expect(noTotal?.reason).toMatch(/^the input does not fit the source schema/);
  });

  it('passes the samples again against the version they were written for', async () => {
    const result = await impact('?proposedVersion=1');
    const mine = result.sampleTests?.find((s) => s.mappingId === mapping);
    expect(mine).toMatchObject({ total: 2, passed: 1, failed: 1 });
    expect(mine?.failures.map((f) => [f.sampleName, f.failsToday])).toEqual([['No total', true]]);
  });

  it('re-runs only the mappings the caller can read, and none without a proposed version', async () => {
    const all = await impact('?proposedVersion=2');
    expect(all.sampleTests?.map((s) => s.mappingId).sort()).toEqual(
      [mapping, hiddenMapping].sort(),
    );
    const forReader = await impact('?proposedVersion=2', reader);
    expect(forReader.sampleTests?.map((s) => s.mappingId)).toEqual([mapping]);
    expect(JSON.stringify(forReader)).not.toContain('Other team payment');
    expect((await impact('')).sampleTests).toBeNull();
  });
});
