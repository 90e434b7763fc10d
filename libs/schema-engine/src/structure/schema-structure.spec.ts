import { JsonSchemaCompiler } from '../json-schema/json-schema-compiler';
import { corpusBundle, ublBundle } from '../testing/corpus';
import { WsdlParser } from '../wsdl/wsdl-parser';
import { XsdCompiler } from '../xsd/xsd-compiler';
import { XsdValidatorPool } from '../xsd/xsd-validator-pool';
import {
  jsonSchemaStructure,
  wsdlStructure,
  xsdStructure,
  type SchemaField,
} from './schema-structure';

const ORDER_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:o" targetNamespace="urn:o" elementFormDefault="qualified">
  <xs:element name="order" type="o:Order">
    <xs:annotation><xs:documentation>A purchase   order.</xs:documentation></xs:annotation>
  </xs:element>
  <xs:element name="note" type="xs:string"/>
  <xs:complexType name="Order">
    <xs:sequence>
      <xs:element name="id" type="o:Id"/>
      <xs:element name="total" type="o:Amount"/>
      <xs:choice>
        <xs:element name="card" type="xs:string"/>
        <xs:element name="invoice" type="xs:string"/>
      </xs:choice>
      <xs:element ref="o:note" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="part" type="o:Part" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="status" use="required">
      <xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="open"/><xs:enumeration value="closed"/></xs:restriction></xs:simpleType>
    </xs:attribute>
  </xs:complexType>
  <xs:simpleType name="Id"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}\\d+"/><xs:maxLength value="10"/></xs:restriction></xs:simpleType>
  <xs:complexType name="Amount">
    <xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string"/></xs:extension></xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="Item"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="Part">
    <xs:complexContent><xs:extension base="o:Item"><xs:sequence><xs:element name="part" type="o:Part" minOccurs="0"/></xs:sequence></xs:extension></xs:complexContent>
  </xs:complexType>
