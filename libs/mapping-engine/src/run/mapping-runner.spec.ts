import { type SchemaField } from '@integrixs/schema-engine';

import { CanonicalError } from '../canonical/canonical-error';
import { xsdExpander, xsdValueTypes } from '../canonical/xsd-support';
import { MappingCompileError, MappingRuntimeError } from '../jsonata/mapping-model';
import { compileXsd, rootOf, summaryStructure, UBL_INVOICE_EXAMPLE } from '../testing/fixtures';
import { MappingLimitError, MappingRunner } from './mapping-runner';
import { type MappingDefinition } from './payload-io';

const json = { format: 'JSON' as const };
const jsonata = (document: string): MappingDefinition => ({
  kind: 'JSONATA',
  mapping: { document },
  source: json,
  target: json,
});

describe('MappingRunner (worker threads, time and memory limits)', () => {
  const runner = new MappingRunner({
    workers: 1,
    timeoutMs: 1_500,
    maxMemoryMb: 64,
    maxInputBytes: 64 * 1024,
  });
  afterAll(() => runner.close());

  it('runs a mapping in a worker and returns its output and duration', async () => {
    await runner.prepare('sum', jsonata('{ "total": $sum(lines.amount) }'));
    const result = await runner.transform(
      'sum',
      JSON.stringify({ lines: [{ amount: 2 }, { amount: 3 }] }),
    );
    expect(JSON.parse(result.output)).toEqual({ total: 5 });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('maps the UBL Invoice example (XML read on this side) to the JSON summary in a worker', async () => {
    const compiled = await compileXsd('ubl-invoice');
    const source = {
      format: 'XML' as const,
      root: rootOf(compiled, 'Invoice', 3),
      types: xsdValueTypes(compiled),
      expand: xsdExpander(compiled, 'Invoice'),
    };
    const warnings = await runner.prepare('ubl', {
      kind: 'JSONATA',
      mapping: {
        rules: [
          { target: '/id', expression: "ID.'#text'" },
          { target: '/totals/payable', expression: "LegalMonetaryTotal.PayableAmount.'#text'" },
          { target: '/lines[]/id', expression: "InvoiceLine.ID.'#text'" },
          { target: '/lines[]/note', expression: 'InvoiceLine.Nte' },
        ],
      },
      source,
      target: { format: 'JSON', root: await summaryStructure() },
    });
    expect(warnings).toMatchObject([{ location: 'rules[3]', path: '/Invoice/InvoiceLine/Nte' }]);
    const result = await runner.transform('ubl', UBL_INVOICE_EXAMPLE());
    expect(JSON.parse(result.output)).toMatchObject({
      id: 'TOSL108',
      totals: { payable: 729 },
      lines: [{ id: '1' }, { id: '2' }, { id: '3' }, { id: '4' }, { id: '5' }],
    });
  }, 60_000);

  it('refuses a mapping that does not compile, with its problems', async () => {
    const error = await runner.prepare('broken', jsonata('{ "a": }')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingCompileError);
    expect((error as MappingCompileError).problems[0]).toMatchObject({
      location: 'document',
      code: 'syntax_error',
    });
  });

  it.each([
    ['an endless tail recursion', '($f := function($n) { $f($n + 1) }; $f(0))'],
    ['a huge range mapped element by element', '$count([1..9000000].{ "n": $, "s": $string($) })'],
  ])(
    'stops %s and reports it, then keeps working',
    async (_name, expression) => {
      await runner.prepare('runaway', jsonata(expression));
      const started = performance.now();
      const error = await runner.transform('runaway', '{}').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MappingLimitError);
      expect((error as MappingLimitError).message).toMatch(
        /did not finish within 1500 ms|more than 64 MB/,
      );
      expect(performance.now() - started).toBeLessThan(10_000);
      // A fresh worker takes over: the other mappings still run.
      await runner.prepare('sum', jsonata('{ "total": $sum(lines.amount) }'));
      expect(
        JSON.parse((await runner.transform('sum', '{"lines":[{"amount":1}]}')).output),
      ).toEqual({ total: 1 });
    },
    30_000,
  );

  it('stops a stylesheet that recurses forever', async () => {
    await runner.prepare('xslt-loop', {
      kind: 'XSLT',
      stylesheet: `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
        <xsl:template match="/"><xsl:call-template name="t"/></xsl:template>
        <xsl:template name="t"><xsl:call-template name="t"/></xsl:template>
      </xsl:stylesheet>`,
      source: { format: 'XML' },
      target: { format: 'XML' },
    });
    const error = await runner.transform('xslt-loop', '<a/>').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingLimitError);
    expect((error as MappingLimitError).limit).toMatch(/time|memory/);
  }, 30_000);

  it('stops a transformation at the memory cap', async () => {
    const big = new MappingRunner({ workers: 1, timeoutMs: 20_000, maxMemoryMb: 32 });
    try {
      await big.prepare('hog', jsonata('$count([1..5000000].{ "n": $, "s": $string($) })'));
      const error = await big.transform('hog', '{}').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MappingLimitError);
      expect((error as MappingLimitError).limit).toBe('memory');
    } finally {
      await big.close();
    }
  }, 60_000);

  it('refuses an input over the size cap before it reaches a worker', async () => {
    const error = await runner
      .transform('sum', JSON.stringify({ x: 'y'.repeat(70_000) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingLimitError);
    expect((error as MappingLimitError).limit).toBe('input');
  });

  describe('XML inputs are read in the worker', () => {
    const root: SchemaField = {
      path: '/a',
      name: 'a',
      kind: 'element',
      children: [
        { path: '/a/b', name: 'b', kind: 'element', type: 'xs:int', maxOccurs: 'unbounded' },
      ],
    };
    const xmlSource = (document: string): MappingDefinition => ({
      kind: 'JSONATA',
      mapping: { document },
      source: { format: 'XML', root },
      target: json,
    });

    it('refuses a DOCTYPE with a CanonicalError naming it', async () => {
      await runner.prepare('xml-sum', xmlSource('{ "total": $sum(b) }'));
      expect(
        JSON.parse((await runner.transform('xml-sum', '<a><b>2</b><b>3</b></a>')).output),
      ).toEqual({
        total: 5,
      });
      const error = await runner
        .transform('xml-sum', '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CanonicalError);
      expect((error as Error).message).toMatch(/a DOCTYPE is not accepted/);
    });

    it("stops reading a large XML input at the time limit (the caller's thread never reads it)", async () => {
      const quick = new MappingRunner({ workers: 1, timeoutMs: 20 });
      try {
        await quick.prepare('count', xmlSource('$count(b)'));
        const xml = `<a>${'<b>1</b>'.repeat(600_000)}</a>`;
        const error = await quick.transform('count', xml).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MappingLimitError);
        expect((error as MappingLimitError).limit).toBe('time');
      } finally {
        await quick.close();
      }
    }, 30_000);
  });

  it('reports a runtime error of the mapping (not a limit)', async () => {
    await runner.prepare('bad-json', jsonata('$'));
    await expect(runner.transform('bad-json', '{ nope')).rejects.toThrow(MappingRuntimeError);
    await expect(runner.transform('bad-json', '{ nope')).rejects.toThrow(/not accepted as JSON/);
  });
});
