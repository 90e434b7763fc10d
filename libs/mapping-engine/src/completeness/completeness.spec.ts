import { type SchemaField } from '@integrixs/schema-engine';

import { type JsonataMapping } from '../jsonata/mapping-model';
import { compileXsd, rootOf, summaryStructure } from '../testing/fixtures';
import { completeness } from './completeness';

const ORDER_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o" xmlns:o="urn:o" elementFormDefault="qualified">
  <xs:element name="order">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="id" type="xs:string"/>
        <xs:element name="delivery" minOccurs="0">
          <xs:complexType><xs:sequence>
            <xs:element name="street" type="xs:string"/>
            <xs:element name="note" type="xs:string" minOccurs="0"/>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:choice>
          <xs:element name="card" type="xs:string"/>
          <xs:element name="invoice" type="xs:string"/>
        </xs:choice>
      </xs:sequence>
      <xs:attribute name="status" type="xs:string" use="required"/>
      <xs:attribute name="channel" type="xs:string"/>
    </xs:complexType>
  </xs:element>
</xs:schema>`;

const rules = (...targets: string[]): JsonataMapping => ({
  rules: targets.map((target) => ({ target, expression: "'x'" })),
});

describe('completeness', () => {
  let order: SchemaField;
  let summary: SchemaField;
  beforeAll(async () => {
    order = rootOf(await compileXsd([{ path: 'o.xsd', text: ORDER_XSD }]), 'order');
    summary = await summaryStructure();
  });

  it.each([
    [
      'nothing mapped: required fields missing, optional parents unmapped (not their children)',
      rules(),
      {
        missingRequired: [
          { path: '/order/id' },
          { path: '/order/@status' },
          { path: '/order/card', oneOf: ['/order/card', '/order/invoice'] },
        ],
        unmappedOptional: ['/order/delivery', '/order/@channel'],
      },
    ],
    [
      'a required child of an optional parent becomes required once the parent is mapped',
      rules('/order/id', '/order/@status', '/order/card', '/order/delivery/note'),
      {
        missingRequired: [{ path: '/order/delivery/street' }],
        unmappedOptional: ['/order/@channel', '/order/invoice'],
      },
    ],
    [
      'one alternative of a choice satisfies it',
      rules('/order/id', '/order/@status', '/order/invoice'),
      {
        missingRequired: [],
        unmappedOptional: ['/order/delivery', '/order/@channel', '/order/card'],
      },
    ],
    [
      'a rule on a parent covers its children',
      rules('/order/id', '/order/@status', '/order/card', '/order/delivery'),
      { missingRequired: [], unmappedOptional: ['/order/@channel', '/order/invoice'] },
    ],
  ])('XSD: %s', (_name, mapping, expected) => {
    const report = completeness(order, mapping);
    expect(report).toMatchObject(expected);
    expect(report.complete).toBe(expected.missingRequired.length === 0);
  });

  it('lists what is covered, parents of mapped fields included', () => {
    const report = completeness(order, rules('/order/delivery/street'));
    expect(report.covered).toEqual(['/order/delivery', '/order/delivery/street']);
  });

  it('a whole-document expression covers everything', () => {
    const report = completeness(order, { document: '$' });
    expect(report).toMatchObject({ complete: true, missingRequired: [], unmappedOptional: [] });
    expect(report.covered).toContain('/order/delivery/note');
  });

  it.each([
    [
      'JSON Schema: required properties, optional objects',
      rules('/id', '/issueDate'),
      {
        missingRequired: [{ path: '/supplier' }, { path: '/totals' }],
        unmappedOptional: ['/customer', '/lines'],
      },
    ],
    [
      'JSON Schema: array items become required once the array is mapped',
      rules('/id', '/issueDate', '/supplier/name', '/totals/payable', '/lines[]/id'),
      {
        missingRequired: [{ path: '/lines[]/amount' }],
        unmappedOptional: ['/supplier/vat', '/customer', '/totals/currency', '/lines[]/note'],
      },
    ],
  ])('%s', (_name, mapping, expected) => {
    expect(completeness(summary, mapping)).toMatchObject(expected);
  });
});
