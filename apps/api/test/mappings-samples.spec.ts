import { INVOICE_SUMMARY_EXPECTED } from '../src/demo/invoice-summary';
import { createPackage } from './support/access-fixtures';
import {
  createMapping,
  invoiceMappingBody,
  summarySchemaBody,
  UBL_INVOICE_EXAMPLE,
} from './support/mappings';
import { corpusText, createSchema, ublUpload } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Sample {
  id: string;
  name: string;
  version: number;
  input: string;
  expectedOutput: string | null;
}

interface TestResult {
  sampleName: string | null;
  passed: boolean;
  output: string | null;
  inputValid: boolean;
  inputErrors: { path?: string; message: string }[];
  outputValid: boolean | null;
  outputErrors: { path?: string; message: string }[];
  error: { code: string; message: string } | null;
  diff: { path: string; op: string; expected?: unknown; actual?: unknown }[] | null;
  durationMs: number;
}

/** Low enough to stop the runaway quickly, high enough for a cold worker on a loaded machine. */
const TIMEOUT_MS = 3_000;

/**
 * A mapping's named samples and its sample tests: input validated against the source schema,
 * the transformation run in a worker under limits, output validated against the target schema
 * and compared with the expected output (UBL 2.1 Invoice → JSON invoice summary).
 */
