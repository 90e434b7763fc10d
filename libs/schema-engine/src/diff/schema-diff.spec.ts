import { type SchemaBundle } from '../bundle/schema-bundle';
import {
  xsdStructure,
  type SchemaField,
  type SchemaStructure,
} from '../structure/schema-structure';
import { XsdCompiler } from '../xsd/xsd-compiler';
import { XsdValidatorPool } from '../xsd/xsd-validator-pool';
import { diffSchemas, diffStructures, diffText } from './schema-diff';

const el = (name: string, extra: Partial<SchemaField> = {}): SchemaField => ({
  path: `/order/${name}`,
  name,
  kind: 'element',
  type: 'xs:string',
  minOccurs: 1,
  maxOccurs: 1,
  ...extra,
});
const prop = (name: string, extra: Partial<SchemaField> = {}): SchemaField => ({
  path: `/${name}`,
  name,
  kind: 'property',
  type: 'string',
  ...extra,
});
const xsd = (...children: SchemaField[]): SchemaStructure => ({
  type: 'XSD',
  roots: [{ path: '/order', name: 'order', kind: 'element', type: 'Order', children }],
});
const json = (...children: SchemaField[]): SchemaStructure => ({
  type: 'JSON_SCHEMA',
  roots: [{ path: '/', name: '/', kind: 'property', type: 'object', children }],
});
const ops = (...names: string[]): SchemaStructure => ({
  type: 'WSDL',
  roots: names.map((name) => ({ path: `/${name}`, name, kind: 'operation' as const })),
});

