import { parseXml } from 'libxmljs2';

import { type SchemaBundle } from '../bundle/schema-bundle';
import { JsonSchemaCompiler } from '../json-schema/json-schema-compiler';
import { JsonValidatorPool } from '../json-schema/json-validator-pool';
import { SchemaInvalidError, type SchemaProblem } from '../problems/schema-problems';
import { startListener, type Listener } from '../testing/tcp-listener';
import { WsdlParser } from '../wsdl/wsdl-parser';
import { SAFE_PARSE_OPTIONS, XmlSafety } from '../xml/xml-safety';
import { XsdCompiler } from '../xsd/xsd-compiler';
import { XsdValidatorPool } from '../xsd/xsd-validator-pool';
import { PayloadValidator } from './payload-validator';

/** Asymmetric matchers typed as what they match (Jest types them `any`). */
const anyNumber = (): number => expect.any(Number) as number;
const containing = (text: string): string => expect.stringContaining(text) as string;
const matching = (pattern: RegExp | string): string => expect.stringMatching(pattern) as string;

/** Every attack is refused before any parser expands or loads anything, in milliseconds. */
const QUICK_MS = 250;

async function problemsOf(work: Promise<unknown>): Promise<SchemaProblem[]> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemaInvalidError);
  return (error as SchemaInvalidError).problems;
}

