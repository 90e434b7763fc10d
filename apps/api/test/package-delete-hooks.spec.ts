import { SchemaEngine } from '@integrixs/schema-engine';

import { SchemaAssetHandler } from '../src/schema/schema-asset.handler';
import { createPackage } from './support/access-fixtures';
import { createSchema, noteXsd, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Problem {
  status: number;
  code: string;
  detail: string;
  dependents: { id: string; packageId: string; name: string; kind: string }[];
  hiddenDependents: number;
}

const envelopeXsd = (importNs: string) => `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="${importNs}"
  targetNamespace="${importNs}:envelope" elementFormDefault="qualified">
  <xs:import namespace="${importNs}"/>
  <xs:element name="Envelope"><xs:complexType><xs:sequence>
    <xs:element ref="n:Note"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

/**
 * A package delete or restore takes its assets through their type handlers, as an asset delete
 * or restore does (issue 9 follow-up): dependents in other packages refuse it unless forced,
 * dependents inside the package go with it, and the handlers' hooks (caches) run.
 */
describe('package delete and restore through the asset type handlers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const liveAssets = (pkg: string) =>
    t.db.count(
      'SELECT count(*)::int AS n FROM package_assets WHERE package_id = $1 AND deleted_at IS NULL',
      [pkg],
    );
  const deletePackage = (pkg: string, query = '', as?: Parameters<TestApp['request']>[0]['as']) =>
    t.request({ method: 'DELETE', url: `/api/packages/${pkg}${query}`, ...(as ? { as } : {}) });

  it('refuses (409 naming them) while assets of other packages depend on its assets, deletes nothing, and deletes with force=true', async () => {
    const library = await createPackage(t, 'Shared library');
    const note = await createSchema(
      t,
      library,
      schemaDocument('Shared note', noteXsd({ namespace: 'urn:pkgdel:note' })),
    );
    // A dependent inside the package does not block: it is deleted with it.
    await createSchema(
      t,
      library,
      schemaDocument('Local envelope', envelopeXsd('urn:pkgdel:note')),
    );
    const consumer = await createPackage(t, 'Library consumer');
    const outside = await createSchema(
      t,
      consumer,
      schemaDocument('Consumer envelope', envelopeXsd('urn:pkgdel:note')),
    );

    const refused = await deletePackage(library);
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.detail).toContain('Consumer envelope');
    expect(problem.detail).toContain(note.id);
    expect(problem.dependents).toEqual([
      expect.objectContaining({ id: outside.id, packageId: consumer, kind: 'SCHEMA_IMPORT' }),
    ]);
    expect(problem.hiddenDependents).toBe(0);
    expect((await t.request({ method: 'GET', url: `/api/packages/${library}` })).statusCode).toBe(
      200,
    );
    expect(await liveAssets(library)).toBe(2);

    expect((await deletePackage(library, '?force=true')).statusCode).toBe(204);
    expect(await liveAssets(library)).toBe(0);
    expect(await liveAssets(consumer)).toBe(1);
  });

  it('deletes a package whose assets depend only on each other without force', async () => {
    const pkg = await createPackage(t, 'Self-contained');
    await createSchema(t, pkg, schemaDocument('Own note', noteXsd({ namespace: 'urn:own:note' })));
    await createSchema(t, pkg, schemaDocument('Own envelope', envelopeXsd('urn:own:note')));
    expect((await deletePackage(pkg)).statusCode).toBe(204);
    expect(await liveAssets(pkg)).toBe(0);
  });

  it('counts, never names, dependents in packages the package administrator cannot read', async () => {
    const owner = await t.createUser({ role: 'DEVELOPER' });
    const mine = await createPackage(t, 'Owned library', { as: owner });
    await createSchema(
      t,
      mine,
      schemaDocument('Owned note', noteXsd({ namespace: 'urn:owned:note' })),
      owner,
    );
    const theirs = await createPackage(t, 'Hidden consumer');
    await createSchema(t, theirs, schemaDocument('Hidden envelope', envelopeXsd('urn:owned:note')));

    const refused = await deletePackage(mine, '', owner);
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.dependents).toEqual([]);
    expect(problem.hiddenDependents).toBe(1);
    expect(problem.detail).not.toContain('Hidden envelope');
    expect(await liveAssets(mine)).toBe(1);
  });

  it('runs each asset’s handler hooks: the schema caches forget deleted schemas, restore runs onRestore', async () => {
    const pkg = await createPackage(t, 'Cached schemas');
    const schema = await createSchema(
      t,
      pkg,
      schemaDocument('Cached note', noteXsd({ namespace: 'urn:cached:note' })),
    );
    const handler = t.app.get(SchemaAssetHandler);
    const afterCommit = jest.spyOn(handler, 'afterCommit');
    const onRestore = jest.spyOn(handler, 'onRestore');
    const invalidate = jest.spyOn(t.app.get(SchemaEngine), 'invalidate');
    try {
      expect((await deletePackage(pkg)).statusCode).toBe(204);
      expect(afterCommit).toHaveBeenCalledWith(schema.id, 'deleted');
      expect(invalidate).toHaveBeenCalledWith(`${schema.id}@`, true);

      const restored = await t.request({ method: 'POST', url: `/api/packages/${pkg}/restore` });
      expect(restored.statusCode).toBe(200);
      expect(onRestore).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ id: schema.id, deletedAt: null }),
      );
      expect(afterCommit).toHaveBeenCalledWith(schema.id, 'restored');
    } finally {
      afterCommit.mockRestore();
      onRestore.mockRestore();
      invalidate.mockRestore();
    }
  });

  it('refuses a force value that is not true or false (400)', async () => {
    const pkg = await createPackage(t, 'Bad force');
    const response = await deletePackage(pkg, '?force=yes');
    expect(response.statusCode).toBe(400);
  });
});
