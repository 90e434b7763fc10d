import { normalisedXml } from '../canonical/xml-equivalence';
import { compileXsd, rootOf } from '../testing/fixtures';
import { prepareTransform } from './payload-io';

const ORDER_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o" xmlns:o="urn:o" elementFormDefault="qualified">
  <xs:element name="order">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="id" type="xs:string"/>
        <xs:element name="total" type="o:Amount"/>
        <xs:element name="line" maxOccurs="unbounded">
          <xs:complexType><xs:sequence><xs:element name="qty" type="xs:int"/></xs:sequence></xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="status" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="Amount">
    <xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string"/></xs:extension></xs:simpleContent>
  </xs:complexType>
</xs:schema>`;

describe('transformations in process (payload in, payload out)', () => {
  it('maps JSON to XML: rules in any order, written in schema order with the target namespace', async () => {
    const compiled = await compileXsd([{ path: 'o.xsd', text: ORDER_XSD }]);
    const transform = prepareTransform({
      kind: 'JSONATA',
      mapping: {
        rules: [
          { target: '/order/line[]/qty', expression: 'items.n' },
          { target: '/order/@status', expression: "'open'" },
          { target: '/order/total', expression: '$sum(items.(n * price))' },
          { target: '/order/total/@currency', expression: 'currency' },
          { target: '/order/id', expression: 'ref' },
        ],
      },
      source: { format: 'JSON' },
      target: { format: 'XML', root: rootOf(compiled, 'order'), prefixes: { 'urn:o': 'o' } },
    });
    const output = await transform.run(
      JSON.stringify({
        ref: 'A1',
        currency: 'EUR',
        items: [
          { n: 2, price: 1.5 },
          { n: 1, price: 4 },
        ],
      }),
    );
    expect(output).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<o:order xmlns:o="urn:o" status="open"><o:id>A1</o:id><o:total currency="EUR">7</o:total>' +
        '<o:line><o:qty>2</o:qty></o:line><o:line><o:qty>1</o:qty></o:line></o:order>',
    );
    expect(normalisedXml(output)).toContain('{urn:o}line');
  });

  it('passes JSON to JSON through a whole-document expression', async () => {
    const transform = prepareTransform({
      kind: 'JSONATA',
      mapping: { document: '{ "names": people.name }' },
      source: { format: 'JSON' },
      target: { format: 'JSON' },
    });
    const output = await transform.run('{"people":[{"name":"a"},{"name":"b"}]}');
    expect(JSON.parse(output)).toEqual({ names: ['a', 'b'] });
  });
});
