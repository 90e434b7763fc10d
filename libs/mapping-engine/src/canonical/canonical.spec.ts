import {
  XsdCompiler,
  xsdStructure,
  XsdValidatorPool,
  type SchemaField,
} from '@integrixs/schema-engine';
import { corpusText, ublBundle } from '@integrixs/schema-engine/testing';

import { CanonicalError } from './canonical-error';
import { type CanonicalOptions, type ValueKind } from './canonical-fields';
import { jsonToXml } from './json-to-xml';
import { normalisedXml } from './xml-equivalence';
import { xmlToJson, type JsonValue } from './xml-to-json';
import { xsdExpander, xsdValueTypes } from './xsd-support';

const ORDER_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:o" xmlns:x="urn:x" targetNamespace="urn:o" elementFormDefault="qualified">
  <xs:import namespace="urn:x" schemaLocation="x.xsd"/>
  <xs:element name="order">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="id" type="xs:string"/>
        <xs:element name="count" type="xs:int" minOccurs="0"/>
        <xs:element name="paid" type="xs:boolean" minOccurs="0"/>
        <xs:element name="total" type="o:Amount" minOccurs="0"/>
        <xs:element name="note" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="line" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType><xs:sequence><xs:element name="qty" type="xs:decimal"/></xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="part" minOccurs="0">
          <xs:complexType><xs:sequence>
            <xs:element name="qty" type="xs:decimal"/>
            <xs:element ref="x:qty" minOccurs="0"/>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="remark" type="o:Remark" minOccurs="0"/>
        <xs:element name="empty" minOccurs="0"><xs:complexType/></xs:element>
      </xs:sequence>
      <xs:attribute name="status" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="Amount">
    <xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string"/></xs:extension></xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="Remark" mixed="true">
    <xs:sequence><xs:element name="b" type="xs:string" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
</xs:schema>`;
const X_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x" elementFormDefault="qualified">
  <xs:element name="qty" type="xs:string"/>
</xs:schema>`;

const wrap = (inner: string, attrs = '') =>
  `<o:order xmlns:o="urn:o" xmlns:y="urn:x"${attrs}><o:id>A1</o:id>${inner}</o:order>`;

