import { corpusText, ublBundle } from './testing/corpus';
import { XsdValidatorPool } from './xsd-validator-pool';

const files = (bundle: ReturnType<typeof ublBundle>) =>
  bundle.files.map((f) => ({ url: `file:///bundle/${f.path}`, text: f.text }));

describe('XsdValidatorPool', () => {
  const pool = new XsdValidatorPool({ workers: 2 });
  afterAll(() => pool.close());

  it('compiles UBL once and validates the examples in the worker', async () => {
    const invoice = ublBundle('Invoice');
    const compiled = await pool.compile('inv', `file:///bundle/${invoice.main}`, files(invoice));
    expect(compiled).toEqual({ ok: true, diagnostics: [] });
    const example = corpusText('xsd/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml');
    await expect(pool.validate('inv', example)).resolves.toMatchObject({ valid: true, errors: [] });
    const order = await pool.validate(
      'inv',
      corpusText('xsd/ubl-2.1/examples/UBL-Order-2.1-Example.xml'),
    );
    expect(order.valid).toBe(false);
    expect(order.errors[0].message).toContain('No matching global declaration');
    for (let round = 0; round < 3; round++) {
      const n = 2000;
      let started = performance.now();
      for (let i = 0; i < n; i++) await pool.validate('inv', example);
      const seq = (performance.now() - started) / n;
      started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = 0; i < n / 16; i++) await pool.validate('inv', example);
        }),
      );
      console.log(
        ((await pool.validate('inv', example)) as unknown as { busy: number }).busy,
        'ms/doc seq',
        seq,
        'conc16',
        (performance.now() - started) / n,
      );
    }
  });
});
