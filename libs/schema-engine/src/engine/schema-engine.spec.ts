import { SchemaInvalidError } from '../problems/schema-problems';
import { corpusBundle, corpusText, ublBundle } from '../testing/corpus';
import { SchemaEngine, type SchemaSource } from './schema-engine';

describe('SchemaEngine', () => {
  const engine = new SchemaEngine({ pool: { workers: 1 } });
  afterAll(() => engine.close());

  it('validates payloads against cached versions of each schema type', async () => {
    let loads = 0;
    const load = (source: SchemaSource) => () => {
      loads += 1;
      return Promise.resolve(source);
    };
    const invoice = load({ bundle: ublBundle('Invoice') });
    const example = corpusText('xsd/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml');
    expect(await engine.validate('invoice@1', invoice, example)).toEqual({
      valid: true,
      errors: [],
    });
    expect((await engine.validate('invoice@1', invoice, example, { root: 'Order' })).valid).toBe(
      false,
    );

    const workflow = load({
      bundle: corpusBundle(
        'JSON_SCHEMA',
        'jsonschema/github-workflow',
        'schema.json',
        (p) => p === 'schema.json',
      ),
    });
    const valid = corpusText('jsonschema/github-workflow/valid/npm-publish.json');
    expect(await engine.validate('workflow@1', workflow, valid)).toEqual({
      valid: true,
      errors: [],
    });
    expect((await engine.validate('workflow@1', workflow, '{}')).valid).toBe(false);

    const wsdl = load({ bundle: corpusBundle('WSDL', 'wsdl/elementref', 'foo.wsdl') });
    const body = '<b:fooRs xmlns:b="http://example.com/bar/xsd"/>';
    expect(await engine.validate('foo@1', wsdl, body, { root: 'fooOp/output' })).toEqual({
      valid: true,
      errors: [],
    });
    expect(loads).toBe(3);
    expect(engine.cache.stats()).toMatchObject({ entries: 3, hits: 2, misses: 3 });
  });

  it('compiles for checking, with structure, references and warnings', async () => {
    const compiled = await engine.compile(
      corpusBundle('WSDL', 'wsdl/complex', 'registration.wsdl'),
      { keep: false },
    );
    expect(engine.structure(compiled).roots.map((r) => r.name)).toEqual(['registerUser']);
    expect(engine.references(compiled).length).toBeGreaterThan(3);
    expect(engine.warnings(compiled)).toHaveLength(1);
    await expect(
      engine.compile(corpusBundle('WSDL', 'wsdl', 'bad.txt', (p) => p === 'bad.txt')),
    ).rejects.toBeInstanceOf(SchemaInvalidError);
  });
});
