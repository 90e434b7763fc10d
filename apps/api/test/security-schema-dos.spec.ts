import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { type Response as InjectResponse } from 'light-my-request';

import { honestEntry, lyingZipBomb, overlappingZip } from '@integrixs/schema-engine/testing';

import { createPackage } from './support/access-fixtures';
import { createSchema, validatePayload } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Denial of service through the schema library (issue 8, items 1 and 3): zip bombs in bundle
 * uploads, ReDoS through JSON Schema patterns, validations that never end. Each attack is sent
 * through the real API; the answer must be a 4xx naming the problem, with the event loop free.
 */

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string; code: string }[];
}
interface Validation {
  valid: boolean;
  errors: { path?: string; message: string }[];
}

const TIMEOUT_MS = 500;

/**
 * The longest the event loop was blocked while `work` ran, in milliseconds: the longest gap
 * between the ticks of a 5 ms timer, up to the first tick after `work` settled.
 */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ result: T; blockedMs: number }> {
  let last = performance.now();
  let blockedMs = 0;
  let onTick: (() => void) | undefined;
  const timer = setInterval(() => {
    const now = performance.now();
    blockedMs = Math.max(blockedMs, now - last);
    last = now;
    onTick?.();
  }, 5);
  try {
    const result = await work();
    await new Promise<void>((resolve) => (onTick = resolve));
    return { result, blockedMs };
  } finally {
    clearInterval(timer);
  }
}

/** Sends `slow`, then health checks until it settles: how many were answered meanwhile. */
async function answeredDuring(
  t: TestApp,
  slow: Promise<InjectResponse>,
): Promise<{ response: InjectResponse; answered: number }> {
  let settled = false;
  const response = slow.finally(() => (settled = true));
  let answered = 0;
  while (!settled) {
    const health = await t.request({ method: 'GET', url: '/api/health', as: null });
    if (!settled && health.statusCode === 200) answered += 1;
  }
  return { response: await response, answered };
}

