import { createPackage } from './support/access-fixtures';
import {
  corpusFiles,
  corpusText,
  corpusUpload,
  createSchema,
  schemaDocument,
  validatePayload,
} from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * The shared corpus (../shared/corpus, see its README) through the HTTP API, exactly as a user
 * uploads it: WSDLs parse with their operations or are refused with the stated errors, and the
 * SchemaStore JSON Schemas give the expected verdict on every test document.
 */
interface Structure {
  roots: { name: string; kind: string }[];
}
interface Problem {
  detail: string;
  problems: { message: string; code: string }[];
}

describe('shared corpus through the schema library API', () => {
  let t: TestApp;
  let pkg: string;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Corpus');
  });
  afterAll(() => t.close());

  /** A corpus WSDL with the files of its folder (a top-level one alone). */
  const wsdlUpload = (path: string) => {
    const slash = path.lastIndexOf('/');
    const folder = slash < 0 ? '' : path.slice(0, slash);
    const main = path.slice(slash + 1);
    return corpusUpload(`WSDL ${path}`, 'WSDL', `wsdl/${folder}`, main, (p) =>
      folder === '' ? p === main : p.endsWith('.wsdl') || p.endsWith('.xsd'),
    );
  };

  describe('WSDL', () => {
    it.each([
      ['hello.wsdl', ['sayHello']],
      ['Dummy.wsdl', ['Dummy']],
      ['rpcexample.wsdl', expect.arrayContaining(['pullFile']) as unknown as string[]],
      ['default_namespace_soap12.wsdl', ['MyOperation']],
      ['elementref/foo.wsdl', ['fooOp']],
      ['complex/registration.wsdl', ['registerUser']],
      ['wsdlImport/main.wsdl', ['getLatestVersion']],
      ['xsdinclude/xsd_include.wsdl', ['Dummy']],
      ['strict/ImportSample.wsdl', ['beerpByLocation']],
      ['strict/stockquote.wsdl', ['GetLastTradePrice', 'SetTradePrice', 'IsValidPrice']],
    ])('%s parses and lists its operations', async (path, operations) => {
      const schema = await createSchema(t, pkg, wsdlUpload(path));
      expect(schema.schemaType).toBe('WSDL');
      const structure = json<Structure>(
        await t.request({
          method: 'GET',
          url: `/api/packages/${pkg}/schemas/${schema.id}/structure`,
        }),
      );
      expect(structure.roots.every((r) => r.kind === 'operation')).toBe(true);
      expect(structure.roots.map((r) => r.name)).toEqual(operations);
    });

    it.each([
      ['missing_message_definition.wsdl', 'definition_missing', 'tns:GetWeatherResponse'],
      ['bad.txt', 'syntax_error', 'bad.txt'],
      // The README calls it truncated, not well-formed; it is well-formed (xmllint agrees) but
      // cut off from its definitions, so every reference dangles.
      ['bad2.txt', 'definition_missing', 'binding tns:AccountAddress'],
    ])('%s is refused with a clear error', async (file, code, named) => {
      const before = await t.db.count(`SELECT count(*)::int AS n FROM package_assets`);
      const response = await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: schemaDocument(`Bad ${file}`, corpusText(`wsdl/${file}`), 'WSDL', {
          fileName: file,
        }),
      });
      expect(response.statusCode).toBe(422);
      const problem = json<Problem>(response);
      expect(problem.problems.map((p) => p.code)).toContain(code);
      expect(`${problem.detail} ${problem.problems.map((p) => p.message).join(' ')}`).toContain(
        named,
      );
      expect(await t.db.count(`SELECT count(*)::int AS n FROM package_assets`)).toBe(before);
    });
  });

  describe('JSON Schema (SchemaStore)', () => {
    it.each([
      ['github-workflow', (p: string) => p === 'schema.json'],
      ['package', (p: string) => p === 'schema.json' || p.startsWith('refs/')],
    ])('%s: every valid/ document validates and every invalid/ one fails', async (name, files) => {
      const schema = await createSchema(
        t,
        pkg,
        corpusUpload(
          `SchemaStore ${name}`,
          'JSON_SCHEMA',
          `jsonschema/${name}`,
          'schema.json',
          files,
        ),
      );
      const verdicts = async (folder: 'valid' | 'invalid') =>
        Promise.all(
          corpusFiles(`jsonschema/${name}/${folder}`).map(async (doc) => {
            const response = await validatePayload(t, pkg, schema.id, doc.text);
            expect(response.statusCode).toBe(200);
            return [doc.path, json<{ valid: boolean }>(response).valid] as const;
          }),
        );
      const valid = await verdicts('valid');
      const invalid = await verdicts('invalid');
      expect(valid.length).toBeGreaterThan(10);
      expect(invalid.length).toBeGreaterThan(5);
      expect(valid.filter(([, ok]) => !ok)).toEqual([]);
      expect(invalid.filter(([, ok]) => ok)).toEqual([]);
    });

    it('resolves a $ref to another library schema by $id, and records the dependency', async () => {
      const refs = corpusFiles('jsonschema/package/refs');
      const [first] = refs;
      if (!first) throw new Error('the corpus has no package/refs');
      const id = (JSON.parse(first.text) as { $id?: string }).$id;
      expect(id).toBeDefined();
      const library = await createSchema(t, pkg, {
        name: `Library ${first.path}`,
        type: 'JSON_SCHEMA',
        document: first.text,
        fileName: first.path,
      });
      expect(library.targetNamespace).toBe(id);
      const user = await createSchema(t, pkg, {
        name: 'Uses the library',
        type: 'JSON_SCHEMA',
        document: JSON.stringify({
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { part: { $ref: id } },
        }),
      });
      expect(
        await t.db.count(
          `SELECT count(*)::int AS n FROM package_asset_dependencies WHERE from_asset_id = $1 AND to_asset_id = $2`,
          [user.id, library.id],
        ),
      ).toBe(1);
    });
  });
});
