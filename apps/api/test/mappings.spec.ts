import { createPackage } from './support/access-fixtures';
import {
  createMapping,
  invoiceMappingBody,
  postMapping,
  summarySchemaBody,
  type MappingProblem,
  type MappingView,
} from './support/mappings';
import { createSchema, noteXsd, schemaDocument, ublUpload } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The mapping asset (issue 11): created and updated with both schemas resolved and every
 * expression compiled, versioned like every asset, its schemas as dependency edges.
 */
describe('mappings: save, compile, versions and dependency edges', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;
  let invoice: string;
  let summary: string;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Mappings');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    invoice = (await createSchema(t, pkg, ublUpload('Invoice'), developer)).id;
    summary = (await createSchema(t, pkg, summarySchemaBody(), developer)).id;
  }, 60_000);
  afterAll(() => t.close());

  const url = (rest = '') => `/api/packages/${pkg}/mappings${rest}`;

  it('creates a mapping with warnings for source fields the source schema lacks, and GET answers them', async () => {
    const created = await createMapping(
      t,
      pkg,
      invoiceMappingBody('With a typo', invoice, summary, [
        { target: '/id', expression: "ID.'#text'" },
        { target: '/lines[]/item', expression: "InvoiceLine.Itm.Name.'#text'" },
      ]),
      developer,
    );
    expect(created).toMatchObject({
      kind: 'JSONATA',
      currentVersion: 1,
      sourceSchema: { assetId: invoice, version: null, root: 'Invoice' },
      targetSchema: { assetId: summary, version: null, root: null },
      warnings: [
        { location: 'rules[1]', path: '/Invoice/InvoiceLine/Itm', code: 'unknown_source_field' },
      ],
    });
    const read = json<MappingView>(
      await t.request({ method: 'GET', url: url(`/${created.id}`), as: developer }),
    );
    expect(read.warnings).toEqual(created.warnings);
  });

  it('refuses expressions that do not compile with 422 naming the rule and the position, and writes nothing', async () => {
    const refused = await postMapping(
      t,
      pkg,
      invoiceMappingBody('Broken', invoice, summary, [
        { target: '/id', expression: "ID.'#text'" },
        { target: '/totals/payable', expression: 'LegalMonetaryTotal.PayableAmount[' },
        { target: '/nowhere', expression: 'ID' },
      ]),
      developer,
    );
    expect(refused.statusCode).toBe(422);
    const problem = json<MappingProblem>(refused);
    expect(problem.code).toBe('mapping_invalid');
    expect(problem.errors.map((e) => [e.path, e.code])).toEqual([
      ['rules[1].expression', 'syntax_error'],
      ['rules[2].target', 'unknown_target'],
    ]);
    expect(problem.problems[0]).toMatchObject({ location: 'rules[1]', target: '/totals/payable' });
    expect(problem.problems[0].position).toEqual(expect.any(Number));
    expect(problem.errors[0].message).toMatch(/\(position \d+\)$/);
    const names = json<{ items: { name: string }[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/container/mappings?q=broken` }),
    );
    expect(names.items).toEqual([]);
  });

  it('refuses an XSLT stylesheet using what the engine cannot run, naming the file and line, and runs one it can', async () => {
    const note = (await createSchema(t, pkg, schemaDocument('Note XSD', noteXsd()))).id;
    const stylesheet = `<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <xsl:analyze-string select="." regex="a"/>
  </xsl:template>
</xsl:stylesheet>`;
    const body = {
      name: 'Note copy',
      kind: 'XSLT',
      sourceSchema: { assetId: note },
      targetSchema: { assetId: note },
      stylesheet,
    };
    const refused = await postMapping(t, pkg, body, developer);
    expect(refused.statusCode).toBe(422);
    const problem = json<MappingProblem>(refused);
    expect(problem.errors[0].path).toBe('stylesheet');
    expect(problem.problems[0].location).toMatch(/^stylesheet:3$/);

    const toJson = await postMapping(
      t,
      pkg,
      { ...body, name: 'Note to JSON', targetSchema: { assetId: summary }, stylesheet: identity },
      developer,
    );
    expect(toJson.statusCode).toBe(422);
    expect(json<MappingProblem>(toJson).errors).toEqual([
      expect.objectContaining({ path: 'targetSchema.assetId', code: 'type' }),
    ]);
    const ok = await postMapping(t, pkg, { ...body, stylesheet: identity }, developer);
    expect(ok.statusCode).toBe(201);
    const letter = '<Note xmlns="urn:test:note"><to>Ann</to><body>Hello</body></Note>';
    const run = json<{ passed: boolean; output: string; outputValid: boolean }>(
      await t.request({
        method: 'POST',
        url: url(`/${json<MappingView>(ok).id}/test`),
        payload: { input: letter, expectedOutput: letter },
        as: developer,
      }),
    );
    expect(run).toMatchObject({ passed: true, outputValid: true });
    expect(run.output).toContain('<to>Ann</to>');
  });

  it('keeps versions: an update makes version 2, the diff names what changed, rollback brings version 1 back as version 3', async () => {
    const created = await createMapping(
      t,
      pkg,
      invoiceMappingBody('Versioned', invoice, summary, [
        { target: '/id', expression: "ID.'#text'" },
      ]),
      developer,
    );
    const updated = await t.request({
      method: 'PUT',
      url: url(`/${created.id}`),
      payload: {
        version: created.version,
        rules: [{ target: '/id', expression: "UUID.'#text'" }],
        targetSchema: { assetId: summary, version: 1 },
      },
      as: developer,
    });
    expect(updated.statusCode).toBe(200);
    const v2 = json<MappingView>(updated);
    expect(v2).toMatchObject({ currentVersion: 2, targetSchema: { version: 1 } });
    expect(v2.sourceSchema.root).toBe('Invoice');

    const versions = json<{ items: { version: number }[] }>(
      await t.request({ method: 'GET', url: url(`/${created.id}/versions`), as: developer }),
    );
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    const diff = json<{ from: number; to: number; changes: unknown[] }>(
      await t.request({ method: 'GET', url: url(`/${created.id}/diff`), as: developer }),
    );
    expect(diff).toEqual({
      from: 1,
      to: 2,
      changes: [
        { path: '/targetSchema/version', op: 'changed', before: null, after: 1 },
        { path: '/rules/~1id', op: 'changed', before: "ID.'#text'", after: "UUID.'#text'" },
      ],
    });
    const rolledBack = await t.request({
      method: 'POST',
      url: url(`/${created.id}/rollback`),
      headers: { 'if-match': String(v2.version) },
      payload: { version: 1 },
      as: developer,
    });
    expect(rolledBack.statusCode).toBe(200);
    expect(json<MappingView>(rolledBack)).toMatchObject({
      currentVersion: 3,
      rules: [{ target: '/id', expression: "ID.'#text'" }],
      targetSchema: { version: null },
    });
    const pinnedTooFar = await t.request({
      method: 'PUT',
      url: url(`/${created.id}`),
      payload: {
        version: json<MappingView>(rolledBack).version,
        targetSchema: { assetId: summary, version: 9 },
      },
      as: developer,
    });
    expect(pinnedTooFar.statusCode).toBe(422);
    expect(json<MappingProblem>(pinnedTooFar).errors.map((e) => e.path)).toEqual([
      'targetSchema.version',
    ]);
  });

  it("records both schemas as dependency edges: a schema's impact lists the mapping and its delete is refused", async () => {
    const target = (await createSchema(t, pkg, summarySchemaBody('Edge summary'), developer)).id;
    const mapping = await createMapping(
      t,
      pkg,
      invoiceMappingBody('Edged', invoice, target, [{ target: '/id', expression: "ID.'#text'" }]),
      developer,
    );
    const diff = json<{ dependents: { id: string; name: string }[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/schemas/${target}/diff` }),
    );
    expect(diff.dependents).toEqual([expect.objectContaining({ id: mapping.id, name: 'Edged' })]);
    const refused = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/schemas/${target}`,
      as: developer,
    });
    expect(refused.statusCode).toBe(409);
    const edges = await t.db.pool.query<{ kind: string; to_asset_id: string }>(
      `SELECT kind, to_asset_id FROM package_asset_dependencies WHERE from_asset_id = $1 ORDER BY kind`,
      [mapping.id],
    );
    expect(edges.rows).toEqual([
      { kind: 'MAPPING_SOURCE_SCHEMA', to_asset_id: invoice },
      { kind: 'MAPPING_TARGET_SCHEMA', to_asset_id: target },
    ]);
  });

  it('completeness lists covered, missing required and unmapped optional target fields', async () => {
    const partial = await createMapping(
      t,
      pkg,
      invoiceMappingBody('Partial', invoice, summary, [
        { target: '/id', expression: "ID.'#text'" },
        {
          target: '/supplier/name',
          expression: "AccountingSupplierParty.Party.PartyName[0].Name.'#text'",
        },
      ]),
      developer,
    );
    const report = json<{
      complete: boolean;
      covered: string[];
      missingRequired: { path: string }[];
      unmappedOptional: string[];
    }>(await t.request({ method: 'GET', url: url(`/${partial.id}/completeness`), as: developer }));
    expect(report.complete).toBe(false);
    expect(report.covered).toEqual(expect.arrayContaining(['/id', '/supplier/name']));
    expect(report.missingRequired.map((f) => f.path)).toEqual(
      expect.arrayContaining(['/issueDate', '/customer', '/totals', '/lines']),
    );
    expect(report.unmappedOptional).toContain('/supplier/vat');

    const full = await createMapping(
      t,
      pkg,
      invoiceMappingBody('Full', invoice, summary),
      developer,
    );
    const complete = json<{ complete: boolean; missingRequired: unknown[] }>(
      await t.request({ method: 'GET', url: url(`/${full.id}/completeness`), as: developer }),
    );
    expect(complete).toMatchObject({ complete: true, missingRequired: [] });
  });

  it('refuses a schema in a package the caller cannot read, without naming it', async () => {
    const hiddenPkg = await createPackage(t, 'Hidden mapping schemas');
    const hidden = await createSchema(t, hiddenPkg, summarySchemaBody('Secret summary'));
    const refused = await postMapping(
      t,
      pkg,
      invoiceMappingBody('Peeking', invoice, hidden.id, [{ target: '/id', expression: 'ID' }]),
      developer,
    );
    expect(refused.statusCode).toBe(422);
    expect(json<MappingProblem>(refused).errors).toEqual([
      { path: 'targetSchema.assetId', code: 'not_found', message: 'is not a schema you can read' },
    ]);
    expect(refused.body).not.toContain('Secret summary');
    expect(refused.body).not.toContain(hiddenPkg);
    // The administrator, who can read both packages, may use it.
    expect(
      (
        await postMapping(
          t,
          pkg,
          invoiceMappingBody('Admin cross', invoice, hidden.id, [
            { target: '/id', expression: "ID.'#text'" },
          ]),
        )
      ).statusCode,
    ).toBe(201);
  });
});

const identity = `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>
</xsl:stylesheet>`;
