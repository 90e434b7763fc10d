import { type SchemaFieldDto } from '@integrixs/api-client';

import {
  diagnosticOf,
  fieldChain,
  lineDiagnosticOf,
  plainPath,
  ruleIndexOf,
  sourceExpression,
  targetMarks,
  targetPath,
  withRule,
} from './mapping-rules';

/** A slice of the UBL 2.1 Invoice structure as the API answers it. */
const INVOICE: SchemaFieldDto = {
  path: '/Invoice',
  name: 'Invoice',
  kind: 'element',
  children: [
    {
      path: '/Invoice/ID',
      name: 'ID',
      kind: 'element',
      type: 'IDType',
      children: [{ path: '/Invoice/ID/@schemeID', name: 'schemeID', kind: 'attribute' }],
    },
    { path: '/Invoice/IssueDate', name: 'IssueDate', kind: 'element', type: 'IssueDateType' },
    {
      path: '/Invoice/InvoiceLine',
      name: 'InvoiceLine',
      kind: 'element',
      maxOccurs: 'unbounded',
      children: [
        {
          path: '/Invoice/InvoiceLine/ID',
          name: 'ID',
          kind: 'element',
          children: [
            { path: '/Invoice/InvoiceLine/ID/@schemeID', name: 'schemeID', kind: 'attribute' },
          ],
        },
        { path: '/Invoice/InvoiceLine/cac-Note', name: 'cac-Note', kind: 'element' },
      ],
    },
  ],
};

/** The JSON "invoice summary" structure (JSON Schema paths). */
const SUMMARY: SchemaFieldDto = {
  path: '/',
  name: '/',
  kind: 'property',
  children: [
    { path: '/id', name: 'id', kind: 'property', required: true },
    {
      path: '/totals',
      name: 'totals',
      kind: 'property',
      children: [{ path: '/totals/payable', name: 'payable', kind: 'property', required: true }],
    },
    {
      path: '/lines',
      name: 'lines',
      kind: 'property',
      children: [
        {
          path: '/lines[]',
          name: '[]',
          kind: 'items',
          children: [{ path: '/lines[]/id', name: 'id', kind: 'property', required: true }],
        },
      ],
    },
  ],
};

const chain = (root: SchemaFieldDto, path: string): SchemaFieldDto[] => {
  const found = fieldChain([root], path);
  if (!found) throw new Error(`no field ${path}`);
  return found;
};

describe('mapping rule building', () => {
  it.each([
    ['/Invoice/ID', 'ID.`#text`'],
    ['/Invoice/ID/@schemeID', 'ID.`@schemeID`'],
    ['/Invoice/IssueDate', 'IssueDate'],
    ['/Invoice/InvoiceLine/ID', 'InvoiceLine.ID.`#text`'],
    ['/Invoice/InvoiceLine/cac-Note', 'InvoiceLine.`cac-Note`'],
    ['/Invoice', '$'],
  ])('prefills the expression for the XML source field %s as %s', (path, expression) => {
    expect(sourceExpression(chain(INVOICE, path))).toBe(expression);
  });

  it.each([
    ['/id', 'id'],
    ['/totals/payable', 'totals.payable'],
    ['/lines[]/id', 'lines.id'],
    ['/lines[]', 'lines'],
    ['/', '$'],
  ])('prefills the expression for the JSON source field %s as %s', (path, expression) => {
    expect(sourceExpression(chain(SUMMARY, path))).toBe(expression);
  });

  it.each([
    ['/lines[]/id', '/lines[]/id', SUMMARY],
    ['/totals/payable', '/totals/payable', SUMMARY],
    ['/Invoice/ID', '/Invoice/ID', INVOICE],
    ['/Invoice/InvoiceLine/ID', '/Invoice/InvoiceLine[]/ID', INVOICE],
    ['/Invoice/InvoiceLine/ID/@schemeID', '/Invoice/InvoiceLine[]/ID/@schemeID', INVOICE],
    ['/Invoice/InvoiceLine', '/Invoice/InvoiceLine', INVOICE],
  ])('targets the field %s as %s', (path, target, root) => {
    expect(targetPath(chain(root, path))).toBe(target);
  });

  it('finds no chain for a path the tree does not have', () => {
    expect(fieldChain([SUMMARY], '/lines[]/nope')).toBeNull();
    expect(fieldChain([SUMMARY], '/idx')).toBeNull();
  });

  it('adds a rule for a new target and replaces the expression of an existing one', () => {
    const first = withRule([], '/id', 'ID.`#text`');
    expect(first).toEqual({ rules: [{ target: '/id', expression: 'ID.`#text`' }], index: 0 });
    const second = withRule(first.rules, '/lines[]/id', 'InvoiceLine.ID');
    expect(second.index).toBe(1);
    const replaced = withRule(second.rules, '/id', 'UUID');
    expect(replaced).toEqual({
      rules: [
        { target: '/id', expression: 'UUID' },
        { target: '/lines[]/id', expression: 'InvoiceLine.ID' },
      ],
      index: 0,
    });
  });

  it('marks mapped targets and missing required ones (a choice marks every alternative)', () => {
    const marks = targetMarks([{ target: '/lines[]/id', expression: 'x' }], {
      targetVersion: 1,
      complete: false,
      covered: ['/lines[]/id'],
      missingRequired: [{ path: '/id' }, { path: '/pay', oneOf: ['/pay/card', '/pay/iban'] }],
      unmappedOptional: [],
    });
    expect(Object.fromEntries(marks)).toEqual({
      '/lines/id': 'mapped',
      '/id': 'missing',
      '/pay': 'missing',
      '/pay/card': 'missing',
      '/pay/iban': 'missing',
    });
    expect(plainPath('/Invoice/InvoiceLine[]/ID')).toBe('/Invoice/InvoiceLine/ID');
  });

  it('places problems: the rule from its location, the mark just before the position', () => {
    expect(ruleIndexOf('rules[12]')).toBe(12);
    expect(ruleIndexOf('document')).toBeNull();
    const problem = { location: 'rules[1]', code: 'syntax_error', message: 'Expected "]"' };
    expect(diagnosticOf({ ...problem, position: 9 }, 'Lines[0.x')).toEqual({
      from: 8,
      to: 9,
      message: 'Expected "]"',
    });
    expect(diagnosticOf(problem, 'abc')).toEqual({ from: 0, to: 3, message: 'Expected "]"' });
    // A position past the end (JSONata's "(end)") stays inside the text.
    expect(diagnosticOf({ ...problem, position: 40 }, 'ab')).toMatchObject({ from: 1, to: 2 });
  });

  it('places an XSLT problem on its line of the stylesheet', () => {
    const text = '<a>\n  <xsl:function/>\n</a>';
    expect(
      lineDiagnosticOf(
        { location: 'main.xsl:2', code: 'unsupported', message: 'xsl:function is not supported' },
        text,
      ),
    ).toEqual({ from: 4, to: 21, message: 'main.xsl:2: xsl:function is not supported' });
  });
});
