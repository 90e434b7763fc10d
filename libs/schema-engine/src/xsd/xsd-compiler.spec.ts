import {
  type LibrarySchema,
  type SchemaBundle,
  type SchemaResolver,
} from '../bundle/schema-bundle';
import { libraryDependencies } from '../bundle/schema-references';
import { SchemaInvalidError, type SchemaProblem } from '../problems/schema-problems';
import { ublBundle } from '../testing/corpus';
import { XsdCompiler } from './xsd-compiler';
import { XsdValidatorPool } from './xsd-validator-pool';

/** Asymmetric matchers typed as what they match (Jest types them `any`). */
const containing = (text: string): string => expect.stringContaining(text) as string;

const XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"';

const bundle = (files: Record<string, string>, main = Object.keys(files)[0]): SchemaBundle => ({
  type: 'XSD',
  main,
  files: Object.entries(files).map(([path, text]) => ({ path, text })),
});

const resolverOf = (
  schemas: Record<string, LibrarySchema>,
): SchemaResolver & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    resolveNamespace: (namespace) => {
      asked.push(namespace);
      return Promise.resolve(schemas[namespace]);
    },
  };
};

const library: LibrarySchema = {
  ref: 'asset-common@3',
  bundle: bundle({
    'types.xsd': `<xs:schema ${XS} targetNamespace="urn:common"><xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType></xs:schema>`,
  }),
};

