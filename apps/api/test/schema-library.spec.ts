import { strToU8, zipSync } from 'fflate';

import { createPackage, eventually } from './support/access-fixtures';
import {
  corpusFiles,
  corpusText,
  createSchema,
  noteXsd,
  schemaDocument,
  ublUpload,
  validatePayload,
  type SchemaView,
} from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string; code: string }[];
  problems?: { file?: string; line?: number; message: string; code: string }[];
  dependents?: { id: string; name: string; kind: string }[];
}
interface Field {
  path: string;
  name: string;
  minOccurs?: number;
  truncated?: boolean;
  children?: Field[];
}
interface Validation {
  version: number;
  valid: boolean;
  errors: { line?: number; column?: number; path?: string; message: string }[];
}

const ublExample = (name: string) => corpusText(`xsd/ubl-2.1/examples/${name}`);

/** An `Envelope` around the `Note` of a namespace it imports from the library. */
const envelopeXsd = (importNs = 'urn:test:note', namespace = 'urn:test:envelope', ref = 'Note') =>
  `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="${importNs}"
  targetNamespace="${namespace}" elementFormDefault="qualified">
  <xs:import namespace="${importNs}"/>
  <xs:element name="Envelope"><xs:complexType><xs:sequence>
    <xs:element ref="n:${ref}"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

describe('schema library over HTTP', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Schemas');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
  });
  afterAll(() => t.close());

  const url = (schemaId = '', pkgId = pkg) =>
    `/api/packages/${pkgId}/schemas${schemaId ? `/${schemaId}` : ''}`;
  const assetRows = () => t.db.count(`SELECT count(*)::int AS n FROM package_assets`);
  const versionRows = () => t.db.count(`SELECT count(*)::int AS n FROM asset_versions`);

  describe('upload', () => {
    it('creates a schema from one document and describes it', async () => {
      const created = await t.request({
        method: 'POST',
        url: url(),
        payload: schemaDocument('Note', noteXsd(), 'XSD', { fileName: 'note.xsd' }),
      });
      expect(created.statusCode).toBe(201);
      const schema = json<SchemaView>(created);
      expect(schema).toMatchObject({
        schemaType: 'XSD',
        targetNamespace: 'urn:test:note',
        currentVersion: 1,
        content: { type: 'XSD', main: 'note.xsd', files: [{ path: 'note.xsd' }] },
        warnings: [],
      });
      expect(created.headers['location']).toBe(url(schema.id));
      const read = await t.request({ method: 'GET', url: url(schema.id) });
      expect(json<SchemaView>(read)).toMatchObject({
        id: schema.id,
        schemaType: 'XSD',
        targetNamespace: 'urn:test:note',
      });
    });

    it('takes a bundle of files with relative paths (UBL Invoice with common/)', async () => {
      const schema = await createSchema(t, pkg, ublUpload('Invoice'));
      expect(schema.targetNamespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
      expect(schema.content.main).toBe('maindoc/UBL-Invoice-2.1.xsd');
      expect(schema.content.files.map((f) => f.path)).toContain(
        'common/UBL-CommonAggregateComponents-2.1.xsd',
      );

      const valid = await validatePayload(
        t,
        pkg,
        schema.id,
        ublExample('UBL-Invoice-2.1-Example.xml'),
      );
      expect(json<Validation>(valid)).toEqual({ version: 1, valid: true, errors: [] });
      const trivial = await validatePayload(
        t,
        pkg,
        schema.id,
        ublExample('UBL-Invoice-2.1-Example-Trivial.xml'),
      );
      expect(json<Validation>(trivial).valid).toBe(true);
      const order = json<Validation>(
        await validatePayload(t, pkg, schema.id, ublExample('UBL-Order-2.1-Example.xml')),
      );
      expect(order.valid).toBe(false);
      expect(order.errors[0]).toMatchObject({ line: expect.any(Number) as number });
    });

    it('takes a zip archive (UBL Order), folders kept as paths', async () => {
      const files = corpusFiles('xsd/ubl-2.1', (p) => p.endsWith('.xsd'));
      const zip = zipSync(Object.fromEntries(files.map((f) => [f.path, strToU8(f.text)])));
      const schema = await createSchema(t, pkg, {
        name: 'UBL Order (zip)',
        type: 'XSD',
        main: 'maindoc/UBL-Order-2.1.xsd',
        zip: Buffer.from(zip).toString('base64'),
      });
      expect(schema.content.files).toHaveLength(files.length);
      const order = await validatePayload(
        t,
        pkg,
        schema.id,
        ublExample('UBL-Order-2.1-Example.xml'),
      );
      expect(json<Validation>(order).valid).toBe(true);
    });

    it('asks for exactly one of document, files or zip', async () => {
      const none = await t.request({
        method: 'POST',
        url: url(),
        payload: { name: 'x', type: 'XSD' },
      });
      expect(none.statusCode).toBe(400);
      expect(json<Problem>(none).errors.map((e) => e.path)).toEqual([
        'document',
        'files',
        'zip',
        'content',
      ]);
      const two = await t.request({
        method: 'POST',
        url: url(),
        payload: { name: 'x', type: 'XSD', document: noteXsd(), files: [] },
      });
      expect(two.statusCode).toBe(400);
      expect(json<Problem>(two).errors.map((e) => e.path)).toEqual(['document', 'files']);
      const badType = await t.request({
        method: 'POST',
        url: url(),
        payload: { name: 'x', type: 'DTD', document: noteXsd() },
      });
      expect(json<Problem>(badType).errors[0]?.path).toBe('type');
      const notZip = await t.request({
        method: 'POST',
        url: url(),
        payload: { name: 'x', type: 'XSD', zip: 'not base64!' },
      });
      expect(json<Problem>(notZip).errors[0]).toMatchObject({
        path: 'zip',
        message: 'must be a base64-encoded zip archive',
      });
      const notFiles = await t.request({
        method: 'POST',
        url: url(),
        payload: { name: 'x', type: 'XSD', content: { files: 'a.xsd' } },
      });
      expect(json<Problem>(notFiles).errors[0]).toMatchObject({
        path: 'content.files',
        message: 'must be an array',
      });
    });

    it('refuses a broken schema with 422 listing every problem, writing nothing', async () => {
      const [assets, versions] = [await assetRows(), await versionRows()];
      const broken = await t.request({
        method: 'POST',
        url: url(),
        payload: {
          name: 'Broken',
          type: 'XSD',
          main: 'main.xsd',
          files: [
            {
              path: 'main.xsd',
              text: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="missing.xsd"/>
  <xs:import namespace="urn:x" schemaLocation="https://example.com/remote.xsd"/>
  <xs:element name="A" type="NoSuchType"/>
</xs:schema>`,
            },
          ],
        },
      });
      expect(broken.statusCode).toBe(422);
      const problem = json<Problem>(broken);
      expect(problem.code).toBe('schema_invalid');
      const messages = (problem.problems ?? []).map((p) => `${p.file}:${p.line} ${p.message}`);
      expect(messages.join('\n')).toContain('missing.xsd');
      expect(messages.join('\n')).toContain('https://example.com/remote.xsd');
      expect(problem.problems?.every((p) => p.file === 'main.xsd' && p.line)).toBe(true);
      expect([await assetRows(), await versionRows()]).toEqual([assets, versions]);
    });

    it('rejects a WSDL whose operation refers to an undefined message, naming it', async () => {
      const response = await t.request({
        method: 'POST',
        url: url(),
        payload: schemaDocument(
          'Weather',
          corpusText('wsdl/missing_message_definition.wsdl'),
          'WSDL',
        ),
      });
      expect(response.statusCode).toBe(422);
      expect(json<Problem>(response).detail).toContain('tns:GetWeatherResponse');
    });

    it('refuses XML with entity declarations (XXE, billion laughs) before parsing it', async () => {
      for (const document of [
        `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:string"/>&e;</xs:schema>`,
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:annotation><xs:documentation>&g;</xs:documentation></xs:annotation></xs:schema>`,
      ]) {
        const response = await t.request({
          method: 'POST',
          url: url(),
          payload: schemaDocument('Unsafe', document),
        });
        expect(response.statusCode).toBe(422);
        expect(json<Problem>(response).problems?.[0]?.code).toBe('xml_unsafe');
      }
    });
  });

  describe('versions', () => {
    let schema: SchemaView;
    beforeAll(async () => {
      schema = await createSchema(
        t,
        pkg,
        schemaDocument('Versioned', noteXsd({ children: ['to', 'body?'] })),
      );
    });

    const put = (payload: Record<string, unknown>, as?: TestUser) =>
      t.request({ method: 'PUT', url: url(schema.id), payload, ...(as ? { as } : {}) });
    const current = async () =>
      json<SchemaView>(await t.request({ method: 'GET', url: url(schema.id) }));

    it('makes a new version for new content, none for identical content', async () => {
      const changed = await put({
        version: (await current()).version,
        document: noteXsd({ children: ['to', 'body'] }),
        message: 'body required',
      });
      expect(changed.statusCode).toBe(200);
      expect(json<SchemaView>(changed).currentVersion).toBe(2);
      const same = await put({
        version: json<SchemaView>(changed).version,
        document: noteXsd({ children: ['to', 'body'] }),
      });
      expect(json<SchemaView>(same).currentVersion).toBe(2);

      const list = await t.request({ method: 'GET', url: `${url(schema.id)}/versions` });
      const page = json<{
        items: { version: number; message: string; createdBy: string; author: string }[];
        total: number;
      }>(list);
      expect(page.total).toBe(2);
      expect(page.items.map((v) => [v.version, v.message])).toEqual([
        [2, 'body required'],
        [1, ''],
      ]);
      expect(page.items[0]).toMatchObject({ createdBy: t.admin.id, author: t.admin.username });

      const first = await t.request({ method: 'GET', url: `${url(schema.id)}/versions/1` });
      expect(json<{ content: SchemaView['content'] }>(first).content.files[0]?.text).toContain(
        'minOccurs="0"',
      );
      expect(
        (await t.request({ method: 'GET', url: `${url(schema.id)}/versions/9` })).statusCode,
      ).toBe(404);
      expect(
        (await t.request({ method: 'GET', url: `${url(schema.id)}/versions/x` })).statusCode,
      ).toBe(400);
    });

    it('pages versions with a cursor', async () => {
      const first = json<{ items: { version: number }[]; nextCursor: string | null }>(
        await t.request({ method: 'GET', url: `${url(schema.id)}/versions?limit=1` }),
      );
      expect(first.items.map((v) => v.version)).toEqual([2]);
      const second = json<{ items: { version: number }[]; nextCursor: string | null }>(
        await t.request({
          method: 'GET',
          url: `${url(schema.id)}/versions?limit=1&cursor=${first.nextCursor}`,
        }),
      );
      expect(second).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
    });

    it('rolls back by making an old version current again, as a new version', async () => {
      const before = await current();
      const rolled = await t.request({
        method: 'POST',
        url: `${url(schema.id)}/rollback`,
        headers: { 'if-match': `"${before.version}"` },
        payload: { version: 1 },
      });
      expect(rolled.statusCode).toBe(200);
      const after = json<SchemaView & { versionMessage: string }>(rolled);
      expect(after.currentVersion).toBe(3);
      expect(after.versionMessage).toBe('Rolled back to version 1');
      const v1 = json<{ contentHash: string }>(
        await t.request({ method: 'GET', url: `${url(schema.id)}/versions/1` }),
      );
      const v3 = json<{ contentHash: string }>(
        await t.request({ method: 'GET', url: `${url(schema.id)}/versions/3` }),
      );
      expect(v3.contentHash).toBe(v1.contentHash);
      const stale = await t.request({
        method: 'POST',
        url: `${url(schema.id)}/rollback`,
        headers: { 'if-match': `"${before.version}"` },
        payload: { version: 2 },
      });
      expect(stale.statusCode).toBe(412);
      const missing = await t.request({
        method: 'POST',
        url: `${url(schema.id)}/rollback`,
        headers: { 'if-match': `"${after.version}"` },
        payload: { version: 42 },
      });
      expect(missing.statusCode).toBe(404);
    });

    it('refuses a rollback without If-Match (428), instead of skipping the conflict check', async () => {
      const before = await current();
      const versionsBefore = await versionRows();
      const blind = await t.request({
        method: 'POST',
        url: `${url(schema.id)}/rollback`,
        payload: { version: 1 },
      });
      expect(blind.statusCode).toBe(428);
      expect(json<{ code: string; errors: { path: string }[] }>(blind)).toMatchObject({
        code: 'version_required',
        errors: [{ path: 'if-match' }],
      });
      expect(await current()).toMatchObject({ version: before.version });
      expect(await versionRows()).toBe(versionsBefore);
    });

    it('validates against an older version on request', async () => {
      const payload = '<Note xmlns="urn:test:note"><to>x</to></Note>';
      const v1 = json<Validation>(await validatePayload(t, pkg, schema.id, payload, '?version=1'));
      const v2 = json<Validation>(await validatePayload(t, pkg, schema.id, payload, '?version=2'));
      expect([v1.version, v1.valid, v2.version, v2.valid]).toEqual([1, true, 2, false]);
      expect(v2.errors[0]?.message).toContain('body');
    });

    it('takes back the content it returns (read, edit, write)', async () => {
      const read = await current();
      const [file] = read.content.files;
      if (!file) throw new Error('no file');
      const edited = {
        ...read.content,
        files: [{ ...file, text: file.text.replace('name="to"', 'name="recipient"') }],
      };
      const written = await put({ version: read.version, content: edited, message: 'renamed' });
      expect(written.statusCode).toBe(200);
      expect(json<SchemaView>(written).currentVersion).toBe(read.currentVersion + 1);
      const wrongType = await put({
        version: json<SchemaView>(written).version,
        content: { ...edited, type: 'WSDL' },
      });
      expect(wrongType.statusCode).toBe(400);
      expect(json<Problem>(wrongType).errors[0]?.path).toBe('content.type');
    });

    it('never changes type, and new content is compiled like the first', async () => {
      const v = (await current()).version;
      const retyped = await put({ version: v, type: 'JSON_SCHEMA' });
      expect(retyped.statusCode).toBe(400);
      const broken = await put({ version: v, document: '<xs:schema' });
      expect(broken.statusCode).toBe(422);
      expect((await current()).currentVersion).toBe(4);
    });
  });

  describe('dependencies between library schemas', () => {
    it('records imports by namespace as dependency rows and protects the imported schema', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Dep note', noteXsd({ namespace: 'urn:dep:note' })),
      );
      const env = await createSchema(
        t,
        pkg,
        schemaDocument('Dep envelope', envelopeXsd('urn:dep:note')),
      );
      const rows = await t.db.pool.query(
        `SELECT from_asset_id, to_asset_id, kind FROM package_asset_dependencies WHERE to_asset_id = $1`,
        [note.id],
      );
      expect(rows.rows).toEqual([
        { from_asset_id: env.id, to_asset_id: note.id, kind: 'SCHEMA_IMPORT' },
      ]);

      const refused = await t.request({ method: 'DELETE', url: url(note.id), as: developer });
      expect(refused.statusCode).toBe(409);
      const problem = json<Problem>(refused);
      expect(problem.detail).toContain('Dep envelope');
      expect(problem.dependents).toEqual([
        expect.objectContaining({ id: env.id, name: 'Dep envelope', kind: 'SCHEMA_IMPORT' }),
      ]);
      const notAdmin = await t.request({
        method: 'DELETE',
        url: `${url(note.id)}?force=true`,
        as: developer,
      });
      expect(notAdmin.statusCode).toBe(403);
      const forced = await t.request({ method: 'DELETE', url: `${url(note.id)}?force=true` });
      expect(forced.statusCode).toBe(204);
      const restored = await t.request({ method: 'POST', url: `${url(note.id)}/restore` });
      expect(restored.statusCode).toBe(200);

      // The envelope no longer imports the note: its row goes, and the note can be deleted.
      const current = json<SchemaView>(await t.request({ method: 'GET', url: url(env.id) }));
      const standalone = await t.request({
        method: 'PUT',
        url: url(env.id),
        payload: {
          version: current.version,
          document: noteXsd({ namespace: 'urn:dep:standalone' }),
        },
      });
      expect(standalone.statusCode).toBe(200);
      expect(
        await t.db.count(
          `SELECT count(*)::int AS n FROM package_asset_dependencies WHERE from_asset_id = $1`,
          [env.id],
        ),
      ).toBe(0);
      // Nothing depends on it any more: force is not needed, and harmless from a developer.
      expect(
        (await t.request({ method: 'DELETE', url: `${url(note.id)}?force=true`, as: developer }))
          .statusCode,
      ).toBe(204);
    });

    it('resolves from packages the user can read, and not from others', async () => {
      const shared = await createPackage(t, 'Shared schemas');
      await createSchema(
        t,
        shared,
        schemaDocument('Shared note', noteXsd({ namespace: 'urn:shared:note' })),
      );
      const attempt = await t.request({
        method: 'POST',
        url: url(),
        payload: schemaDocument('Needs shared', envelopeXsd('urn:shared:note')),
        as: developer,
      });
      expect(attempt.statusCode).toBe(422);
      expect(json<Problem>(attempt).detail).toContain('urn:shared:note');

      await t.request({
        method: 'PUT',
        url: `/api/packages/${shared}/members/${developer.id}`,
        payload: { role: 'VIEWER' },
      });
      const allowed = await t.request({
        method: 'POST',
        url: url(),
        payload: schemaDocument('Needs shared', envelopeXsd('urn:shared:note')),
        as: developer,
      });
      expect(allowed.statusCode).toBe(201);
    });

    it('validates with the current version of what a schema imports', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Live note', noteXsd({ namespace: 'urn:live:note', children: ['to'] })),
      );
      const env = await createSchema(
        t,
        pkg,
        schemaDocument('Live envelope', envelopeXsd('urn:live:note')),
      );
      const payload = `<Envelope xmlns="urn:test:envelope"><Note xmlns="urn:live:note"><to>a</to></Note></Envelope>`;
      expect(json<Validation>(await validatePayload(t, pkg, env.id, payload)).valid).toBe(true);
      await t.request({
        method: 'PUT',
        url: url(note.id),
        payload: {
          version: note.version,
          document: noteXsd({ namespace: 'urn:live:note', children: ['to', 'subject'] }),
        },
      });
      const after = json<Validation>(await validatePayload(t, pkg, env.id, payload));
      expect(after.valid).toBe(false);
      expect(after.errors[0]?.message).toContain('subject');
    });
  });

  it('sees a new version saved through another API instance', async () => {
    const other = await startTestApp({ databaseUrl: t.db.url });
    try {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Two instances', noteXsd({ namespace: 'urn:two', children: ['to'] })),
      );
      const payload = '<Note xmlns="urn:two"><to>a</to></Note>';
      const viaOther = async () =>
        json<Validation>(await validatePayload(other, pkg, note.id, payload));
      expect(await viaOther()).toMatchObject({ version: 1, valid: true });
      expect(await viaOther()).toMatchObject({ version: 1, valid: true }); // now cached there
      await t.request({
        method: 'PUT',
        url: url(note.id),
        payload: {
          version: note.version,
          document: noteXsd({ namespace: 'urn:two', children: ['to', 'body'] }),
        },
      });
      await eventually(async () => (await viaOther()).version === 2);
      expect(await viaOther()).toMatchObject({ version: 2, valid: false });
    } finally {
      await other.close();
    }
  });

  describe('diff and compatibility', () => {
    const diffOf = async (
      type: 'XSD' | 'JSON_SCHEMA' | 'WSDL',
      before: string,
      after: string,
    ): Promise<{
      compatibility: string;
      reasons: string[];
      changes: { change: string; path: string }[];
      textDiff: string;
    }> => {
      const schema = await createSchema(t, pkg, {
        ...schemaDocument(`Diff ${Math.random()}`, before, type),
      });
      const put = await t.request({
        method: 'PUT',
        url: url(schema.id),
        payload: { version: schema.version, document: after },
      });
      expect(put.statusCode).toBe(200);
      const diff = await t.request({ method: 'GET', url: `${url(schema.id)}/diff?from=1&to=2` });
      expect(diff.statusCode).toBe(200);
      return json(diff);
    };
    const json7 = (properties: Record<string, unknown>, required: string[] = []) =>
      JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties,
        required,
      });

    it.each([
      [
        'XSD: an optional element added',
        'XSD',
        noteXsd({ children: ['to'] }),
        noteXsd({ children: ['to', 'cc?'] }),
        'non-breaking',
      ],
      [
        'XSD: an element removed',
        'XSD',
        noteXsd({ children: ['to', 'body'] }),
        noteXsd({ children: ['to'] }),
        'breaking',
      ],
      [
        'XSD: optional made required',
        'XSD',
        noteXsd({ children: ['to', 'body?'] }),
        noteXsd({ children: ['to', 'body'] }),
        'breaking',
      ],
      [
        'XSD: type narrowed',
        'XSD',
        noteXsd({ children: ['to', 'count:string'] }),
        noteXsd({ children: ['to', 'count:int'] }),
        'breaking',
      ],
      [
        'XSD: required made optional',
        'XSD',
        noteXsd({ children: ['to', 'body'] }),
        noteXsd({ children: ['to', 'body?'] }),
        'non-breaking',
      ],
      [
        'JSON: an optional property added',
        'JSON_SCHEMA',
        json7({ a: { type: 'string' } }),
        json7({ a: { type: 'string' }, b: { type: 'number' } }),
        'non-breaking',
      ],
      [
        'JSON: a property made required',
        'JSON_SCHEMA',
        json7({ a: { type: 'string' } }),
        json7({ a: { type: 'string' } }, ['a']),
        'breaking',
      ],
      [
        'JSON: a property removed',
        'JSON_SCHEMA',
        json7({ a: { type: 'string' }, b: {} }),
        json7({ a: { type: 'string' } }),
        'breaking',
      ],
    ] as const)('%s → %s', async (_label, type, before, after, verdict) => {
      const diff = await diffOf(type, before, after);
      expect(diff.compatibility).toBe(verdict);
      expect(diff.changes.length).toBeGreaterThan(0);
      expect(diff.reasons.length > 0).toBe(verdict === 'breaking');
      expect(diff.textDiff).toContain('@@');
    });

    it('lists the assets a change affects, through the graph, nearest first', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Diff note', noteXsd({ namespace: 'urn:diff:note' })),
      );
      const env = await createSchema(
        t,
        pkg,
        schemaDocument('Diff envelope', envelopeXsd('urn:diff:note', 'urn:diff:envelope')),
      );
      const outer = await createSchema(
        t,
        pkg,
        schemaDocument(
          'Diff outer',
          envelopeXsd('urn:diff:envelope', 'urn:diff:outer', 'Envelope'),
        ),
      );
      await t.request({
        method: 'PUT',
        url: url(note.id),
        payload: {
          version: note.version,
          document: noteXsd({ namespace: 'urn:diff:note', children: ['to'] }),
        },
      });
      const diff = json<{ compatibility: string; dependents: { id: string; depth: number }[] }>(
        await t.request({ method: 'GET', url: `${url(note.id)}/diff` }),
      );
      expect(diff.compatibility).toBe('breaking');
      expect(diff.dependents.map((d) => [d.id, d.depth])).toEqual([
        [env.id, 1],
        [outer.id, 2],
      ]);
      // Deleting the note is refused for what uses it directly only.
      const refused = await t.request({ method: 'DELETE', url: url(note.id) });
      expect(json<Problem>(refused).dependents?.map((d) => d.id)).toEqual([env.id]);
    });
  });

  describe('structure and validation', () => {
    it('describes the UBL Invoice root element tree', async () => {
      const invoice = await createSchema(t, pkg, {
        ...ublUpload('Invoice'),
        name: 'UBL Invoice (structure)',
      });
      const response = await t.request({
        method: 'GET',
        url: `${url(invoice.id)}/structure?root=Invoice`,
      });
      expect(response.statusCode).toBe(200);
      const structure = json<{ type: string; version: number; roots: Field[] }>(response);
      expect(structure.roots.map((r) => r.name)).toEqual(['Invoice']);
      expect(structure.roots[0]?.children?.map((c) => c.name)).toEqual(
        expect.arrayContaining(['ID', 'IssueDate', 'AccountingSupplierParty', 'InvoiceLine']),
      );
      expect(structure.roots[0]?.children?.find((c) => c.name === 'ID')?.minOccurs).toBe(1);

      // A field the full tree cuts short is expanded on request, on its own.
      const cut = structure.roots[0]?.children?.find((c) => c.truncated);
      expect(cut).toBeDefined();
      const focused = json<{ roots: Field[] }>(
        await t.request({
          method: 'GET',
          url: `${url(invoice.id)}/structure?path=${encodeURIComponent(cut?.path ?? '')}`,
        }),
      );
      expect(focused.roots).toHaveLength(1);
      expect(focused.roots[0]).toMatchObject({ path: cut?.path, name: cut?.name });
      expect(focused.roots[0]?.truncated).toBeUndefined();
      expect(focused.roots[0]?.children?.length).toBeGreaterThan(0);
      const nowhere = await t.request({
        method: 'GET',
        url: `${url(invoice.id)}/structure?path=/Invoice/Nope`,
      });
      expect(json<Problem>(nowhere).errors[0]?.path).toBe('path');
    });

    it('answers 415 for a payload of the wrong kind, 400 for a bad root', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Kinds', noteXsd({ namespace: 'urn:kinds' })),
      );
      const asJson = await t.request({
        method: 'POST',
        url: `${url(note.id)}/validate`,
        payload: { to: 'x' },
      });
      expect(asJson.statusCode).toBe(415);
      const asText = await t.request({
        method: 'POST',
        url: `${url(note.id)}/validate`,
        headers: { 'content-type': 'text/plain' },
        payload: '<Note/>',
      });
      expect(asText.statusCode).toBe(415);
      const xmlElsewhere = await t.request({
        method: 'POST',
        url: url(),
        headers: { 'content-type': 'application/xml' },
        payload: '<Note/>',
      });
      expect(xmlElsewhere.statusCode).toBe(415);
      const wrongRoot = json<Validation>(
        await validatePayload(
          t,
          pkg,
          note.id,
          '<Note xmlns="urn:kinds"><to/><body/></Note>',
          '?root=Missing',
        ),
      );
      expect(wrongRoot.valid).toBe(false);
      expect(wrongRoot.errors[0]?.message).toContain('Missing');
    });

    it('refuses an unsafe payload as invalid, without expanding it', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Payload safety', noteXsd({ namespace: 'urn:safety' })),
      );
      const xxe = await validatePayload(
        t,
        pkg,
        note.id,
        '<?xml version="1.0"?><!DOCTYPE Note [<!ENTITY e SYSTEM "file:///etc/passwd">]><Note xmlns="urn:safety"><to>&e;</to><body/></Note>',
      );
      expect(xxe.statusCode).toBe(200);
      const result = json<Validation>(xxe);
      expect(result.valid).toBe(false);
      expect(JSON.stringify(result)).not.toContain('root:');
      expect(result.errors[0]?.message).toMatch(/DOCTYPE|entit/i);
    });

    it('refuses a JSON payload nested past the body cap with 400, before validating it', async () => {
      const tree = await createSchema(t, pkg, {
        name: 'Recursive list',
        type: 'JSON_SCHEMA',
        document: JSON.stringify({
          $schema: 'http://json-schema.org/draft-07/schema#',
          $ref: '#/definitions/list',
          definitions: { list: { type: 'array', items: { $ref: '#/definitions/list' } } },
        }),
      });
      const ok = json<Validation>(await validatePayload(t, pkg, tree.id, '[[[]],[]]'));
      expect(ok.valid).toBe(true);
      // Past MAX_BODY_DEPTH the body is refused while parsing, before anything recurses into it.
      const huge = await validatePayload(
        t,
        pkg,
        tree.id,
        `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      );
      expect(huge.statusCode).toBe(400);
      expect(json(huge)).toMatchObject({ code: 'body_too_deep' });
    });

    it('reads XML sent with a charset, and names a bad root or version', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Params', noteXsd({ namespace: 'urn:params' })),
      );
      const withCharset = await t.request({
        method: 'POST',
        url: `${url(note.id)}/validate`,
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        payload: '<Note xmlns="urn:params"><to/><body/></Note>',
      });
      expect(json<Validation>(withCharset).valid).toBe(true);
      const badRoot = await t.request({
        method: 'GET',
        url: `${url(note.id)}/structure?root=Nope`,
      });
      expect(badRoot.statusCode).toBe(400);
      expect(json<Problem>(badRoot).errors[0]?.path).toBe('root');
      const badVersion = await validatePayload(t, pkg, note.id, '<a/>', '?version=abc');
      expect(badVersion.statusCode).toBe(400);
      expect(json<Problem>(badVersion).errors[0]?.message).toBe('must be an integer number');
    });

    it('lets a viewer validate but not change', async () => {
      const viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Viewer note', noteXsd({ namespace: 'urn:viewer' })),
      );
      const ok = await validatePayload(
        t,
        pkg,
        note.id,
        '<Note xmlns="urn:viewer"><to/><body/></Note>',
        '',
        viewer,
      );
      expect(json<Validation>(ok).valid).toBe(true);
      const refused = await t.request({
        method: 'POST',
        url: `${url(note.id)}/rollback`,
        payload: { version: 1 },
        as: viewer,
      });
      expect(refused.statusCode).toBe(403);
    });

    it('validates many payloads at once against one compiled schema', async () => {
      const invoice = await createSchema(t, pkg, {
        ...ublUpload('Invoice'),
        name: 'UBL Invoice (load)',
      });
      const good = ublExample('UBL-Invoice-2.1-Example.xml');
      const bad = ublExample('UBL-Order-2.1-Example.xml');
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          validatePayload(t, pkg, invoice.id, i % 2 ? bad : good),
        ),
      );
      expect(results.map((r) => json<Validation>(r).valid)).toEqual(
        Array.from({ length: 40 }, (_, i) => i % 2 === 0),
      );
    });
  });

  it('applies the configured caps (SCHEMA_MAX_BYTES, SCHEMA_MAX_DEPTH)', async () => {
    const capped = await startTestApp({ config: { schemaMaxBytes: 4096, schemaMaxDepth: 16 } });
    try {
      const p = await createPackage(capped, 'Caps');
      const big = await capped.request({
        method: 'POST',
        url: `/api/packages/${p}/schemas`,
        payload: schemaDocument(
          'Big',
          noteXsd().replace('<xs:element', `<!--${'x'.repeat(5000)}--><xs:element`),
        ),
      });
      expect(big.statusCode).toBe(422);
      expect(json<Problem>(big).detail).toContain('4096');
      const deep = await capped.request({
        method: 'POST',
        url: `/api/packages/${p}/schemas`,
        payload: schemaDocument(
          'Deep',
          noteXsd().replace(
            '<xs:element',
            `<xs:annotation><xs:appinfo>${'<a>'.repeat(20)}${'</a>'.repeat(20)}</xs:appinfo></xs:annotation><xs:element`,
          ),
        ),
      });
      expect(deep.statusCode).toBe(422);
      expect(json<Problem>(deep).problems?.[0]?.code).toBe('xml_unsafe');
    } finally {
      await capped.close();
    }
  });
});