describe('schema diff: compatibility rules', () => {
  it.each<[string, SchemaStructure, SchemaStructure, boolean, string]>([
    [
      'removing an element',
      xsd(el('id'), el('note')),
      xsd(el('id')),
      true,
      'element /order/note was removed',
    ],
    [
      'removing an optional element',
      xsd(el('note', { minOccurs: 0 })),
      xsd(),
      true,
      'element /order/note was removed',
    ],
    [
      'adding an optional element',
      xsd(el('id')),
      xsd(el('id'), el('note', { minOccurs: 0 })),
      false,
      'optional element /order/note was added',
    ],
    [
      'adding a required element',
      xsd(el('id')),
      xsd(el('id'), el('note')),
      true,
      'required element /order/note was added; payloads without it become invalid',
    ],
    [
      'adding an alternative to a choice',
      xsd(el('card', { choice: true })),
      xsd(el('card', { choice: true }), el('cash', { choice: true })),
      false,
      'optional element /order/cash was added',
    ],
    [
      'optional → required (minOccurs)',
      xsd(el('note', { minOccurs: 0 })),
      xsd(el('note')),
      true,
      'element /order/note: optional → required (minOccurs 0 → 1)',
    ],
    [
      'required → optional (minOccurs)',
      xsd(el('note')),
      xsd(el('note', { minOccurs: 0 })),
      false,
      'element /order/note: minOccurs 1 → 0',
    ],
    [
      'reducing maxOccurs',
      xsd(el('line', { maxOccurs: 'unbounded' })),
      xsd(el('line', { maxOccurs: 10 })),
      true,
      'element /order/line: maxOccurs unbounded → 10',
    ],
    [
      'raising maxOccurs',
      xsd(el('line', { maxOccurs: 1 })),
      xsd(el('line', { maxOccurs: 'unbounded' })),
      false,
      'element /order/line: maxOccurs 1 → unbounded',
    ],
    [
      'narrowing a built-in type',
      xsd(el('qty', { type: 'xs:long' })),
      xsd(el('qty', { type: 'xs:int' })),
      true,
      'element /order/qty: type xs:long → xs:int (narrower or different)',
    ],
    [
      'widening a built-in type',
      xsd(el('qty', { type: 'xs:int' })),
      xsd(el('qty', { type: 'xs:decimal' })),
      false,
      'element /order/qty: type xs:int → xs:decimal (wider)',
    ],
    [
      'changing to an unrelated type',
      xsd(el('at', { type: 'xs:date' })),
      xsd(el('at', { type: 'xs:int' })),
      true,
      'element /order/at: type xs:date → xs:int (narrower or different)',
    ],
    [
      'removing an enum value',
      xsd(el('s', { enum: ['a', 'b'] })),
      xsd(el('s', { enum: ['a'] })),
      true,
      'element /order/s: values removed: b',
    ],
    [
      'adding an enum value',
      xsd(el('s', { enum: ['a'] })),
      xsd(el('s', { enum: ['a', 'b'] })),
      false,
      'element /order/s: values added: b',
    ],
    [
      'introducing an enum',
      xsd(el('s')),
      xsd(el('s', { enum: ['a'] })),
      true,
      'element /order/s: values restricted to a',
    ],
    [
      'lowering maxLength',
      xsd(el('n', { facets: { maxLength: '35' } })),
      xsd(el('n', { facets: { maxLength: '20' } })),
      true,
      'element /order/n: maxLength 35 → 20',
    ],
    [
      'raising maxLength',
      xsd(el('n', { facets: { maxLength: '20' } })),
      xsd(el('n', { facets: { maxLength: '35' } })),
      false,
      'element /order/n: maxLength 20 → 35',
    ],
    [
      'raising minInclusive',
      xsd(el('n', { facets: { minInclusive: '0' } })),
      xsd(el('n', { facets: { minInclusive: '1' } })),
      true,
      'element /order/n: minInclusive 0 → 1',
    ],
    [
      'adding a pattern',
      xsd(el('n')),
      xsd(el('n', { facets: { pattern: '\\d+' } })),
      true,
      'element /order/n: pattern (none) → \\d+',
    ],
    [
      'dropping a pattern',
      xsd(el('n', { facets: { pattern: '\\d+' } })),
      xsd(el('n')),
      false,
      'element /order/n: pattern \\d+ → (none)',
    ],
    [
      'making an attribute required',
      xsd(el('@a', { kind: 'attribute', minOccurs: undefined, maxOccurs: undefined })),
      xsd(
        el('@a', { kind: 'attribute', required: true, minOccurs: undefined, maxOccurs: undefined }),
      ),
      true,
      'attribute /order/@a: optional → required',
    ],
    [
      'changing the namespace',
      xsd(el('id', { namespace: 'urn:a' })),
      xsd(el('id', { namespace: 'urn:b' })),
      true,
      'element /order/id: namespace changed from urn:a to urn:b',
    ],
    [
      'editing documentation',
      xsd(el('id', { documentation: 'x' })),
      xsd(el('id', { documentation: 'y' })),
      false,
      'element /order/id: documentation changed',
    ],
    [
      'removing a JSON property',
      json(prop('a'), prop('b')),
      json(prop('a')),
      true,
      'property /b was removed',
    ],
    [
      'adding an optional JSON property',
      json(prop('a')),
      json(prop('a'), prop('b', { required: false })),
      false,
      'optional property /b was added',
    ],
    [
      'adding a required JSON property',
      json(prop('a')),
      json(prop('a'), prop('b', { required: true })),
      true,
      'required property /b was added; payloads without it become invalid',
    ],
    [
      'making a JSON property required',
      json(prop('a', { required: false })),
      json(prop('a', { required: true })),
      true,
      'property /a: optional → required',
    ],
    [
      'integer → number',
      json(prop('a', { type: 'integer' })),
      json(prop('a', { type: 'number' })),
      false,
      'property /a: type integer → number (wider)',
    ],
    [
      'number → integer',
      json(prop('a', { type: 'number' })),
      json(prop('a', { type: 'integer' })),
      true,
      'property /a: type number → integer (narrower or different)',
    ],
    [
      'allowing null',
      json(prop('a', { type: 'string' })),
      json(prop('a', { type: 'string|null' })),
      false,
      'property /a: type string → string|null (wider)',
    ],
    [
      'lowering JSON maximum',
      json(prop('a', { facets: { maximum: '10' } })),
      json(prop('a', { facets: { maximum: '5' } })),
      true,
      'property /a: maximum 10 → 5',
    ],
    ['removing an operation', ops('get', 'put'), ops('get'), true, 'operation put was removed'],
    [
      'adding an operation',
      ops('get'),
      ops('get', 'put'),
      false,
      'optional operation put was added',
    ],
    [
      'removing a global type',
      { type: 'XSD', roots: [], types: ['{urn:o}A', '{urn:o}B'] },
      { type: 'XSD', roots: [], types: ['{urn:o}A'] },
      true,
      'global type {urn:o}B was removed; schemas that use it break',
    ],
    [
      'adding a global type',
      { type: 'XSD', roots: [], types: [] },
      { type: 'XSD', roots: [], types: ['{urn:o}A'] },
      false,
      'global type {urn:o}A was added',
    ],
  ])('%s', (_name, before, after, breaking, message) => {
    const changes = diffStructures(before, after);
    expect(changes).toEqual([expect.objectContaining({ breaking, message })]);
  });

  it('reports an added or removed subtree once, at its top', () => {
    const before = xsd(el('id'));
    const after = xsd(
      el('id'),
      el('party', { minOccurs: 0, children: [el('party/name', { path: '/order/party/name' })] }),
    );
    expect(diffStructures(before, after).map((c) => c.path)).toEqual(['/order/party']);
    expect(diffStructures(after, before).map((c) => c.path)).toEqual(['/order/party']);
  });

  it('gives no changes for identical structures', () => {
    expect(diffStructures(xsd(el('id')), xsd(el('id')))).toEqual([]);
  });
});

