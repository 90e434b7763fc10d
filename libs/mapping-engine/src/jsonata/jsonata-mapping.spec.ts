import { type SchemaField } from '@integrixs/schema-engine';

import { xmlToJson } from '../canonical/xml-to-json';
import { xsdExpander, xsdValueTypes } from '../canonical/xsd-support';
import { compileXsd, rootOf, summaryStructure, UBL_INVOICE_EXAMPLE } from '../testing/fixtures';
import { CompiledMapping } from './jsonata-mapping';
import { MappingCompileError, MappingRuntimeError, type JsonataMapping } from './mapping-model';

/** UBL Invoice → invoice summary, the demo mapping of the issue. */
const SUMMARY_RULES: JsonataMapping = {
  rules: [
    { target: '/id', expression: "ID.'#text'" },
    { target: '/issueDate', expression: 'IssueDate' },
    {
      target: '/supplier/name',
      expression: 'AccountingSupplierParty.Party.PartyName.Name.`#text`',
    },
    {
      target: '/customer/name',
      expression: "AccountingCustomerParty.Party.PartyName[0].Name.'#text'",
    },
    { target: '/totals/payable', expression: "LegalMonetaryTotal.PayableAmount.'#text'" },
    { target: '/totals/currency', expression: "LegalMonetaryTotal.PayableAmount.'@currencyID'" },
    { target: '/lines[]/id', expression: "InvoiceLine.ID.'#text'" },
    { target: '/lines[]/amount', expression: "InvoiceLine.LineExtensionAmount.'#text'" },
  ],
};

