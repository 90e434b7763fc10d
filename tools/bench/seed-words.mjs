/**
 * Vocabulary of the generated library. Names, descriptions and tags are built from these lists, so
 * the full-text index holds realistic words with very different frequencies.
 */

export const ENTITIES = [
  'invoice',
  'order',
  'shipment',
  'customer',
  'payment',
  'product',
  'supplier',
  'employee',
  'inventory',
  'quote',
  'delivery',
  'refund',
  'ledger',
  'contract',
  'ticket',
];

export const SYSTEMS = [
  'SAP',
  'Salesforce',
  'Workday',
  'NetSuite',
  'Dynamics',
  'Shopify',
  'Oracle',
  'ServiceNow',
  'Stripe',
  'Zendesk',
  'Coupa',
  'Ariba',
];

export const PROCESSES = [
  'Order to cash',
  'Procure to pay',
  'Record to report',
  'Hire to retire',
  'Lead to order',
  'Issue to resolution',
  'Plan to produce',
  'Quote to cash',
];

export const PACKAGE_NOUNS = [
  'exchange',
  'sync',
  'hub',
  'integration',
  'gateway',
  'feed',
  'bridge',
  'pipeline',
];

export const FORMATS = ['UBL', 'EDIFACT', 'X12', 'IDoc', 'JSON', 'XML', 'CSV', 'cXML'];

/** [adapter_type column value, word used in names and tags] */
export const ADAPTER_KINDS = [
  ['SFTP', 'SFTP'],
  ['SOAP', 'SOAP'],
  ['HTTP', 'REST'],
  ['FTP', 'FTP'],
  ['FILE', 'file drop'],
  ['EMAIL_SMTP', 'SMTP mail'],
  ['EMAIL_IMAP', 'IMAP mailbox'],
];

/** [schema_type column value, file extension, media type, word used in names] */
export const SCHEMA_KINDS = [
  ['XSD', 'xsd', 'application/xml', 'schema'],
  ['XSD', 'xsd', 'application/xml', 'schema'],
  ['WSDL', 'wsdl', 'application/wsdl+xml', 'service'],
  ['JSON_SCHEMA', 'json', 'application/schema+json', 'JSON schema'],
];

export const FLOW_VERBS = [
  'sync',
  'replicate',
  'route',
  'publish',
  'import',
  'export',
  'enrich',
  'validate',
];

export const FLOW_TRIGGERS = ['schedule', 'poll', 'webhook', 'queue'];

export const TEAMS = ['finance', 'logistics', 'sales', 'hr', 'procurement', 'support', 'platform'];