describe('schema diff between compiled versions', () => {
  const pool = new XsdValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  afterAll(() => pool.close());

  const version = (body: string): SchemaBundle => ({
    type: 'XSD',
    main: 'o.xsd',
    files: [
      {
        path: 'o.xsd',
        text: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o" elementFormDefault="qualified">
  <xs:element name="order"><xs:complexType><xs:sequence>
${body}
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>
`,
      },
    ],
  });

  it('gives the verdict, the reasons and the text diff', async () => {
    const v1 = version(
      `    <xs:element name="id" type="xs:string"/>\n    <xs:element name="qty" type="xs:int"/>\n    <xs:element name="note" type="xs:string" minOccurs="0"/>`,
    );
    const v2 = version(
      `    <xs:element name="id" type="xs:string"/>\n    <xs:element name="qty" type="xs:long"/>\n    <xs:element name="note" type="xs:string"/>\n    <xs:element name="ref" type="xs:string" minOccurs="0"/>`,
    );
    const [a, b] = await Promise.all([
      compiler.compile(v1, { keep: false }),
      compiler.compile(v2, { keep: false }),
    ]);
    const diff = diffSchemas(
      { structure: xsdStructure(a), bundle: v1 },
      { structure: xsdStructure(b), bundle: v2 },
    );
    expect(diff.compatibility).toBe('breaking');
    expect(diff.reasons).toEqual(['element /order/note: optional → required (minOccurs 0 → 1)']);
    expect(
      diff.changes.map((c) => `${c.breaking ? 'breaking' : 'compatible'}: ${c.message}`),
    ).toEqual([
      'breaking: element /order/note: optional → required (minOccurs 0 → 1)',
      'compatible: element /order/qty: type xs:int → xs:long (wider)',
      'compatible: optional element /order/ref was added',
    ]);
    expect(diff.textDiff).toContain('--- a/o.xsd');
    expect(diff.textDiff).toContain('-    <xs:element name="qty" type="xs:int"/>');
    expect(diff.textDiff).toContain('+    <xs:element name="qty" type="xs:long"/>');
  });

  it('diffs added and removed files against /dev/null', () => {
    const a: SchemaBundle = { type: 'XSD', main: 'a.xsd', files: [{ path: 'a.xsd', text: 'x\n' }] };
    const b: SchemaBundle = {
      type: 'XSD',
      main: 'a.xsd',
      files: [
        { path: 'a.xsd', text: 'x\n' },
        { path: 'b.xsd', text: 'y\n' },
      ],
    };
    expect(diffText(a, b)).toContain('--- /dev/null\n+++ b/b.xsd');
    expect(diffText(a, a)).toBe('');
  });
});
