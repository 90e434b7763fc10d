import { type SchemaBundle } from '../bundle/schema-bundle';
import { libraryDependencies } from '../bundle/schema-references';
import { SchemaInvalidError, type SchemaProblem } from '../problems/schema-problems';
import { corpusBundle, corpusFiles } from '../testing/corpus';
import { draftOf, JsonSchemaCompiler, type CompiledJsonSchema } from './json-schema-compiler';

/** Asymmetric matchers typed as what they match (Jest types them `any`). */
const containing = (text: string): string => expect.stringContaining(text) as string;

const bundle = (files: Record<string, unknown>, main = Object.keys(files)[0]): SchemaBundle => ({
  type: 'JSON_SCHEMA',
  main,
  files: Object.entries(files).map(([path, value]) => ({
    path,
    text: typeof value === 'string' ? value : JSON.stringify(value, null, 2),
  })),
});

describe('JsonSchemaCompiler', () => {
  const compiler = new JsonSchemaCompiler();

  async function problemsOf(work: Promise<unknown>): Promise<SchemaProblem[]> {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaInvalidError);
    return (error as SchemaInvalidError).problems;
  }

  describe('SchemaStore corpus (ajv 8, strict: false, ajv-formats)', () => {
    const compiled = new Map<string, CompiledJsonSchema>();
    beforeAll(async () => {
      for (const name of ['github-workflow', 'package']) {
        const corpus = corpusBundle(
          'JSON_SCHEMA',
          `jsonschema/${name}`,
          'schema.json',
          (p) => p === 'schema.json' || p.startsWith('refs/'),
        );
        compiled.set(name, await compiler.compile(corpus));
      }
    }, 60_000);

    it.each([
      ['github-workflow', 37, 20],
      ['package', 44, 11],
    ])('%s: every valid/ document validates, every invalid/ one fails', (name, valid, invalid) => {
      const schema = compiled.get(name) as CompiledJsonSchema;
      const verdicts = (folder: string) =>
        corpusFiles(`jsonschema/${name}/${folder}`).map((f) => [
          f.path,
          schema.validate(JSON.parse(f.text)),
        ]);
      const validDocs = verdicts('valid');
      const invalidDocs = verdicts('invalid');
      expect(validDocs).toHaveLength(valid);
      expect(invalidDocs).toHaveLength(invalid);
      expect(validDocs.filter(([, ok]) => !ok)).toEqual([]);
      expect(invalidDocs.filter(([, ok]) => ok)).toEqual([]);
    });

    it('resolves the package schema refs from its refs/ folder, by $id', () => {
      const schema = compiled.get('package') as CompiledJsonSchema;
      expect(schema.draft).toBe('draft-07');
      expect(schema.uri).toBe('https://json.schemastore.org/package.json');
      expect(schema.references.map((r) => [r.pointer, r.target])).toEqual(
        expect.arrayContaining([
          ['/properties/ava/$ref', { scope: 'bundle', path: 'refs/ava.json' }],
          ['/properties/prettier/$ref', { scope: 'bundle', path: 'refs/prettierrc.json' }],
          [
            '/properties/rules/allOf/8/$ref',
            { scope: 'bundle', path: 'refs/partial-eslint-plugins.json' },
          ],
        ]),
      );
    });
  });

  it.each([
    [
      'http://json-schema.org/draft-04/schema#',
      'draft-04',
      {
        type: 'object',
        properties: { n: { type: 'integer', maximum: 5, exclusiveMaximum: true } },
      },
      { n: 4 },
      { n: 5 },
    ],
    [
      'http://json-schema.org/draft-06/schema#',
      'draft-06',
      { properties: { n: { exclusiveMaximum: 5 } } },
      { n: 4 },
      { n: 5 },
    ],
    [
      'http://json-schema.org/draft-07/schema#',
      'draft-07',
      { if: { properties: { a: { const: 1 } } }, then: { required: ['b'] } },
      { a: 2 },
      { a: 1 },
    ],
    [
      'https://json-schema.org/draft/2019-09/schema',
      '2019-09',
      {
        $defs: { n: { type: 'number' } },
        properties: { n: { $ref: '#/$defs/n' } },
        unevaluatedProperties: false,
      },
      { n: 1 },
      { n: 1, x: 2 },
    ],
    [
      'https://json-schema.org/draft/2020-12/schema',
      '2020-12',
      { prefixItems: [{ type: 'string' }], items: false },
      ['a'],
      ['a', 'b'],
    ],
  ])('compiles %s as %s', async ($schema, draft, schema, valid, invalid) => {
    const compiled = await compiler.compile(bundle({ 's.json': { $schema, ...schema } }));
    expect(compiled.draft).toBe(draft);
    expect(compiled.validate(valid)).toBe(true);
    expect(compiled.validate(invalid)).toBe(false);
  });

  it('defaults to draft-07 and refuses an unknown $schema', async () => {
    expect(draftOf({})).toBe('draft-07');
    const problems = await problemsOf(
      compiler.compile(bundle({ 's.json': { $schema: 'https://example.com/my-draft' } })),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: '/$schema',
        message: containing('not a supported draft'),
      }),
    ]);
  });

  it('follows $ref to other files by relative path, without $id', async () => {
    const compiled = await compiler.compile(
      bundle({
        'api/order.json': {
          type: 'object',
          properties: {
            customer: { $ref: '../common/customer.json' },
            lines: { type: 'array', items: { $ref: 'line.json#/definitions/line' } },
          },
        },
        'common/customer.json': {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' } },
        },
        'api/line.json': {
          definitions: { line: { type: 'object', properties: { qty: { type: 'integer' } } } },
        },
      }),
    );
    expect(compiled.validate({ customer: { name: 'A' }, lines: [{ qty: 1 }] })).toBe(true);
    expect(compiled.validate({ customer: {}, lines: [{ qty: 1.5 }] })).toBe(false);
    expect(compiled.references.map((r) => r.target)).toEqual([
      { scope: 'bundle', path: 'common/customer.json' },
      { scope: 'bundle', path: 'api/line.json' },
    ]);
  });

  it('finds other library schemas by $id through the resolver', async () => {
    const asked: string[] = [];
    const compiled = await compiler.compile(
      bundle({
        's.json': { properties: { address: { $ref: 'https://schemas.example.com/address.json' } } },
      }),
      {
        resolver: {
          resolveId: (id) => {
            asked.push(id);
            return Promise.resolve({
              ref: 'asset-address@2',
              bundle: bundle({
                'address.json': {
                  $id: 'https://schemas.example.com/address.json',
                  type: 'object',
                  required: ['city'],
                },
              }),
            });
          },
        },
      },
    );
    expect(asked).toEqual(['https://schemas.example.com/address.json']);
    expect(libraryDependencies(compiled.references)).toEqual(['asset-address@2']);
    expect(compiled.validate({ address: { city: 'Bern' } })).toBe(true);
    expect(compiled.validate({ address: {} })).toBe(false);
  });

  it('reports every unresolved $ref and missing pointer with its JSON pointer', async () => {
    const problems = await problemsOf(
      compiler.compile(
        bundle({
          's.json': {
            definitions: { a: { type: 'string' } },
            properties: {
              x: { $ref: '#/definitions/b' },
              y: { $ref: 'other.json' },
              z: { items: [{ $ref: 'urn:nowhere' }] },
            },
          },
        }),
      ),
    );
    expect(problems.map((p) => [p.pointer, p.code, p.message])).toEqual([
      [
        '/properties/x/$ref',
        'reference_unresolved',
        '$ref "#/definitions/b" points at /definitions/b, which does not exist in s.json',
      ],
      [
        '/properties/y/$ref',
        'reference_unresolved',
        '$ref "other.json" is not in the bundle or the library (remote schemas are never fetched)',
      ],
      [
        '/properties/z/items/0/$ref',
        'reference_unresolved',
        '$ref "urn:nowhere" is not in the bundle or the library (remote schemas are never fetched)',
      ],
    ]);
  });

  it('reports meta-schema violations of every file, located', async () => {
    const problems = await problemsOf(
      compiler.compile(
        bundle({
          'a.json': { properties: { x: { type: 'strin' } }, allOf: [{ $ref: 'b.json' }] },
          'b.json': { required: 'x' },
        }),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'a.json',
          pointer: '/properties/x/type',
          code: 'schema_invalid',
        }),
        expect.objectContaining({ file: 'b.json', pointer: '/required', code: 'schema_invalid' }),
      ]),
    );
  });

  it('reports JSON syntax errors with line and column', async () => {
    const problems = await problemsOf(
      compiler.compile(bundle({ 's.json': '{\n  "type": "object",\n  "properties": {,}\n}' })),
    );
    expect(problems).toEqual([
      {
        file: 's.json',
        line: 3,
        column: 18,
        message: 'not valid JSON: unexpected ","',
        code: 'syntax_error',
      },
    ]);
  });

  it('refuses two files with the same $id', async () => {
    const problems = await problemsOf(
      compiler.compile(bundle({ 'a.json': { $id: 'urn:x' }, 'b.json': { $id: 'urn:x' } })),
    );
    expect(problems[0].message).toBe('$id urn:x is also the $id of a.json');
  });
});
