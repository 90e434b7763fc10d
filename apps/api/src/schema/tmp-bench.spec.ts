import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { PayloadValidator } from './payload-validator';
import { CORPUS, corpusText, ublBundle } from './testing/corpus';
import { XsdCompiler } from './xsd-compiler';
import { XsdValidatorPool } from './xsd-validator-pool';

const N = 3000;
function xmllint(n: number): number {
  const dir = join(CORPUS, 'xsd/ubl-2.1');
  const args = [
    '--noout',
    '--schema',
    'maindoc/UBL-Invoice-2.1.xsd',
    ...Array.from({ length: n }, () => 'examples/UBL-Invoice-2.1-Example.xml'),
  ];
  const t = performance.now();
  execFileSync('xmllint', args, { cwd: dir, stdio: 'ignore', maxBuffer: 1e9 });
  return performance.now() - t;
}

describe('bench', () => {
  it.each([1, 2])(
    'workers=%i',
    async (workers) => {
      const pool = new XsdValidatorPool({ workers });
      const compiled = await new XsdCompiler(pool).compile(ublBundle('Invoice'));
      const v = new PayloadValidator(pool);
      const doc = corpusText('xsd/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml');
      for (let i = 0; i < 3000; i++) await v.validateXml(compiled, doc);
      const safety = performance.now();
      for (let i = 0; i < N; i++)
        (v as unknown as { safety: { check(t: string): unknown } }).safety.check(doc);
      const safetyMs = (performance.now() - safety) / N;
      for (let round = 0; round < 3; round++) {
        const base = xmllint(1);
        const lint = (xmllint(N + 1) - base) / N;
        let t = performance.now();
        for (let i = 0; i < N; i++) await v.validateXml(compiled, doc);
        const seq = (performance.now() - t) / N;
        t = performance.now();
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            for (let i = 0; i < N / 16; i++) await v.validateXml(compiled, doc);
          }),
        );
        const conc = (performance.now() - t) / N;
        console.log(
          `workers=${workers} round ${round}: xmllint ${lint.toFixed(3)} ms/doc (compile ${base.toFixed(0)} ms); ours sequential ${seq.toFixed(3)}, 16 in flight ${conc.toFixed(3)}; safety scan ${safetyMs.toFixed(3)}`,
        );
      }
      await pool.close();
    },
    300_000,
  );
});
