import { existsSync } from 'node:fs';
import path from 'node:path';

import { strToU8, zipSync, type Zippable } from 'fflate';
import { type Response as InjectResponse } from 'light-my-request';

import { createAsset, createPackage, problemOf } from './support/access-fixtures';
import { startCanaryServer, type CanaryServer } from './support/canary-server';
import { createSchema, noteXsd, schemaDocument, validatePayload } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * Attack classes the issue 8 black-box probe found holding, kept holding: prototype pollution,
 * zip slip and SSRF/XXE through schema uploads and payload validation. (SQL injection and mass
 * assignment: security-regressions-sql / -mass-assignment; object- and function-level
 * authorisation and JWT: bola, access-matrix, jwt.)
 */
interface SchemaProblem {
  file?: string;
  line?: number;
  message: string;
  code: string;
}
const problemsOf = (response: InjectResponse) =>
  json<{ problems?: SchemaProblem[] }>(response).problems ?? [];

describe('security regressions: hostile bodies, archives and references', () => {
  let t: TestApp;
  let pkg: string;
  let canary: CanaryServer;
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const assetCount = () => t.db.count('SELECT count(*)::int AS n FROM package_assets');

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Hostile input');
    // Whatever a server-side fetch asked for, it would get something that works.
    canary = await startCanaryServer((url) =>
      url.endsWith('.json')
        ? JSON.stringify({ type: 'object' })
        : url.endsWith('.xsd')
          ? noteXsd({ namespace: 'urn:remote' })
          : 'fetched-from-the-canary',
    );
  });
  afterAll(async () => {
    await canary.close();
    await t.close();
  });

  describe('prototype pollution', () => {
    /** JSON members carrying a poison, added to an otherwise valid body (no key twice). */
    const POISONS: [string, string][] = [
      ['__proto__ at the top', '"__proto__":{"polluted":"yes"}'],
      ['constructor.prototype at the top', '"constructor":{"prototype":{"polluted":"yes"}}'],
      ['__proto__ in tags', '"tags":["a",{"__proto__":{"polluted":"yes"}}]'],
      ['__proto__ nested in content', '"content":{"a":[{"__proto__":{"polluted":"yes"}}]}'],
      ['constructor.prototype in content', '"content":{"constructor":{"prototype":{"a":1}}}'],
      ['an escaped \\u005f_proto__', '"\\u005f_proto__":{"polluted":"yes"}'],
    ];

    it.each(POISONS)(
      'refuses %s with 400 on every JSON route, writing nothing',
      async (_, poison) => {
        const flow = await createAsset(t, pkg, 'FLOW', { name: `Flow ${Math.random()}` });
        const routes: [string, string, string][] = [
          ['POST', '/api/packages', '"name":"Polluted"'],
          ['PUT', `/api/packages/${pkg}`, '"version":1'],
          ['POST', `/api/packages/${pkg}/adapters`, '"name":"Polluted"'],
          ['PUT', `/api/packages/${pkg}/flows/${flow.id}`, `"version":${flow.version}`],
          ['POST', `/api/packages/${pkg}/schemas`, '"name":"Polluted","type":"XSD","document":"x"'],
          ['POST', '/api/auth/login', '"username":"nobody","password":"x"'],
          ['POST', '/api/tokens', '"name":"Polluted","permissions":["asset:read"]'],
        ];
        const before = await assetCount();
        for (const [method, url, fields] of routes) {
          const response = await t.request({
            method: method as 'POST' | 'PUT',
            url,
            headers: { 'content-type': 'application/json' },
            payload: `{${poison},${fields}}`,
          });
          // Refused while parsing (secure-json-parse), before any DTO or service sees the body.
          const problem = response.statusCode === 400 ? problemOf(response) : response.body;
          expect({ url, status: response.statusCode, problem }).toMatchObject({
            url,
            status: 400,
            problem: {
              code: 'validation_failed',
              errors: [{ path: 'body', code: 'forbidden_key' }],
            },
          });
        }
        expect(await assetCount()).toBe(before);
        const named = `SELECT count(*)::int AS n FROM integration_packages WHERE name = 'Polluted'`;
        expect(await t.db.count(named)).toBe(0);
      },
    );

    it('keeps prototype keys inside a JSON Schema document as data, and refuses them in a payload', async () => {
      // The document is text, parsed by JSON.parse: "__proto__" there is an own property, a
      // field name like any other, and no code merges it into live objects.
      const document =
        '{"type":"object","required":["constructor"],"properties":{"__proto__":{"type":"string"},' +
        '"constructor":{"type":"object","properties":{"prototype":{"type":"object"}}}}}';
      const schema = await createSchema(
        t,
        pkg,
        schemaDocument('Proto as data', document, 'JSON_SCHEMA'),
      );
      const structure = await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/schemas/${schema.id}/structure`,
      });
      expect(structure.statusCode).toBe(200);
      expect(structure.body).toContain('__proto__');
      const plain = await validatePayload(t, pkg, schema.id, '{"constructor":{}}');
      expect(json(plain)).toMatchObject({ valid: true });
      // A payload is a request body: the same parser refuses the keys there (400, not 500).
      for (const payload of [
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{}}}',
      ]) {
        const refused = await validatePayload(t, pkg, schema.id, payload);
        expect({ payload, status: refused.statusCode }).toEqual({ payload, status: 400 });
      }
    });

    it('answers prototype keys in query strings 400 naming them, or ignores them', async () => {
      for (const query of [
        '__proto__[polluted]=yes',
        '__proto__.polluted=yes',
        'constructor[prototype][polluted]=yes',
        'constructor.prototype.polluted=yes',
        '__proto__=yes',
        'constructor=yes',
        'q=a&__proto__[q]=yes',
      ]) {
        for (const route of [
          '/api/packages',
          '/api/assets',
          '/api/audit',
          `/api/packages/${pkg}/container/flows`,
        ]) {
          const response = await t.request({ method: 'GET', url: `${route}?${query}` });
          const said = `${route}?${query} → ${response.statusCode} ${response.body.slice(0, 200)}`;
          const refusedByName =
            response.statusCode === 400 &&
            problemOf(response).errors.some(
              (e) => query.includes(e.path) && e.code === 'unknown_field',
            );
          expect(refusedByName || response.statusCode === 200 ? 'ok' : said).toBe('ok');
        }
      }
    });

    it('leaves Object.prototype of the server process clean', () => {
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    });
  });

  describe('zip slip', () => {
    const zipOf = (entries: Zippable) => Buffer.from(zipSync(entries)).toString('base64');
    const upload = (name: string, zip: string) =>
      t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: { name, type: 'XSD', main: 'main.xsd', zip },
      });

    it.each([
      ['../../evil.xsd'],
      ['/abs.xsd'],
      ['C:\\x.xsd'],
      ['C:/x.xsd'],
      ['a/../../b.xsd'],
      ['..\\..\\evil.xsd'],
      ['nul\u0000.xsd'],
      ['file:///etc/evil.xsd'],
    ])('refuses an entry named %j with 422 naming it, writing nothing', async (entry) => {
      const before = await assetCount();
      const response = await upload(
        `Slip ${JSON.stringify(entry)}`,
        zipOf({ 'main.xsd': strToU8(noteXsd()), [entry]: strToU8(noteXsd()) }),
      );
      expect(response.statusCode).toBe(422);
      const named = problemsOf(response).filter(
        (p) => p.file === entry || p.message.includes(`"${entry}"`),
      );
      expect({ entry, named: named.length > 0 }).toEqual({ entry, named: true });
      expect(await assetCount()).toBe(before);
      for (const written of ['../../evil.xsd', '/abs.xsd', '../b.xsd', '../../b.xsd'])
        expect(existsSync(path.resolve(process.cwd(), written))).toBe(false);
    });

    it('never follows a symlink entry: its target is not read (422, no file content)', async () => {
      const before = await assetCount();
      const link = (target: string): [Uint8Array, { os: number; attrs: number }] => [
        strToU8(target),
        { os: 3, attrs: 0o120777 * 0x10000 }, // S_IFLNK | 0777 in the Unix mode bits
      ];
      const response = await upload('Symlink', zipOf({ 'main.xsd': link('/etc/passwd') }));
      expect(response.statusCode).toBe(422);
      expect(response.body).not.toContain('root:');
      expect(await assetCount()).toBe(before);
    });
  });

  describe('SSRF and XXE', () => {
    it('refuses XSDs and WSDLs that import, include or declare entities from the network on create, without connecting', async () => {
      const before = await assetCount();
      const remote = `<xs:import namespace="urn:remote" schemaLocation="${canary.url}/x.xsd"/>`;
      const cases: [string, string, 'XSD' | 'WSDL', string][] = [
        ['XSD import', noteXsd({ imports: remote }), 'XSD', `${canary.url}/x.xsd`],
        [
          'XSD include',
          noteXsd({ imports: `<xs:include schemaLocation="${canary.url}/i.xsd"/>` }),
          'XSD',
          `${canary.url}/i.xsd`,
        ],
        [
          'XSD with an external entity',
          noteXsd().replace(
            '<xs:schema',
            `<!DOCTYPE xs:schema [<!ENTITY e SYSTEM "${canary.url}/e">]><xs:schema`,
          ),
          'XSD',
          'xml_unsafe',
        ],
        [
          'WSDL import',
          `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:a"><import namespace="urn:b" location="${canary.url}/b.wsdl"/></definitions>`,
          'WSDL',
          `${canary.url}/b.wsdl`,
        ],
      ];
      for (const [name, document, type, named] of cases) {
        const response = await t.request({
          method: 'POST',
          url: `/api/packages/${pkg}/schemas`,
          payload: schemaDocument(name, document, type),
        });
        const said = problemsOf(response)
          .map((p) => `${p.code} ${p.message}`)
          .join('\n');
        expect({ name, status: response.statusCode, names: said.includes(named) }).toEqual({
          name,
          status: 422,
          names: true,
        });
      }
      expect(await assetCount()).toBe(before);
      expect(await canary.connectionsSoFar()).toBe(0);
    });

    it('refuses a JSON Schema whose $ref, $schema or $id base points at the network, without connecting', async () => {
      const before = await assetCount();
      for (const document of [
        { type: 'object', properties: { a: { $ref: `${canary.url}/a.json` } } },
        {
          $id: `${canary.url}/root.json`,
          type: 'object',
          properties: { a: { $ref: 'other.json' } },
        },
        { $schema: `${canary.url}/meta.json`, type: 'object' },
      ]) {
        const response = await t.request({
          method: 'POST',
          url: `/api/packages/${pkg}/schemas`,
          payload: schemaDocument(
            `Remote ${Math.random()}`,
            JSON.stringify(document),
            'JSON_SCHEMA',
          ),
        });
        expect({ document, status: response.statusCode }).toEqual({ document, status: 422 });
      }
      expect(await assetCount()).toBe(before);
      expect(await canary.connectionsSoFar()).toBe(0);
    });

    it('answers XML payloads with external entities, DTDs and XIncludes as invalid on validate, without connecting', async () => {
      const note = await createSchema(
        t,
        pkg,
        schemaDocument('Target', noteXsd({ namespace: 'urn:target' })),
      );
      const body = (inner: string) => `<Note xmlns="urn:target"><to>${inner}</to><body/></Note>`;
      for (const payload of [
        `<?xml version="1.0"?><!DOCTYPE Note [<!ENTITY e SYSTEM "${canary.url}/e.txt">]>${body('&e;')}`,
        `<?xml version="1.0"?><!DOCTYPE Note [<!ENTITY % p SYSTEM "${canary.url}/p.dtd">%p;]>${body('x')}`,
        `<?xml version="1.0"?><!DOCTYPE Note SYSTEM "${canary.url}/note.dtd">${body('x')}`,
        `<Note xmlns="urn:target" xmlns:xi="http://www.w3.org/2001/XInclude"><to><xi:include href="${canary.url}/x.txt" parse="text"/></to><body/></Note>`,
      ]) {
        const response = await validatePayload(t, pkg, note.id, payload);
        expect({ payload, status: response.statusCode }).toEqual({ payload, status: 200 });
        const result = json<{ valid: boolean; errors: { message: string }[] }>(response);
        expect({ payload, valid: result.valid }).toEqual({ payload, valid: false });
        expect(response.body).not.toContain('fetched-from-the-canary');
      }
      // Hints to fetch a schema are not followed either (the stored schema is what validates).
      const hinted = await validatePayload(
        t,
        pkg,
        note.id,
        `<Note xmlns="urn:target" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:target ${canary.url}/x.xsd"><to>a</to><body>b</body></Note>`,
      );
      expect(hinted.statusCode).toBe(200);
      expect(await canary.connectionsSoFar()).toBe(0);
    });

    it('(control) the canary does see a real fetch', async () => {
      const response = await fetch(`${canary.url}/x.xsd`);
      expect(await response.text()).toContain('urn:remote');
      expect(await canary.connectionsSoFar()).toBe(1);
    });
  });
});