describe('mapping samples and tests', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;
  let viewer: TestUser;
  let invoice: string;
  let summary: string;
  let mapping: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { mappingTimeoutMs: TIMEOUT_MS, mappingWorkers: 1 } });
    pkg = await createPackage(t, 'Mapping samples');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    invoice = (await createSchema(t, pkg, ublUpload('Invoice'))).id;
    summary = (await createSchema(t, pkg, summarySchemaBody())).id;
    mapping = (await createMapping(t, pkg, invoiceMappingBody('UBL to summary', invoice, summary)))
      .id;
  }, 60_000);
  afterAll(() => t.close());

  const url = (rest = '') => `/api/packages/${pkg}/mappings/${mapping}${rest}`;
  const addSample = (body: Record<string, unknown>, as: TestUser = developer) =>
    t.request({ method: 'POST', url: url('/samples'), payload: body, as });
  const runTest = (body: Record<string, unknown>, as: TestUser = developer) =>
    t.request({ method: 'POST', url: url('/test'), payload: body, as });

  it('stores named samples: list without payloads, optimistic updates, unique names, delete', async () => {
    const created = await addSample({ name: 'Scratch', input: '<Invoice/>' });
    expect(created.statusCode).toBe(201);
    const sample = json<Sample>(created);
    expect(sample).toMatchObject({ name: 'Scratch', version: 1, expectedOutput: null });

    expect((await addSample({ name: 'scratch', input: '<x/>' })).statusCode).toBe(409);
    expect((await addSample({ name: 'By a viewer', input: '<x/>' }, viewer)).statusCode).toBe(403);

    const list = json<{ items: Record<string, unknown>[] }>(
      await t.request({ method: 'GET', url: url('/samples'), as: viewer }),
    );
    expect(list.items).toEqual([
      expect.objectContaining({ id: sample.id, name: 'Scratch', hasExpectedOutput: false }),
    ]);
    expect(list.items[0]).not.toHaveProperty('input');

    const updated = await t.request({
      method: 'PUT',
      url: url(`/samples/${sample.id}`),
      payload: { version: 1, expectedOutput: '{}' },
      as: developer,
    });
    expect(json<Sample>(updated)).toMatchObject({
      version: 2,
      input: '<Invoice/>',
      expectedOutput: '{}',
    });
    const stale = await t.request({
      method: 'PUT',
      url: url(`/samples/${sample.id}`),
      payload: { version: 1, name: 'Stale' },
      as: developer,
    });
    expect(stale.statusCode).toBe(412);

    const removed = await t.request({
      method: 'DELETE',
      url: url(`/samples/${sample.id}`),
      as: developer,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await t.request({
      method: 'GET',
      url: url(`/samples/${sample.id}`),
      as: developer,
    });
    expect(gone.statusCode).toBe(404);
    const audit = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'mapping_sample' AND entity_id = $1
        ORDER BY occurred_at`,
      [sample.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
  });

  it('runs a stored sample: the UBL example maps to the expected summary, valid, without differences', async () => {
    const sample = json<Sample>(
      await addSample({
        name: 'OASIS example',
        input: UBL_INVOICE_EXAMPLE(),
        expectedOutput: JSON.stringify(INVOICE_SUMMARY_EXPECTED),
      }),
    );
    const result = json<TestResult>(await runTest({ sampleId: sample.id }, viewer));
    expect(result).toMatchObject({
      sampleName: 'OASIS example',
      passed: true,
      inputValid: true,
      outputValid: true,
      error: null,
      diff: [],
    });
    expect(JSON.parse(result.output ?? 'null')).toEqual(INVOICE_SUMMARY_EXPECTED);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('reports the differences from an ad-hoc expected output by JSON pointer', async () => {
    const expected = {
      ...INVOICE_SUMMARY_EXPECTED,
      id: 'OTHER',
      totals: { payable: 729, currency: 'EUR' },
    };
    const result = json<TestResult>(
      await runTest({ input: UBL_INVOICE_EXAMPLE(), expectedOutput: JSON.stringify(expected) }),
    );
    expect(result.passed).toBe(false);
    expect(result.diff).toEqual([
      { path: '/id', op: 'changed', expected: 'OTHER', actual: 'TOSL108' },
      { path: '/totals/lineTotal', op: 'added', actual: 1436.5 },
    ]);
  });

  it('reports an input the source schema refuses, with the errors located', async () => {
    const result = json<TestResult>(
      await runTest({ input: corpusText('xsd/ubl-2.1/examples/UBL-Order-2.1-Example.xml') }),
    );
    expect(result.inputValid).toBe(false);
    expect(result.inputErrors.length).toBeGreaterThan(0);
    expect(result.passed).toBe(false);
    // An Order is not read as an Invoice: nothing to transform.
    expect(result.error).toMatchObject({ code: 'input_unreadable' });
    const garbage = json<TestResult>(await runTest({ input: 'not XML at all' }));
    expect(garbage).toMatchObject({ inputValid: false, error: { code: 'input_unreadable' } });
  });

  it('test-all runs every sample and reports an invalid output with its path', async () => {
    await addSample({
      name: 'Lower-case currency',
      input: UBL_INVOICE_EXAMPLE().replace(
        />EUR<\/cbc:DocumentCurrencyCode>/,
        '>eur</cbc:DocumentCurrencyCode>',
      ),
    });
    const run = json<{ total: number; passed: number; failed: number; results: TestResult[] }>(
      await t.request({ method: 'POST', url: url('/test-all'), payload: {}, as: viewer }),
    );
    expect(run).toMatchObject({ total: 2, passed: 1, failed: 1 });
    const failed = run.results.find((r) => r.sampleName === 'Lower-case currency');
    expect(failed).toMatchObject({
      inputValid: true,
      outputValid: false,
      passed: false,
      diff: null,
    });
    expect(failed?.outputErrors).toEqual([expect.objectContaining({ path: '/totals/currency' })]);
  });

  it('refuses a body with both or neither of sampleId and input', async () => {
    expect((await runTest({})).statusCode).toBe(400);
    expect((await runTest({ input: '{}', sampleId: mapping })).statusCode).toBe(400);
  });

  it('keeps samples of a mapping locked by someone else unchanged (423)', async () => {
    const other = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    expect(
      (await t.request({ method: 'PUT', url: `${url()}/lock`, as: developer })).statusCode,
    ).toBe(200);
    const refused = await addSample({ name: 'Not while locked', input: '<x/>' }, other);
    expect(refused.statusCode).toBe(423);
    expect(
      (await t.request({ method: 'DELETE', url: `${url()}/lock`, as: developer })).statusCode,
    ).toBe(200);
  });

  it('answers 422 empty_mapping when a draft mapping without rules is run', async () => {
    const draft = await createMapping(t, pkg, {
      name: 'Draft',
      kind: 'JSONATA',
      sourceSchema: { assetId: invoice, root: 'Invoice' },
      targetSchema: { assetId: summary },
    });
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/mappings/${draft.id}/test`,
      payload: { input: UBL_INVOICE_EXAMPLE() },
    });
    expect(response.statusCode).toBe(422);
    expect(
      json<{ code: string; errors: { path: string; code: string }[] }>(response),
    ).toMatchObject({
      code: 'mapping_invalid',
      errors: [{ path: 'rules', code: 'empty_mapping' }],
    });
  });

  it('stops a runaway expression at the time limit, reports it, and keeps answering', async () => {
    const runaway = await createMapping(t, pkg, {
      name: 'Runaway',
      kind: 'JSONATA',
      sourceSchema: { assetId: summary },
      targetSchema: { assetId: summary },
      documentExpression: '($f := function($n) { $f($n + 1) }; $f(0))',
    });
    const started = Date.now();
    const result = json<TestResult>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/mappings/${runaway.id}/test`,
        payload: { input: '{}' },
      }),
    );
    expect(result).toMatchObject({ passed: false, output: null, error: { code: 'time_limit' } });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 5);
    const after = json<TestResult>(await runTest({ input: UBL_INVOICE_EXAMPLE() }));
    expect(after.error).toBeNull();
    expect(after.outputValid).toBe(true);
  }, 30_000);
});