function timed<T>(work: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

const xsd = (text: string): SchemaBundle => ({
  type: 'XSD',
  main: 'main.xsd',
  files: [{ path: 'main.xsd', text }],
});

describe('schema engines refuse hostile input', () => {
  let listener: Listener;
  const pool = new XsdValidatorPool({ workers: 1 });
  const jsonPool = new JsonValidatorPool({ workers: 1 });
  const compiler = new XsdCompiler(pool);
  const safety = new XmlSafety();

  beforeAll(async () => {
    listener = await startListener();
  });
  afterAll(async () => {
    await Promise.all([pool.close(), jsonPool.close()]);
    await listener.close();
  });
  afterEach(() => {
    // Nothing may ever have connected to the local listener: no fetch, no DTD, no import.
    expect(listener.connections()).toBe(0);
  });

  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol9;</lolz>`;
  const quadratic = `<!DOCTYPE q [<!ENTITY a "${'x'.repeat(4000)}">]><q>${'&a;'.repeat(20000)}</q>`;
  const hugeEntity = `<!DOCTYPE q [<!ENTITY a "${'x'.repeat(200_000)}">]><q>&a;&a;</q>`;
  const deep = `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`;

  it.each([
    [
      'XXE reading a file',
      () => `<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>`,
      /external entity "x".*XXE/,
    ],
    [
      'XXE over http',
      () => `<!DOCTYPE a [<!ENTITY x SYSTEM "${listener.url}/x">]><a>&x;</a>`,
      /external entity "x"/,
    ],
    [
      'XXE through a parameter entity',
      () => `<!DOCTYPE a [<!ENTITY % p SYSTEM "${listener.url}/p.dtd"> %p;]><a/>`,
      /external entity "p"/,
    ],
    ['an external DTD', () => `<!DOCTYPE a SYSTEM "${listener.url}/a.dtd"><a/>`, /external DTD/],
    ['billion laughs', () => billionLaughs, /refers to other entities/],
    [
      'a nested entity spelled as a character reference',
      () => `<!DOCTYPE a [<!ENTITY b "x"><!ENTITY c "&#38;b;&#38;b;">]><a>&c;</a>`,
      /refers to other entities/,
    ],
    ['quadratic blow-up (many references)', () => quadratic, /expand to more than/],
    ['quadratic blow-up (one huge entity)', () => hugeEntity, /characters long/],
    [
      'XInclude',
      () =>
        `<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></a>`,
      /XInclude is not allowed/,
    ],
    [
      'a catalog processing instruction',
      () => `<?oasis-xml-catalog catalog="${listener.url}/c.xml"?><a/>`,
      /oasis-xml-catalog/,
    ],
    ['10,000 levels of nesting', () => deep, /nested deeper than 256 levels/],
  ])('refuses %s with a clear message', (_name, text, message) => {
    const document = text();
    const { result, ms } = timed(() => safety.parse(document, 'payload.xml'));
    expect(result.doc).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'xml_unsafe',
        message: matching(message),
        line: anyNumber(),
      }),
    ]);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('refuses an oversized document before looking at it', () => {
    const small = new XmlSafety({ maxBytes: 1024 * 1024 });
    const big = `<a>${'x'.repeat(2 * 1024 * 1024)}</a>`;
    const { result, ms } = timed(() => small.check(big));
    expect(result?.message).toMatch(/at most 1048576 are accepted/);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('accepts an internal DTD with plain entities, as xmldsig-core-schema.xsd has', () => {
    const text = `<!DOCTYPE schema [<!ATTLIST schema xmlns:ds CDATA #FIXED "urn:x"><!ENTITY dsig 'http://www.w3.org/2000/09/xmldsig#'>]><schema>&dsig;</schema>`;
    expect(safety.parse(text, 'a.xsd').problems).toEqual([]);
  });

  it('even without the pre-check, the libxmljs2 options load no external entity or DTD', () => {
    const text = `<!DOCTYPE a SYSTEM "${listener.url}/a.dtd" [<!ENTITY x SYSTEM "${listener.url}/x">]><a>&x;</a>`;
    const doc = parseXml(text, SAFE_PARSE_OPTIONS);
    expect(doc.root()?.text()).toBe('');
  });

  it('even without the pre-check, the libxml2-wasm worker loads nothing while validating', async () => {
    const text = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:string"/></xs:schema>`;
    await pool.compile('plain', 'file:///bundle/a.xsd', [{ url: 'file:///bundle/a.xsd', text }]);
    const payload = `<!DOCTYPE a SYSTEM "${listener.url}/a.dtd" [<!ENTITY x SYSTEM "${listener.url}/x">]><a>&x;</a>`;
    const result = await pool.validate('plain', payload);
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('refuses an XSD whose schemaLocation is on the network, without connecting', async () => {
    const started = performance.now();
    const problems = await problemsOf(
      compiler.compile(
        xsd(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:o" targetNamespace="urn:m">
  <xs:import namespace="urn:o" schemaLocation="${listener.url}/o.xsd"/>
  <xs:include schemaLocation="${listener.url}/i.xsd"/>
  <xs:element name="a" type="o:T"/>
</xs:schema>`),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 2,
          code: 'reference_unresolved',
          message: containing('remote schemas are never fetched'),
        }),
        expect.objectContaining({ line: 3, code: 'reference_unresolved' }),
      ]),
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses file: and escaping schemaLocations', async () => {
    const problems = await problemsOf(
      compiler.compile(
        xsd(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="file:///etc/passwd"/>
  <xs:include schemaLocation="../../../../etc/passwd"/>
</xs:schema>`),
      ),
    );
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'reference_unresolved'],
      [3, 'reference_unresolved'],
    ]);
  });

  it('refuses an XSD carrying an entity attack', async () => {
    const problems = await problemsOf(compiler.compile(xsd(billionLaughs)));
    expect(problems).toEqual([expect.objectContaining({ file: 'main.xsd', code: 'xml_unsafe' })]);
  });

  it('refuses a wsdl:import on the network, without connecting', async () => {
    const parser = new WsdlParser(compiler);
    const problems = await problemsOf(
      parser.parse({
        type: 'WSDL',
        main: 'a.wsdl',
        files: [
          {
            path: 'a.wsdl',
            text: `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:a">
  <import namespace="urn:b" location="${listener.url}/b.wsdl"/>
</definitions>`,
          },
        ],
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 2,
        code: 'reference_unresolved',
        message: containing('never fetched'),
      }),
    ]);
  });

  it('refuses a JSON Schema $ref on the network, without connecting', async () => {
    const problems = await problemsOf(
      new JsonSchemaCompiler().compile({
        type: 'JSON_SCHEMA',
        main: 's.json',
        files: [
          {
            path: 's.json',
            text: JSON.stringify({ properties: { a: { $ref: `${listener.url}/a.json` } } }),
          },
        ],
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: 's.json',
        pointer: '/properties/a/$ref',
        code: 'reference_unresolved',
        message: containing('never fetched'),
      }),
    ]);
  });

  it('answers an attacking payload as invalid, with the reason', async () => {
    const compiled = await compiler.compile(
      xsd(
        `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:string"/></xs:schema>`,
      ),
    );
    const validator = new PayloadValidator(pool, jsonPool);
    for (const payload of [
      billionLaughs,
      deep,
      `<!DOCTYPE a [<!ENTITY x SYSTEM "${listener.url}/x">]><a>&x;</a>`,
      `<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></a>`,
      `<?oasis-xml-catalog catalog="${listener.url}/c.xml"?><a/>`,
    ]) {
      const started = performance.now();
      const result = await validator.validateXml(compiled, payload);
      expect(result.valid).toBe(false);
      expect(result.errors[0].message).toMatch(/not allowed|nested deeper|oasis-xml-catalog/);
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
    }
  });

  it('refuses deeply nested and oversized JSON payloads', async () => {
    const compiled = await new JsonSchemaCompiler().compile({
      type: 'JSON_SCHEMA',
      main: 's.json',
      files: [{ path: 's.json', text: '{}' }],
    });
    const validator = new PayloadValidator(pool, jsonPool, { json: { maxBytes: 1024 * 1024 } });
    const deepJson = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await validator.validateJson(compiled, deepJson)).errors[0].message).toMatch(
      /nested deeper than 512/,
    );
    expect(
      (await validator.validateJson(compiled, `"${'x'.repeat(2 * 1024 * 1024)}"`)).errors[0]
        .message,
    ).toMatch(/at most 1048576/);
  });
});