</xs:schema>`;

/** A compact view: path → the facts under test. */
function facts(fields: SchemaField[], out: Record<string, string> = {}): Record<string, string> {
  for (const f of fields) {
    const parts = [
      f.type,
      f.minOccurs !== undefined ? `${f.minOccurs}..${f.maxOccurs}` : undefined,
      f.required ? 'required' : undefined,
      f.choice ? 'choice' : undefined,
      f.recursive ? 'recursive' : undefined,
      f.enum ? `enum(${f.enum.join(',')})` : undefined,
      f.facets ? JSON.stringify(f.facets) : undefined,
    ];
    out[f.path] = parts.filter(Boolean).join(' ');
    facts(f.children ?? [], out);
  }
  return out;
}

describe('schema structure', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  afterAll(() => pool.close());

  it('describes an XSD root element: types, cardinality, choice, attributes, refs, recursion', async () => {
    const compiled = await compiler.compile(
      { type: 'XSD', main: 'o.xsd', files: [{ path: 'o.xsd', text: ORDER_XSD }] },
      { keep: false },
    );
    const structure = xsdStructure(compiled, { root: 'order' });
    expect(structure.roots[0]).toMatchObject({
      name: 'order',
      namespace: 'urn:o',
      type: 'Order',
      documentation: 'A purchase order.',
    });
    expect(facts(structure.roots)).toEqual({
      '/order': 'Order',
      '/order/id': 'Id 1..1 {"maxLength":"10","pattern":"[A-Z]{2}\\\\d+"}',
      '/order/total': 'Amount 1..1',
      '/order/total/@currency': 'xs:string',
      '/order/card': 'xs:string 1..1 choice',
      '/order/invoice': 'xs:string 1..1 choice',
      '/order/note': 'xs:string 0..unbounded',
      '/order/part': 'Part 0..unbounded',
      '/order/part/name': 'xs:string 1..1',
      '/order/part/part': 'Part 0..1 recursive',
      '/order/@status': 'required enum(open,closed)',
    });
    expect(structure.types).toEqual([
      '{urn:o}Amount',
      '{urn:o}Id',
      '{urn:o}Item',
      '{urn:o}Order',
      '{urn:o}Part',
    ]);
  });

  it('describes the UBL Invoice within its caps', async () => {
    const compiled = await compiler.compile(ublBundle('Invoice'), { keep: false });
    const started = performance.now();
    const structure = xsdStructure(compiled, { maxDepth: 3 });
    expect(performance.now() - started).toBeLessThan(5000);
    const invoice = structure.roots[0];
    const id = invoice.children?.find((c) => c.name === 'ID');
    expect(id).toMatchObject({ path: '/Invoice/ID', type: 'IDType', minOccurs: 1, maxOccurs: 1 });
    expect(id?.children?.map((c) => c.path)).toContain('/Invoice/ID/@schemeID');
    expect(invoice.children?.find((c) => c.name === 'InvoiceLine')).toMatchObject({
      minOccurs: 1,
      maxOccurs: 'unbounded',
    });
  });

  it('describes WSDL operations down to the part elements', async () => {
    const wsdl = await new WsdlParser(compiler).parse(
      corpusBundle('WSDL', 'wsdl/elementref', 'foo.wsdl'),
      { keep: false },
    );
    const structure = wsdlStructure(wsdl);
    expect(facts(structure.roots)).toMatchObject({
      '/fooOp': '',
      '/fooOp/input': 'fooRq',
      '/fooOp/input/fooRq': '',
      '/fooOp/input/fooRq/paymentRq': '0..unbounded',
      '/fooOp/input/fooRq/paymentRq/bankSvcRq/requestUID': 'xs:string 1..1',
      '/fooOp/output/fooRs/@id': 'xs:ID',
    });
  });

  it('describes a JSON Schema: properties, items, required, $ref, allOf, oneOf, cycles', async () => {
    const schema = {
      definitions: {
        person: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', description: 'Full name' },
            friends: { type: 'array', items: { $ref: '#/definitions/person' } },
          },
        },
      },
      type: 'object',
      required: ['owner'],
      properties: {
        owner: { $ref: '#/definitions/person' },
        size: { type: ['integer', 'null'], maximum: 10 },
        kind: { enum: ['a', 'b'] },
      },
      allOf: [{ properties: { created: { type: 'string', format: 'date-time' } } }],
      oneOf: [
        { properties: { email: { type: 'string' } } },
        { properties: { phone: { type: 'string' } } },
      ],
    };
    const compiled = await new JsonSchemaCompiler().compile({
      type: 'JSON_SCHEMA',
      main: 's.json',
      files: [{ path: 's.json', text: JSON.stringify(schema) }],
    });
    const structure = jsonSchemaStructure(compiled);
    expect(facts(structure.roots)).toEqual({
      '/': 'object',
      '/owner': 'object required',
      '/owner/name': 'string required',
      '/owner/friends': 'array',
      '/owner/friends[]': 'object recursive',
      '/size': 'integer|null {"maximum":"10"}',
      '/kind': 'enum(a,b)',
      '/created': 'string {"format":"date-time"}',
      '/email': 'string choice',
      '/phone': 'string choice',
    });
    expect(structure.roots[0].children?.[0].children?.[0].documentation).toBe('Full name');
  });

  it('follows $ref into other files of the package schema', async () => {
    const compiled = await new JsonSchemaCompiler().compile(
      corpusBundle(
        'JSON_SCHEMA',
        'jsonschema/package',
        'schema.json',
        (p) => p === 'schema.json' || p.startsWith('refs/'),
      ),
    );
    const structure = jsonSchemaStructure(compiled, { maxDepth: 2 });
    const ava = structure.roots[0].children?.find((c) => c.name === 'ava');
    expect(ava?.children?.map((c) => c.name)).toContain('files');
  });
});