describe('schema library denial of service', () => {
  let t: TestApp;
  let pkg: string;
  let reader: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ config: { schemaValidationTimeoutMs: TIMEOUT_MS } });
    pkg = await createPackage(t, 'Schema DoS');
    reader = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
  });
  afterAll(() => t.close());

  const upload = (name: string, zip: Buffer | Uint8Array, type = 'XSD') =>
    t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/schemas`,
      payload: { name, type, zip: Buffer.from(zip).toString('base64') },
    });

  describe('zip bombs', () => {
    it('refuses an entry that claims 174 bytes and inflates to 1 GiB, without blocking', async () => {
      const bomb = lyingZipBomb('bomb.xsd', 1024);
      expect(bomb.length).toBeLessThan(1_100_000);
      const { result, blockedMs } = await longestBlock(() => upload('Bomb', bomb));
      expect(result.statusCode).toBe(422);
      expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json<Problem>(result).errors).toEqual([
        {
          path: 'bomb.xsd',
          message:
            'zip entry "bomb.xsd" inflates to more than the 174 bytes it declares (a zip bomb); inflation was stopped there',
          code: 'bundle_invalid',
        },
      ]);
      // Trusting the header, the whole gigabyte was inflated synchronously (seconds).
      expect(blockedMs).toBeLessThan(1000);
    });

    it('refuses entries that share their bytes (the non-recursive zip bomb)', async () => {
      const entry = honestEntry('a.xsd', `<a>${' '.repeat(100_000)}</a>`);
      const names = Array.from({ length: 1000 }, (_, i) => `copy${i}.xsd`);
      const response = await upload('Overlap', overlappingZip(entry, names));
      expect(response.statusCode).toBe(422);
      expect(json<Problem>(response).errors).toEqual([
        expect.objectContaining({
          path: expect.stringMatching(/^copy\d+\.xsd$/) as string,
          message: expect.stringMatching(
            /^zip entries "copy\d+\.xsd" and "copy\d+\.xsd" overlap/,
          ) as string,
          code: 'bundle_invalid',
        }),
      ]);
    });

    it('still takes the UBL 2.1 bundle the demo ships, as a zip', async () => {
      const root = join(__dirname, '../src/demo/data/ubl-2.1');
      const files: Record<string, Uint8Array> = {};
      for (const folder of ['maindoc', 'common']) {
        for (const name of readdirSync(join(root, folder)).filter((n) => n.endsWith('.xsd'))) {
          files[`${folder}/${name}`] = strToU8(readFileSync(join(root, folder, name), 'utf8'));
        }
      }
      const response = await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: {
          name: 'UBL Invoice (zip)',
          type: 'XSD',
          main: 'maindoc/UBL-Invoice-2.1.xsd',
          zip: Buffer.from(zipSync(files)).toString('base64'),
        },
      });
      expect(response.statusCode).toBe(201);
      const invoice = readFileSync(join(root, 'examples/UBL-Invoice-2.1-Example.xml'), 'utf8');
      const validation = await validatePayload(t, pkg, json<{ id: string }>(response).id, invoice);
      expect(json<Validation>(validation).valid).toBe(true);
    });
  });

  describe('ReDoS through JSON Schema patterns', () => {
    let evil: string;

    beforeAll(async () => {
      const schema = {
        type: 'object',
        properties: { name: { type: 'string', pattern: '^(a+)+$' } },
        patternProperties: { '^(b+)+$': { type: 'number' } },
      };
      evil = (
        await createSchema(t, pkg, {
          name: 'Evil',
          type: 'JSON_SCHEMA',
          document: JSON.stringify(schema),
        })
      ).id;
    });

    it('answers a reader with the verdict at once on input that stalls backtracking', async () => {
      // On JavaScript's engine each of these took seconds (28 characters: 1.2 s, doubling per
      // character), the event loop blocked all along; RE2 takes microseconds (json-regexp.spec.ts
      // runs 100,000 characters).
      const payload = { name: `${'a'.repeat(25)}!`, [`${'b'.repeat(25)}!`]: 'v' };
      const { result, blockedMs } = await longestBlock(() =>
        validatePayload(t, pkg, evil, JSON.stringify(payload), '', reader),
      );
      expect(result.statusCode).toBe(200);
      expect(json<Validation>(result)).toEqual({
        version: 1,
        valid: false,
        errors: [{ path: '/name', message: 'must match pattern "^(a+)+$"' }],
      });
      expect(blockedMs).toBeLessThan(1000);
    });

    it.each([
      ['a lookahead', '^(?=.*\\d)\\w+$', 'uses a lookahead'],
      ['a backreference', '^(\\w)\\1$', 'uses a backreference'],
      ['a lookbehind', '(?<!x)y', 'uses a lookbehind'],
    ])(
      'refuses a schema whose pattern uses %s, naming where and why',
      async (_what, pattern, why) => {
        const response = await t.request({
          method: 'POST',
          url: `/api/packages/${pkg}/schemas`,
          payload: {
            name: `Backtracking ${why}`,
            type: 'JSON_SCHEMA',
            fileName: 'code.json',
            document: JSON.stringify({ properties: { code: { pattern } } }),
          },
        });
        expect(response.statusCode).toBe(422);
        const problem = json<Problem>(response);
        expect(problem.errors).toEqual([
          {
            path: 'code.json#/properties/code/pattern',
            message: expect.stringContaining(`pattern ${JSON.stringify(pattern)} ${why}`) as string,
            code: 'schema_invalid',
          },
        ]);
        expect(problem.errors[0].message).toMatch(/linear-time engine \(RE2\)/);
      },
    );
  });

  describe('validations that would never end', () => {
    /** Two branches recursing on the same value: 2^depth evaluations. */
    const doubling = {
      anyOf: [
        { properties: { a: { $ref: '#' } }, required: ['b'] },
        { properties: { a: { $ref: '#' } } },
      ],
    };
    const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });

    it('stops one past the time limit with 422 payload_too_complex, answering others meanwhile', async () => {
      const id = (
        await createSchema(t, pkg, {
          name: 'Doubling',
          type: 'JSON_SCHEMA',
          document: JSON.stringify(doubling),
        })
      ).id;
      const { response, answered } = await answeredDuring(
        t,
        validatePayload(t, pkg, id, JSON.stringify(nested(40)), '', reader),
      );
      expect(response.statusCode).toBe(422);
      expect(json<Problem>(response)).toMatchObject({
        status: 422,
        code: 'payload_too_complex',
        detail: `validation did not finish within ${TIMEOUT_MS} ms; the payload was abandoned`,
      });
      expect(answered).toBeGreaterThan(0);
      // The same schema still validates what is reasonable.
      const small = await validatePayload(t, pkg, id, JSON.stringify(nested(3)), '', reader);
      expect(json<Validation>(small).valid).toBe(true);
    });

    it('stops uniqueItems over a large array of objects (O(n²)) the same way', async () => {
      const id = (
        await createSchema(t, pkg, {
          name: 'Unique',
          type: 'JSON_SCHEMA',
          document: JSON.stringify({ type: 'array', uniqueItems: true }),
        })
      ).id;
      const items = Array.from({ length: 200_000 }, (_, i) => ({ i }));
      const { response, answered } = await answeredDuring(
        t,
        validatePayload(t, pkg, id, JSON.stringify(items), '', reader),
      );
      expect(json<Problem>(response).code).toBe('payload_too_complex');
      expect(answered).toBeGreaterThan(0);
    });
  });

  describe('XSD patterns', () => {
    it('runs a pattern facet that backtracks exponentially elsewhere in linear time (libxml2 automata)', async () => {
      const xsd = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="code"><xs:simpleType><xs:restriction base="xs:string">
    <xs:pattern value="(a+)+b"/>
  </xs:restriction></xs:simpleType></xs:element>
</xs:schema>`;
      const id = (await createSchema(t, pkg, { name: 'Facet', type: 'XSD', document: xsd })).id;
      // Past the time limit this would be 422 payload_too_complex: a verdict means it finished.
      const long = await validatePayload(t, pkg, id, `<code>${'a'.repeat(200_000)}</code>`);
      expect(long.statusCode).toBe(200);
      const verdict = json<Validation>(long);
      expect(verdict.valid).toBe(false);
      expect(verdict.errors[0].message.slice(0, 41)).toBe(
        "Element 'code': [facet 'pattern'] The val",
      );
      const match = await validatePayload(t, pkg, id, `<code>${'a'.repeat(200_000)}b</code>`);
      expect(json<Validation>(match).valid).toBe(true);
    });
  });
});
