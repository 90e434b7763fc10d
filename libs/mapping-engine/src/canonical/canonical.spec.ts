import {
  XsdCompiler,
  xsdStructure,
  XsdValidatorPool,
  type SchemaField,
} from '@integrixs/schema-engine';
import { corpusText, ublBundle } from '@integrixs/schema-engine/testing';

import { CanonicalError } from './canonical-error';
import { typedValue, type CanonicalOptions, type ValueKind } from './canonical-fields';
import { jsonToXml } from './json-to-xml';
import { normalisedXml } from './xml-equivalence';
import { readCanonicalXml } from './xml-reader';
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

/** Both readers must give the same JSON: the libxml2 tree walk and the saxes stream. */
const READERS = [
  ['libxml2 tree', xmlToJson],
  ['saxes stream', readCanonicalXml],
] as const;

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
    for (const [reader, read] of READERS) {
      expect([reader, read(xml, order)]).toEqual([reader, json]);
    }
    // …and back: the same document, whatever the prefixes.
    expect(normalisedXml(jsonToXml(xmlToJson(xml, order), order))).toEqual(normalisedXml(xml));
  });

  // Read only: content the structure does not describe cannot be written back.
  it.each([
    [
      'comments and processing instructions are dropped, CDATA is text',
      wrap('<!--c--><o:note>a<!--x-->b<![CDATA[<c>]]></o:note><?pi x?>'),
      { id: 'A1', note: ['ab<c>'] },
    ],
    [
      'xsi:nil is null; other xsi attributes are dropped',
      wrap(
        '<o:count xsi:nil="true"/><o:note xsi:type="xs:string">n</o:note>',
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      ),
      { id: 'A1', count: null, note: ['n'] },
    ],
    [
      'content the structure does not describe is kept generically',
      wrap('<o:extra k="v"><o:a>1</o:a><o:a>2</o:a><y:b>t</y:b></o:extra>'),
      { id: 'A1', extra: { '@k': 'v', a: ['1', '2'], '{urn:x}b': 't' } },
    ],
    [
      'generic mixed content and generic text with attributes',
      wrap('<o:extra>x <o:i a="1">y</o:i> z</o:extra>'),
      { id: 'A1', extra: { '#mixed': ['x ', { i: { '@a': '1', '#text': 'y' } }, ' z'] } },
    ],
    [
      'entities and character references are text; an unknown attribute is kept as text',
      wrap('<o:note>a &amp; b &#65;</o:note>', ' status="&lt;s&gt;" other="1"'),
      { '@status': '<s>', '@other': '1', id: 'A1', note: ['a & b A'] },
    ],
  ])('reads %s (both readers)', (_name, xml, json) => {
    for (const [reader, read] of READERS) {
      expect([reader, read(xml, order)]).toEqual([reader, json]);
    }
  });

  it.each([
    [
      'a simple element with unexpected children reads all their text',
      wrap('<o:note>a<o:b>c</o:b>d</o:note>'),
    ],
    ['a declared-single element that repeats', wrap('<o:count>1</o:count><o:count>2</o:count>')],
    [
      'a nil element inside generic content',
      wrap(
        '<o:extra xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><o:z xsi:nil="true">q</o:z></o:extra>',
      ),
    ],
    [
      'mixed content with an element in the wrong namespace',
      wrap('<o:remark>a<y:b>c</y:b><b>d</b></o:remark>'),
    ],
    [
      'whitespace between elements and an empty generic element',
      wrap('\n  <o:extra/>\n  <o:line>\n <o:qty> 3 </o:qty>\n</o:line>\n'),
    ],
    [
      'the document element is nil',
      '<o:order xmlns:o="urn:o" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"><o:id>x</o:id></o:order>',
    ],
  ])('both readers agree: %s', (_name, xml) => {
    const expected = xmlToJson(xml, order, { types });
    expect(readCanonicalXml(xml, order, { types })).toEqual(expected);
    expect(readCanonicalXml(xml, order, { types, values: 'text' })).toEqual(
      xmlToJson(xml, order, { types, values: 'text' }),
    );
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
    ['0.050', 0.05],
    ['-000123.4500', -123.45],
    ['123456789012345', 123456789012345],
    ['1234567890.123456', '1234567890.123456'],
    ['0.0000000000000001234', 1.234e-16],
    ['1.5e3', 1500],
    ['1e400', '1e400'],
    [' 2 ', 2],
    ['1,5', '1,5'],
  ])('types the decimal %j as %j (at most 15 significant digits)', (text, value) => {
    expect(typedValue(text, 'number')).toBe(value);
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
    for (const [, read] of READERS) {
      expect(() => read(xml, order)).toThrow(CanonicalError);
      expect(() => read(xml, order)).toThrow(message);
    }
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
        // Both readers give the same JSON, typed and as text.
        for (const options of [ubl, { ...ubl, values: 'text' as const }]) {
          expect(readCanonicalXml(xml, invoice, options)).toEqual(xmlToJson(xml, invoice, options));
        }
        // As text, the round trip is exact.
        const text = { ...ubl, values: 'text' as const };
        const back = jsonToXml(xmlToJson(xml, invoice, text), invoice, text);
        expect(normalisedXml(back)).toEqual(normalisedXml(xml));
        // Typed (amounts as numbers), it is equal in the value space: 100.00 comes back as 100.
        const typed = xmlToJson(xml, invoice, ubl);
        const again = jsonToXml(typed, invoice, ubl);
        expect(xmlToJson(again, invoice, ubl)).toEqual(typed);
        expect(readCanonicalXml(again, invoice, ubl)).toEqual(typed);
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