describe('XsdCompiler', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  afterAll(() => pool.close());

  async function problemsOf(work: Promise<unknown>): Promise<SchemaProblem[]> {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaInvalidError);
    return (error as SchemaInvalidError).problems;
  }

  it.each(['Invoice', 'Order'] as const)(
    'compiles UBL %s with its common/ schemas, found by relative schemaLocation',
    async (doc) => {
      const compiled = await compiler.compile(ublBundle(doc), { keep: false });
      const namespace = `urn:oasis:names:specification:ubl:schema:xsd:${doc}-2`;
      expect(compiled.targetNamespace).toBe(namespace);
      expect(compiled.globalElements).toEqual([{ namespace, name: doc }]);
      expect(compiled.warnings).toEqual([]);
      expect(libraryDependencies(compiled.references)).toEqual([]);
      expect(compiled.references).toContainEqual(
        expect.objectContaining({
          kind: 'xsd:import',
          file: `maindoc/UBL-${doc}-2.1.xsd`,
          location: '../common/UBL-CommonAggregateComponents-2.1.xsd',
          target: { scope: 'bundle', path: 'common/UBL-CommonAggregateComponents-2.1.xsd' },
        }),
      );
      expect(compiled.references).toContainEqual(
        expect.objectContaining({
          kind: 'xsd:include',
          file: 'common/UBL-CommonExtensionComponents-2.1.xsd',
        }),
      );
    },
  );

  it('reports every problem of every file, located', async () => {
    const problems = await problemsOf(
      compiler.compile(
        bundle({
          'main.xsd': `<xs:schema ${XS} xmlns:o="urn:other" targetNamespace="urn:main">
  <xs:import namespace="urn:other" schemaLocation="other.xsd"/>
  <xs:include schemaLocation="missing.xsd"/>
  <xs:element name="a" type="xs:strin"/>
  <xs:element name="b" type="o:Foo"/>
</xs:schema>`,
          'other.xsd': `<xs:schema ${XS} targetNamespace="urn:other">
  <xs:complexType name="Foo"><xs:sequence><xs:element name="x"/></xs:sequence>
</xs:schema>`,
        }),
      ),
    );
    expect(problems.map((p) => [p.file, p.line, p.code, p.message])).toEqual([
      [
        'main.xsd',
        3,
        'reference_unresolved',
        'xsd:include "missing.xsd" (missing.xsd) is not a file of the bundle',
      ],
      [
        'main.xsd',
        4,
        'schema_invalid',
        expect.stringContaining(
          "'{http://www.w3.org/2001/XMLSchema}strin' does not resolve to a(n) type definition",
        ),
      ],
      [
        'main.xsd',
        5,
        'schema_invalid',
        expect.stringContaining("'{urn:other}Foo' does not resolve to a(n) type definition"),
      ],
      ['other.xsd', 3, 'syntax_error', containing('not well-formed XML')],
    ]);
  });

  it('says when a file is not an XML Schema', async () => {
    const problems = await problemsOf(compiler.compile(bundle({ 'a.xsd': '<schema/>' })));
    expect(problems).toEqual([
      expect.objectContaining({
        message: 'a.xsd is not an XML Schema (its root element is not xs:schema)',
      }),
    ]);
  });

  it('resolves an import without location through the library, and records the dependency', async () => {
    const resolver = resolverOf({ 'urn:common': library });
    const compiled = await compiler.compile(
      bundle({
        'order.xsd': `<xs:schema ${XS} xmlns:c="urn:common" targetNamespace="urn:order">
  <xs:import namespace="urn:common"/>
  <xs:element name="order"><xs:complexType><xs:sequence><xs:element name="currency" type="c:Code"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>`,
      }),
      { resolver },
    );
    expect(resolver.asked).toEqual(['urn:common']);
    expect(libraryDependencies(compiled.references)).toEqual(['asset-common@3']);
    expect(compiled.references).toEqual([
      expect.objectContaining({
        kind: 'xsd:import',
        file: 'order.xsd',
        line: 2,
        namespace: 'urn:common',
        target: { scope: 'library', ref: 'asset-common@3', path: 'types.xsd' },
      }),
    ]);
    await pool
      .validate(
        compiled.engineKey as string,
        '<o:order xmlns:o="urn:order"><currency>EUR</currency></o:order>',
      )
      .then((r) => expect(r.valid).toBe(true));
    await pool
      .validate(
        compiled.engineKey as string,
        '<o:order xmlns:o="urn:order"><currency>EURO</currency></o:order>',
      )
      .then((r) => expect(r.valid).toBe(false));
    compiler.release(compiled.engineKey as string);
  });

  it('uses the library for a namespace whose remote schemaLocation is never fetched', async () => {
    const compiled = await compiler.compile(
      bundle({
        'order.xsd': `<xs:schema ${XS} xmlns:c="urn:common" targetNamespace="urn:order">
  <xs:import namespace="urn:common" schemaLocation="https://example.com/common.xsd"/>
  <xs:element name="currency" type="c:Code"/>
</xs:schema>`,
      }),
      { resolver: resolverOf({ 'urn:common': library }), keep: false },
    );
    expect(libraryDependencies(compiled.references)).toEqual(['asset-common@3']);
  });

  it('resolves an import by namespace to another file of the bundle', async () => {
    const compiled = await compiler.compile(
      bundle({
        'a.xsd': `<xs:schema ${XS} xmlns:b="urn:b" targetNamespace="urn:a"><xs:import namespace="urn:b"/><xs:element name="a" type="b:T"/></xs:schema>`,
        'lib/b.xsd': `<xs:schema ${XS} targetNamespace="urn:b"><xs:simpleType name="T"><xs:restriction base="xs:int"/></xs:simpleType></xs:schema>`,
      }),
      { keep: false },
    );
    expect(compiled.references).toEqual([
      expect.objectContaining({ target: { scope: 'bundle', path: 'lib/b.xsd' } }),
    ]);
  });

  it('handles chameleon includes and redefine', async () => {
    const compiled = await compiler.compile(
      bundle({
        'main.xsd': `<xs:schema ${XS} xmlns:m="urn:m" targetNamespace="urn:m">
  <xs:include schemaLocation="chameleon.xsd"/>
  <xs:redefine schemaLocation="base.xsd">
    <xs:simpleType name="Size"><xs:restriction base="m:Size"><xs:maxInclusive value="10"/></xs:restriction></xs:simpleType>
  </xs:redefine>
  <xs:element name="box"><xs:complexType><xs:sequence><xs:element name="name" type="m:Name"/><xs:element name="size" type="m:Size"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>`,
        'chameleon.xsd': `<xs:schema ${XS}><xs:simpleType name="Name"><xs:restriction base="xs:string"/></xs:simpleType></xs:schema>`,
        'base.xsd': `<xs:schema ${XS} targetNamespace="urn:m"><xs:simpleType name="Size"><xs:restriction base="xs:int"/></xs:simpleType></xs:schema>`,
      }),
    );
    const key = compiled.engineKey as string;
    expect(
      (await pool.validate(key, '<m:box xmlns:m="urn:m"><name>a</name><size>5</size></m:box>'))
        .valid,
    ).toBe(true);
    expect(
      (await pool.validate(key, '<m:box xmlns:m="urn:m"><name>a</name><size>50</size></m:box>'))
        .valid,
    ).toBe(false);
    expect(compiled.model.type({ namespace: 'urn:m', name: 'Name' })?.doc.file).toBe(
      'chameleon.xsd',
    );
    compiler.release(key);
  });

  it('supplies the xml: namespace when it is imported without a location', async () => {
    const compiled = await compiler.compile(
      bundle({
        'a.xsd': `<xs:schema ${XS}><xs:import namespace="http://www.w3.org/XML/1998/namespace"/><xs:element name="t"><xs:complexType><xs:attribute ref="xml:lang"/></xs:complexType></xs:element></xs:schema>`,
      }),
      { keep: false },
    );
    expect(compiled.references).toEqual([
      expect.objectContaining({ target: { scope: 'builtin', name: 'xml.xsd' } }),
    ]);
  });
});
