import { PayloadTooComplexError } from '../problems/schema-problems';
import { XsdValidatorPool } from './xsd-validator-pool';

/** Asymmetric matchers typed as what they match (Jest types them `any`). */
const containing = (text: string): string => expect.stringContaining(text) as string;

const LIST = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="list"><xs:complexType><xs:sequence>
    <xs:element name="item" type="xs:int" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;
const files = [{ url: 'file:///bundle/list.xsd', text: LIST }];
const list = (items: string[]) => `<list>${items.map((i) => `<item>${i}</item>`).join('')}</list>`;

describe('XsdValidatorPool', () => {
  const pool = new XsdValidatorPool({ workers: 2 });
  afterAll(() => pool.close());

  it('compiles once and validates many documents, with located errors', async () => {
    expect(await pool.compile('list', files[0].url, files)).toEqual({ ok: true, diagnostics: [] });
    expect(await pool.validate('list', list(['1', '2']))).toEqual({ valid: true, errors: [] });
    const invalid = await pool.validate('list', `<list>\n<item>1</item>\n<item>x</item></list>`);
    expect(invalid.valid).toBe(false);
    expect(invalid.errors).toEqual([
      expect.objectContaining({
        line: 3,
        message: containing("'x' is not a valid value of the atomic type 'xs:int'"),
      }),
    ]);
  });

  it('reports compile diagnostics with the file URL and line', async () => {
    const bad = [
      {
        url: 'file:///bundle/bad.xsd',
        text: '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n<xs:element name="a" type="xs:nope"/>\n</xs:schema>',
      },
    ];
    const result = await pool.compile('bad', bad[0].url, bad);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ url: 'file:///bundle/bad.xsd', line: 2, level: 2 }),
    ]);
    expect(pool.has('bad')).toBe(false);
  });

  it('checks the root element and unwraps SOAP envelopes when asked', async () => {
    await pool.compile('list', files[0].url, files);
    expect(
      (await pool.validate('list', list(['1']), { root: { name: 'other' } })).errors[0].message,
    ).toBe('the document element is list, expected other');
    const soap = `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>${list(['1'])}</e:Body></e:Envelope>`;
    expect(
      await pool.validate('list', soap, { soapEnvelope: true, root: { name: 'list' } }),
    ).toEqual({ valid: true, errors: [] });
  });

  it('forgets released schemas', async () => {
    await pool.compile('gone', files[0].url, files);
    pool.release('gone');
    await expect(pool.validate('gone', list(['1']))).rejects.toThrow(
      'no compiled schema under key gone',
    );
  });

  it('abandons a validation that runs too long, then recompiles in a fresh worker', async () => {
    const slow = new XsdValidatorPool({ workers: 1, validateTimeoutMs: 30 });
    try {
      await slow.compile('list', files[0].url, files);
      const huge = list(Array.from({ length: 400_000 }, (_, i) => String(i)));
      await expect(slow.validate('list', huge)).rejects.toBeInstanceOf(PayloadTooComplexError);
      expect(await slow.validate('list', list(['7']))).toEqual({ valid: true, errors: [] });
    } finally {
      await slow.close();
    }
  });

  it('says clearly when libxml2-wasm is not installed', async () => {
    const broken = new XsdValidatorPool({ workers: 1, module: 'libxml2-wasm-that-does-not-exist' });
    try {
      await expect(broken.compile('x', files[0].url, files)).rejects.toThrow(
        /XSD validation needs the libxml2-wasm package/,
      );
    } finally {
      await broken.close();
    }
  });

  it('spreads schemas over the workers and validates concurrently', async () => {
    await Promise.all(['k1', 'k2', 'k3', 'k4'].map((k) => pool.compile(k, files[0].url, files)));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pool.validate(`k${(i % 4) + 1}`, list(i % 5 === 0 ? ['no'] : ['1'])),
      ),
    );
    expect(results.filter((r) => !r.valid)).toHaveLength(40);
  });

  it('replicates a busy schema into the other workers', async () => {
    const busy = new XsdValidatorPool({ workers: 2 });
    try {
      await busy.compile('hot', files[0].url, files);
      const payload = list(Array.from({ length: 2000 }, (_, i) => String(i)));
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(
          Array.from({ length: 40 }, () => busy.validate('hot', payload)),
        );
        expect(results.every((r) => r.valid)).toBe(true);
      }
      const slots = (
        busy as unknown as { pool: { registered: Map<string, { slots: unknown[] }> } }
      ).pool.registered.get('hot')?.slots;
      expect(slots).toHaveLength(2);
    } finally {
      await busy.close();
    }
  });
});
