import { SchemaInvalidError } from './schema-problems';
import { ublBundle } from './testing/corpus';
import { XsdCompiler } from './xsd-compiler';
import { XsdValidatorPool } from './xsd-validator-pool';

describe('XsdCompiler', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  afterAll(() => pool.close());

  it('compiles the UBL Invoice bundle with its common/ imports', async () => {
    const compiled = await compiler.compile(ublBundle('Invoice'));
    expect(compiled.targetNamespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(compiled.globalElements).toEqual([
      { namespace: compiled.targetNamespace, name: 'Invoice' },
    ]);
    console.log(compiled.references.length, compiled.warnings.slice(0, 3));
  });

  it('reports every problem', async () => {
    const bundle = {
      type: 'XSD' as const,
      main: 'main.xsd',
      files: [
        {
          path: 'main.xsd',
          text: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:other" targetNamespace="urn:main">
  <xs:import namespace="urn:other" schemaLocation="http://127.0.0.1:9/other.xsd"/>
  <xs:include schemaLocation="missing.xsd"/>
  <xs:element name="a" type="xs:strin"/>
  <xs:element name="b" type="o:Foo"/>
</xs:schema>`,
        },
      ],
    };
    const error = await compiler.compile(bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaInvalidError);
    console.log((error as SchemaInvalidError).problems);
  });
});