describe('canonical XML ⇄ JSON', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  let order: SchemaField;
  let types: Record<string, ValueKind>;
  beforeAll(async () => {
    const compiled = await compiler.compile(
      {
        type: 'XSD',
        main: 'o.xsd',
        files: [
          { path: 'o.xsd', text: ORDER_XSD },
          { path: 'x.xsd', text: X_XSD },
        ],
      },
      { keep: false },
    );
    order = xsdStructure(compiled, { root: 'order' }).roots[0];
    types = xsdValueTypes(compiled);
  });
  afterAll(() => pool.close());

  it.each([
    [
      'a repeating element with one occurrence is an array',
      wrap('<o:note>n</o:note>'),
      { id: 'A1', note: ['n'] },
    ],
    [
      'a repeating complex element keeps every occurrence in order',
      wrap('<o:line><o:qty>1.5</o:qty></o:line><o:line><o:qty>2</o:qty></o:line>'),
      { id: 'A1', line: [{ qty: 1.5 }, { qty: 2 }] },
    ],
    ['attributes are @name', wrap('', ' status="open"'), { '@status': 'open', id: 'A1' }],
    [
      'the text of an element with attributes is #text (a named type: text unless types says)',
      wrap('<o:total currency="EUR">10.5</o:total>'),
      { id: 'A1', total: { '@currency': 'EUR', '#text': '10.5' } },
    ],
    [
      'numbers and booleans are typed from the schema',
      wrap('<o:count>7</o:count><o:paid>true</o:paid>'),
      { id: 'A1', count: 7, paid: true },
    ],
    [
      'mixed content keeps text and elements in order',
      wrap('<o:remark>Hello <o:b>Ann</o:b>, bye</o:remark>'),
      { id: 'A1', remark: { '#mixed': ['Hello ', { b: 'Ann' }, ', bye'] } },
    ],
    [
      'namespaces: a local-name clash between siblings uses {ns}name',
      wrap('<o:part><o:qty>1</o:qty><y:qty>one</y:qty></o:part>'),
      { id: 'A1', part: { '{urn:o}qty': 1, '{urn:x}qty': 'one' } },
    ],
    [
      'empty elements: an empty string is "", an empty number null (an empty type reads as "")',
      wrap('<o:count/><o:note/><o:empty/>'),
      { id: 'A1', count: null, note: [''], empty: '' },
    ],
    [
      'prefixes do not matter (default namespace instead of o:)',
      '<order xmlns="urn:o"><id>A1</id><note>x</note></order>',
      { id: 'A1', note: ['x'] },
    ],
  ])('%s', (_name, xml, json) => {
    expect(xmlToJson(xml, order)).toEqual(json);
    // …and back: the same document, whatever the prefixes.
    expect(normalisedXml(jsonToXml(xmlToJson(xml, order), order))).toEqual(normalisedXml(xml));
  });

  it('writes in schema order with the target namespace, whatever the key order', () => {
    const xml = jsonToXml({ note: ['n'], id: 'A1', '@status': 'x' }, order, {
      prefixes: { 'urn:o': 'o' },
      declaration: false,
    });
    expect(xml).toBe(
      '<o:order xmlns:o="urn:o" status="x"><o:id>A1</o:id><o:note>n</o:note></o:order>',
    );
  });

  it('types named simple types from the compiled schema (xsdValueTypes)', () => {
    const json = xmlToJson(wrap('<o:total currency="EUR">10.50</o:total>'), order, { types });
    expect(json).toEqual({ id: 'A1', total: { '@currency': 'EUR', '#text': 10.5 } });
    expect(jsonToXml(json, order, { types, declaration: false })).toContain('>10.5</total>');
  });

  it('keeps decimals a JS number cannot hold as text', () => {
    const json = xmlToJson(wrap('<o:line><o:qty>12345678901234567.891</o:qty></o:line>'), order);
    expect(json).toEqual({ id: 'A1', line: [{ qty: '12345678901234567.891' }] });
  });

  it.each([
    ['an unknown key', { id: 'A1', bogus: 1 }, /no field bogus.*\/order\/bogus/],
    ['an unknown attribute', { id: 'A1', '@bogus': 1 }, /no attribute @bogus/],
    [
      'a scalar where an object belongs',
      { id: 'A1', line: ['x'] },
      /expected an object.*\/order\/line/,
    ],
  ])('refuses %s when writing, naming the path', (_name, json, message) => {
    expect(() => jsonToXml(json, order)).toThrow(message);
  });

  it.each([
    [
      'the wrong document element',
      '<o:other xmlns:o="urn:o"/>',
      /document element is \{urn:o\}other/,
    ],
    ['not well-formed XML', '<o:order xmlns:o="urn:o">', /not accepted as XML/],
    [
      'an external entity',
      '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
      /not accepted as XML/,
    ],
  ])('refuses %s when reading', (_name, xml, message) => {
    expect(() => xmlToJson(xml, order)).toThrow(CanonicalError);
    expect(() => xmlToJson(xml, order)).toThrow(message);
  });

  describe('UBL 2.1 round trip', () => {
    let invoice: SchemaField;
    let ubl: CanonicalOptions;
    beforeAll(async () => {
      const compiled = await compiler.compile(ublBundle('Invoice'), { keep: false });
      // A shallow tree, as the console gets it: deeper aggregates are expanded on demand.
      invoice = xsdStructure(compiled, { root: 'Invoice', maxDepth: 3 }).roots[0];
      ubl = { types: xsdValueTypes(compiled), expand: xsdExpander(compiled, 'Invoice') };
    }, 60_000);

    it.each(['UBL-Invoice-2.1-Example.xml', 'UBL-Invoice-2.1-Example-Trivial.xml'])(
      '%s: XML → JSON → XML is the same document',
      (file) => {
        const xml = corpusText(`xsd/ubl-2.1/examples/${file}`);
        // As text, the round trip is exact.
        const text = { ...ubl, values: 'text' as const };
        const back = jsonToXml(xmlToJson(xml, invoice, text), invoice, text);
        expect(normalisedXml(back)).toEqual(normalisedXml(xml));
        // Typed (amounts as numbers), it is equal in the value space: 100.00 comes back as 100.
        const typed = xmlToJson(xml, invoice, ubl);
        const again = jsonToXml(typed, invoice, ubl);
        expect(xmlToJson(again, invoice, ubl)).toEqual(typed);
        expect(normalisedXml(again).split('\n').length).toBe(normalisedXml(xml).split('\n').length);
      },
    );

    it('reads the UBL example in the documented shape', () => {
      const xml = corpusText('xsd/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml');
      const json = xmlToJson(xml, invoice, ubl) as Record<string, JsonValue>;
      expect(json['LegalMonetaryTotal']).toMatchObject({
        PayableAmount: { '@currencyID': 'EUR', '#text': 729 },
      });
      expect(json['ID']).toEqual({ '#text': 'TOSL108' });
      expect(json['InvoiceTypeCode']).toMatchObject({
        '@listID': 'UN/ECE 1001 Subset',
        '#text': '380',
      });
      expect(Array.isArray(json['InvoiceLine'])).toBe(true);
      expect(Array.isArray(json['Note'])).toBe(true);
    });
  });
});
