import { type MappingContent } from '../mapping/mapping-content';

/**
 * The demo's JSON "invoice summary" and the mapping from the UBL 2.1 Invoice to it (issue 11):
 * JSONata rules over the canonical JSON view of the invoice (the document element's content,
 * repeating elements as arrays, element text as `#text` where the type has attributes).
 */
export const INVOICE_SUMMARY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:integrixs:demo:invoice-summary',
  title: 'Invoice summary',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'issueDate', 'supplier', 'customer', 'totals', 'lines'],
  properties: {
    id: { type: 'string', minLength: 1 },
    issueDate: { type: 'string', format: 'date' },
    supplier: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, vat: { type: 'string' } },
    },
    customer: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, city: { type: 'string' } },
    },
    totals: {
      type: 'object',
      required: ['payable', 'currency'],
      properties: {
        payable: { type: 'number' },
        lineTotal: { type: 'number' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      },
    },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'amount'],
        properties: {
          id: { type: 'string' },
          item: { type: 'string' },
          quantity: { type: 'number' },
          amount: { type: 'number' },
        },
      },
    },
  },
};

/** Target path ← JSONata expression over the UBL Invoice. */
export const INVOICE_SUMMARY_RULES: MappingContent['rules'] = [
  { target: '/id', expression: "ID.'#text'" },
  { target: '/issueDate', expression: 'IssueDate' },
  {
    target: '/supplier/name',
    expression: "AccountingSupplierParty.Party.PartyName[0].Name.'#text'",
  },
  {
    target: '/supplier/vat',
    expression: "AccountingSupplierParty.Party.PartyTaxScheme[0].CompanyID.'#text'",
  },
  {
    target: '/customer/name',
    expression: "AccountingCustomerParty.Party.PartyName[0].Name.'#text'",
  },
  {
    target: '/customer/city',
    expression: "AccountingCustomerParty.Party.PostalAddress.CityName.'#text'",
  },
  { target: '/totals/payable', expression: "LegalMonetaryTotal.PayableAmount.'#text'" },
  { target: '/totals/lineTotal', expression: "LegalMonetaryTotal.LineExtensionAmount.'#text'" },
  { target: '/totals/currency', expression: "DocumentCurrencyCode.'#text'" },
  { target: '/lines[]/id', expression: "InvoiceLine.ID.'#text'" },
  { target: '/lines[]/item', expression: "InvoiceLine.Item.Name.'#text'" },
  { target: '/lines[]/quantity', expression: "InvoiceLine.InvoicedQuantity.'#text'" },
  { target: '/lines[]/amount', expression: "InvoiceLine.LineExtensionAmount.'#text'" },
];

/** What the mapping makes of the official UBL 2.1 Invoice example (the demo sample's expected output). */
export const INVOICE_SUMMARY_EXPECTED = {
  id: 'TOSL108',
  issueDate: '2009-12-15',
  supplier: { name: 'Salescompany ltd.', vat: 'DK12345' },
  customer: { name: 'Buyercompany ltd', city: 'Anytown' },
  totals: { payable: 729, lineTotal: 1436.5, currency: 'EUR' },
  lines: [
    { id: '1', item: 'Labtop computer', quantity: 1, amount: 1273 },
    { id: '2', item: 'Returned "Advanced computing" book', quantity: -1, amount: -3.96 },
    { id: '3', item: '"Computing for dummies" book', quantity: 2, amount: 4.96 },
    { id: '4', item: 'Returned IBM 5150 desktop', quantity: -1, amount: -25 },
    { id: '5', item: 'Network cable', quantity: 250, amount: 187.5 },
  ],
};

/**
 * The same mapping as one whole-document expression (the benchmark runs it with and without
 * the canonical XML conversion: what the conversion and the wrapper cost).
 */
export const INVOICE_SUMMARY_DOCUMENT = `{
  "id": ID.'#text',
  "issueDate": IssueDate,
  "supplier": {
    "name": AccountingSupplierParty.Party.PartyName[0].Name.'#text',
    "vat": AccountingSupplierParty.Party.PartyTaxScheme[0].CompanyID.'#text'
  },
  "customer": {
    "name": AccountingCustomerParty.Party.PartyName[0].Name.'#text',
    "city": AccountingCustomerParty.Party.PostalAddress.CityName.'#text'
  },
  "totals": {
    "payable": LegalMonetaryTotal.PayableAmount.'#text',
    "lineTotal": LegalMonetaryTotal.LineExtensionAmount.'#text',
    "currency": DocumentCurrencyCode.'#text'
  },
  "lines": [InvoiceLine.{
    "id": ID.'#text',
    "item": Item.Name.'#text',
    "quantity": InvoicedQuantity.'#text',
    "amount": LineExtensionAmount.'#text'
  }]
}`;