describe('JSONata mappings', () => {
  let invoice: SchemaField;
  let summary: SchemaField;
  let input: unknown;
  let expand: (field: SchemaField) => SchemaField | undefined;
  beforeAll(async () => {
    const compiled = await compileXsd('ubl-invoice');
    invoice = rootOf(compiled, 'Invoice', 3);
    summary = await summaryStructure();
    expand = xsdExpander(compiled, 'Invoice');
    input = xmlToJson(UBL_INVOICE_EXAMPLE(), invoice, { types: xsdValueTypes(compiled), expand });
  }, 60_000);

  it('maps the UBL example to the summary, creating objects and arrays by path', async () => {
    const mapping = CompiledMapping.compile(SUMMARY_RULES, { target: summary });
    const output = (await mapping.evaluate(input)) as Record<string, unknown>;
    expect(output).toMatchObject({
      id: 'TOSL108',
      issueDate: '2009-12-15',
      supplier: { name: 'Salescompany ltd.' },
      customer: { name: 'Buyercompany ltd' },
      totals: { payable: 729, currency: 'EUR' },
    });
    expect(output['lines']).toEqual([
      { id: '1', amount: 1273 },
      { id: '2', amount: -3.96 },
      { id: '3', amount: 4.96 },
      { id: '4', amount: -25 },
      { id: '5', amount: 187.5 },
    ]);
  });

  it('starts from the whole-document expression and lets rules set fields on it', async () => {
    const mapping = CompiledMapping.compile(
      {
        document: "{ 'id': ID.'#text', 'totals': { 'payable': 0 } }",
        rules: [{ target: '/totals/payable', expression: '42' }],
      },
      { target: summary },
    );
    expect(await mapping.evaluate(input)).toEqual({ id: 'TOSL108', totals: { payable: 42 } });
  });

  it('puts a scalar for an XML element with attributes into its #text', async () => {
    const mapping = CompiledMapping.compile(
      {
        rules: [
          { target: '/Invoice/ID', expression: "'X1'" },
          { target: '/Invoice/ID/@schemeID', expression: "'S'" },
        ],
      },
      { target: invoice },
    );
    expect(await mapping.evaluate({})).toEqual({ ID: { '#text': 'X1', '@schemeID': 'S' } });
  });

  it.each([
    [
      'a syntax error names the rule and the position',
      { rules: [{ target: '/id', expression: 'ID +' }] },
      [{ location: 'rules[0]', target: '/id', code: 'syntax_error', position: 4 }],
    ],
    [
      'every broken rule is reported, not only the first',
      {
        rules: [
          { target: '/id', expression: '(' },
          { target: '/issueDate', expression: 'IssueDate' },
          { target: '/totals/payable', expression: '$sum(' },
        ],
      },
      [
        { location: 'rules[0]', code: 'syntax_error' },
        { location: 'rules[2]', code: 'syntax_error' },
      ],
    ],
    [
      'a target the target schema does not have',
      { rules: [{ target: '/bogus/x', expression: '1' }] },
      [
        {
          location: 'rules[0]',
          code: 'unknown_target',
          message: 'the target has no field /bogus/x',
        },
      ],
    ],
    [
      'a broken document expression',
      { document: '{ "a": }' },
      [{ location: 'document', code: 'syntax_error' }],
    ],
    ['an empty mapping', { rules: [] }, [{ code: 'empty_mapping' }]],
  ])('refuses to compile: %s', (_name, mapping: JsonataMapping, problems) => {
    let error: unknown;
    try {
      CompiledMapping.compile(mapping, { source: invoice, target: summary });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MappingCompileError);
    expect((error as MappingCompileError).problems).toMatchObject(problems);
  });

  it.each([
    ['a known path: no warning', "AccountingSupplierParty.Party.PartyName.Name.'#text'", []],
    ['an unknown top-level field', 'Bogus', ['/Invoice/Bogus']],
    [
      'an unknown field deep in a path',
      'AccountingSupplierParty.Party.Nme',
      ['/Invoice/AccountingSupplierParty/Party/Nme'],
    ],
    [
      'inside a filter, relative to its step',
      'InvoiceLine[Qty > 1].ID',
      ['/Invoice/InvoiceLine/Qty'],
    ],
    [
      'in function arguments',
      '$sum(InvoiceLine.LineExtensionAmount.Value)',
      ['/Invoice/InvoiceLine/LineExtensionAmount/Value'],
    ],
    ['attributes are known by @name', "ID.'@schemeID' & ID.'@bogus'", ['/Invoice/ID/@bogus']],
    ['$$ is the document root', '$$.Bogus', ['/Invoice/Bogus']],
    [
      'variables and lambdas are not guessed at',
      '($x := 1; $map([1], function($v) { $v.Whatever }))',
      [],
    ],
  ])('warns about source references: %s', (_name, expression, paths) => {
    const mapping = CompiledMapping.compile(
      { rules: [{ target: '/id', expression }] },
      { source: invoice, target: summary },
    );
    expect(mapping.warnings.map((w) => w.path)).toEqual(paths);
    for (const w of mapping.warnings)
      expect(w).toMatchObject({ location: 'rules[0]', code: 'unknown_source_field' });
  });

  it('checks references below the fields a shallow structure cut short, expanding them', () => {
    const deep =
      'AccountingSupplierParty.Party.PostalAddress.Country.IdentificationCode & AccountingSupplierParty.Party.PostalAddress.Bogus';
    const rules = { rules: [{ target: '/id', expression: deep }] };
    expect(CompiledMapping.compile(rules, { source: invoice }).warnings).toEqual([]);
    const expanded = CompiledMapping.compile(rules, { source: invoice, expandSource: expand });
    expect(expanded.warnings.map((w) => w.path)).toEqual([
      '/Invoice/AccountingSupplierParty/Party/PostalAddress/Bogus',
    ]);
  });

  it('checks references into a JSON Schema source too', () => {
    const mapping = CompiledMapping.compile(
      { rules: [{ target: '/id', expression: 'lines.amount & lines.bogus & supplier.name' }] },
      { source: summary, target: summary },
    );
    expect(mapping.warnings.map((w) => w.path)).toEqual(['/lines[]/bogus']);
  });

  it('reports a runtime error with the rule', async () => {
    const mapping = CompiledMapping.compile({
      rules: [{ target: '/id', expression: "$number('x')" }],
    });
    await expect(mapping.evaluate({})).rejects.toThrow(MappingRuntimeError);
    await expect(mapping.evaluate({})).rejects.toThrow(/^rules\[0\]: /);
  });
});
