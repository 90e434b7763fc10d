import { MIGRATIONS } from '../src/core/database/migrations';
import { SchemaImportPins1764610000000 } from '../src/core/database/migrations/1764610000000-schema-import-pins';
import { migrateDatabase, revertMigrations } from '../src/core/database/migrator';
import { createPackage } from './support/access-fixtures';
import { createSchema, validatePayload, type SchemaView } from './support/schemas';
import {
  createImportChain,
  identifier,
  importerDocument,
  libraryDocument,
  payloadFor,
  tenancyHelpers,
  wrapperXsd,
  type Kind,
  type Problem,
} from './support/tenancy';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * Schemas that import schemas of other packages (issue 8, item 7): what a reader sees through an
 * import never goes beyond what the importing schema's author could read when saving it (imports
 * into another package are pinned), and impact lists never name assets the caller cannot see.
 */

interface EdgeRow {
  from_asset_id: string;
  to_asset_id: string;
  pinned_version: number | null;
  namespace: string | null;
  transitive: boolean;
}

describe('schema imports across packages (tenancy)', () => {
  let t: TestApp;
  let h: ReturnType<typeof tenancyHelpers>;

  beforeAll(async () => {
    t = await startTestApp();
    h = tenancyHelpers(t);
  });
  afterAll(() => t.close());

  describe.each<Kind>(['XSD', 'JSON_SCHEMA'])('%s', (kind) => {
    it('pins a cross-package import to the version its author could see; viewers never see later versions', async () => {
      const id = identifier(kind, 'pinned');
      const a = await createPackage(t, `Library A ${kind}`);
      const b = await createPackage(t, `Application B ${kind}`);
      const author = await t.createUser({
        role: 'DEVELOPER',
        packages: { [a]: 'VIEWER', [b]: 'DEVELOPER' },
      });
      const viewer = await t.createUser({ role: 'VIEWER', packages: { [b]: 'VIEWER' } });
      const library = await createSchema(t, a, {
        name: 'Note',
        type: kind,
        document: libraryDocument(kind, id),
      });
      const importer = await createSchema(
        t,
        b,
        { name: 'Envelope', type: kind, document: importerDocument(kind, id) },
        author,
      );
      expect(await h.edgesOf(importer.id)).toEqual([
        { to_asset_id: library.id, pinned_version: 1, namespace: id },
      ]);

      // The author loses access to A; A publishes a version nobody in B was shown.
      const removed = await t.request({
        method: 'DELETE',
        url: `/api/packages/${a}/members/${author.id}`,
      });
      expect(removed.statusCode).toBe(204);
      const published = await h.putContent(a, library.id, libraryDocument(kind, id, true));
      expect(published.statusCode).toBe(200);

      const validation = await validatePayload(t, b, importer.id, payloadFor(kind, id), '', viewer);
      expect(validation.statusCode).toBe(200);
      expect(json<{ valid: boolean }>(validation)).toMatchObject({ version: 1, valid: true });
      const structure = await t.request({
        method: 'GET',
        url: `${h.schemaUrl(b, importer.id)}/structure`,
        as: viewer,
      });
      expect(structure.statusCode).toBe(200);
      expect(structure.body).toContain('"to"');
      expect(structure.body).not.toContain('Secret');

      // Saving again as the author cannot pick up what they may no longer read.
      const resave = await h.putContent(b, importer.id, importerDocument(kind, id, 1), author);
      expect(resave.statusCode).toBe(422);
      expect(resave.body).not.toContain('Secret');
      expect((await h.edgesOf(importer.id))[0]?.pinned_version).toBe(1);

      // A save by someone who can read A re-resolves and re-pins: from then on B sees version 2.
      const repinned = await h.putContent(b, importer.id, importerDocument(kind, id, 2));
      expect(repinned.statusCode).toBe(200);
      expect(await h.edgesOf(importer.id)).toEqual([
        { to_asset_id: library.id, pinned_version: 2, namespace: id },
      ]);
      const after = await validatePayload(t, b, importer.id, payloadFor(kind, id), '', viewer);
      expect(json<{ valid: boolean }>(after)).toMatchObject({ version: 2, valid: false });
    });
  });

  it('pins what an imported schema imports in turn; within its own package that one follows current', async () => {
    const [inner, middle, outer] = ['urn:tenancy:inner', 'urn:tenancy:middle', 'urn:tenancy:outer'];
    const a = await createPackage(t, 'Library A transitive');
    const b = await createPackage(t, 'Application B transitive');
    const author = await t.createUser({
      role: 'DEVELOPER',
      packages: { [a]: 'VIEWER', [b]: 'DEVELOPER' },
    });
    const viewer = await t.createUser({ role: 'VIEWER', packages: { [b]: 'VIEWER' } });
    const { note, wrapper } = await createImportChain(t, a, inner, middle);
    const top = await createSchema(
      t,
      b,
      { name: 'Outer', type: 'XSD', document: wrapperXsd(middle, outer, 'Outer', 'Wrapper') },
      author,
    );
    const edges = await t.db.pool.query<EdgeRow>(
      `SELECT to_asset_id, pinned_version, transitive FROM package_asset_dependencies
        WHERE from_asset_id = $1 ORDER BY transitive`,
      [top.id],
    );
    expect(edges.rows).toEqual([
      { to_asset_id: wrapper.id, pinned_version: 1, transitive: false },
      { to_asset_id: note.id, pinned_version: 1, transitive: true },
    ]);

    await t.request({ method: 'DELETE', url: `/api/packages/${a}/members/${author.id}` });
    const published = await h.putContent(a, note.id, libraryDocument('XSD', inner, true));
    expect(published.statusCode).toBe(200);

    // Valid against Inner version 1; version 2 also requires Secret.
    const nested = `<Wrapper xmlns="${middle}"><Note xmlns="${inner}"><to>a</to></Note></Wrapper>`;
    const payload = `<Outer xmlns="${outer}">${nested}</Outer>`;
    const inB = await validatePayload(t, b, top.id, payload, '', viewer);
    expect(json<{ valid: boolean }>(inB)).toMatchObject({ valid: true });
    const structure = await t.request({
      method: 'GET',
      url: `${h.schemaUrl(b, top.id)}/structure`,
      as: viewer,
    });
    expect(structure.body).toContain('Wrapper');
    expect(structure.body).not.toContain('Secret');
    const inA = await validatePayload(t, a, wrapper.id, nested);
    expect(json<{ valid: boolean }>(inA)).toMatchObject({ valid: false });

    // Impact analysis still sees the importer across packages, at its real distance.
    const diff = json<{ dependents: { id: string; depth: number }[] }>(
      await t.request({ method: 'GET', url: `${h.schemaUrl(a, note.id)}/diff` }),
    );
    expect(diff.dependents.map((d) => [d.id, d.depth])).toEqual([
      [wrapper.id, 1],
      [top.id, 2],
    ]);
  });

  it('counts, but never names, dependents in packages the caller cannot see (diff and 409)', async () => {
    const id = identifier('XSD', 'owned');
    const owner = await t.createUser({ role: 'DEVELOPER' });
    const own = await createPackage(t, 'Owned library', { as: owner });
    const note = await createSchema(
      t,
      own,
      { name: 'Owned note', type: 'XSD', document: libraryDocument('XSD', id) },
      owner,
    );
    const local = await createSchema(
      t,
      own,
      { name: 'Local envelope', type: 'XSD', document: importerDocument('XSD', id) },
      owner,
    );
    const elsewhere = await createPackage(t, 'Consumer the owner cannot see');
    const remote = await createSchema(t, elsewhere, {
      name: 'Remote envelope',
      type: 'XSD',
      document: importerDocument('XSD', id),
    });
    const changed = await h.putContent(own, note.id, libraryDocument('XSD', id, true), owner);
    expect(changed.statusCode).toBe(200);

    const diff = await t.request({
      method: 'GET',
      url: `${h.schemaUrl(own, note.id)}/diff`,
      as: owner,
    });
    expect(diff.statusCode).toBe(200);
    const seen = json<{ dependents: { id: string }[]; hiddenDependents: number }>(diff);
    expect(seen.dependents.map((d) => d.id)).toEqual([local.id]);
    expect(seen.hiddenDependents).toBe(1);
    for (const secret of ['Remote envelope', elsewhere, remote.id])
      expect(diff.body).not.toContain(secret);

    const asAdmin = json<{ dependents: { id: string }[]; hiddenDependents: number }>(
      await t.request({ method: 'GET', url: `${h.schemaUrl(own, note.id)}/diff` }),
    );
    expect(asAdmin.dependents.map((d) => d.id).sort()).toEqual([local.id, remote.id].sort());
    expect(asAdmin.hiddenDependents).toBe(0);

    const refused = await t.request({
      method: 'DELETE',
      url: h.schemaUrl(own, note.id),
      as: owner,
    });
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.dependents?.map((d) => d.id)).toEqual([local.id]);
    expect(problem.hiddenDependents).toBe(1);
    expect(problem.detail).toContain('Local envelope');
    expect(problem.detail).toContain('1 more in packages you cannot see');
    for (const secret of ['Remote envelope', 'Consumer the owner cannot see', elsewhere, remote.id])
      expect(refused.body).not.toContain(secret);
  });
});

describe('migration SchemaImportPins', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('pins imports that already cross packages, adds what they import, and rolls back', async () => {
    const [inner, middle] = ['urn:migration:inner', 'urn:migration:middle'];
    const a = await createPackage(t, 'Migration library');
    const b = await createPackage(t, 'Migration application');
    const { note, wrapper } = await createImportChain(t, a, inner, middle);
    const top = await createSchema(t, b, {
      name: 'Outer',
      type: 'XSD',
      document: wrapperXsd(middle, 'urn:migration:outer', 'Outer', 'Wrapper'),
    });
    const current = json<SchemaView>(
      await t.request({ method: 'GET', url: `/api/packages/${a}/schemas/${note.id}` }),
    );
    const updated = await t.request({
      method: 'PUT',
      url: `/api/packages/${a}/schemas/${note.id}`,
      payload: { version: current.version, document: libraryDocument('XSD', inner, true) },
    });
    expect(updated.statusCode).toBe(200);

    // Back to before SchemaImportPins (every later migration first, newest first), then up again.
    const steps = MIGRATIONS.length - MIGRATIONS.indexOf(SchemaImportPins1764610000000);
    await revertMigrations(t.db.url, steps);
    const columns = await t.db.count(
      `SELECT count(*)::int AS n FROM information_schema.columns
        WHERE table_name = 'package_asset_dependencies' AND column_name IN ('namespace', 'transitive')`,
    );
    expect(columns).toBe(0);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM package_asset_dependencies WHERE pinned_version IS NOT NULL`,
      ),
    ).toBe(0);
    await migrateDatabase(t.db.url);
    // Pinned to today's versions: what readers were shown before the migration.
    const edges = await t.db.pool.query<EdgeRow>(
      `SELECT from_asset_id, to_asset_id, pinned_version, namespace, transitive
         FROM package_asset_dependencies`,
    );
    expect(edges.rows).toHaveLength(3);
    expect(edges.rows).toEqual(
      expect.arrayContaining([
        {
          from_asset_id: wrapper.id,
          to_asset_id: note.id,
          pinned_version: null,
          namespace: inner,
          transitive: false,
        },
        {
          from_asset_id: top.id,
          to_asset_id: wrapper.id,
          pinned_version: 1,
          namespace: middle,
          transitive: false,
        },
        {
          from_asset_id: top.id,
          to_asset_id: note.id,
          pinned_version: 2,
          namespace: inner,
          transitive: true,
        },
      ]),
    );
  });
});
