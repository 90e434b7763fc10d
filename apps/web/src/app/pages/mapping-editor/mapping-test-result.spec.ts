import { TestBed } from '@angular/core/testing';

import { type MappingTestResultDto } from '@integrixs/api-client';

import { MappingTestResult } from './mapping-test-result';

/** jsdom lays nothing out: CodeMirror measures text ranges, which jsdom's Range lacks. */
beforeAll(() => {
  if ('getClientRects' in Range.prototype) return;
  Object.assign(Range.prototype, {
    getClientRects: () => [],
    getBoundingClientRect: () => new DOMRect(),
  });
});

const FAILED: MappingTestResultDto = {
  sampleId: 's-1',
  sampleName: 'UBL example',
  passed: false,
  output: '{\n  "totals": { "currency": "eur" }\n}',
  inputValid: true,
  inputErrors: [],
  outputValid: false,
  outputErrors: [{ path: '/totals/currency', message: 'must match pattern "^[A-Z]{3}$"' }],
  error: null,
  diff: [
    { path: '/totals/currency', op: 'changed', expected: 'EUR' as never, actual: 'eur' as never },
    { path: '/id', op: 'removed', expected: 'TOSL108' as never },
  ],
  durationMs: 12.44,
};

async function render(result: MappingTestResultDto): Promise<HTMLElement> {
  const fixture = TestBed.createComponent(MappingTestResult);
  fixture.componentRef.setInput('result', result);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

const text = (element: Element | null | undefined) =>
  element?.textContent?.replace(/\s+/g, ' ').trim();

describe('MappingTestResult', () => {
  it('shows a failed run with the output errors by path, the diff and the duration', async () => {
    const element = await render(FAILED);
    expect(text(element.querySelector('.verdict'))).toBe('Failed — UBL example in 12.4 ms');
    expect(text(element.querySelector('[aria-label="Output errors"]'))).toBe(
      '/totals/currency: must match pattern "^[A-Z]{3}$"',
    );
    const rows = [...element.querySelectorAll('tbody tr')].map((row) =>
      [...row.children].map((cell) => text(cell)),
    );
    expect(rows).toEqual([
      ['/totals/currency', 'changed', '"EUR"', '"eur"'],
      ['/id', 'removed', '"TOSL108"', '—'],
    ]);
    expect(element.querySelector('.cm-content')?.getAttribute('aria-label')).toBe(
      'Output of UBL example',
    );
  });

  it('shows a run error instead of an output, and the invalid input by path', async () => {
    const element = await render({
      ...FAILED,
      output: null,
      outputValid: null,
      outputErrors: [],
      diff: null,
      inputValid: false,
      inputErrors: [{ path: '/Invoice/IssueDate', message: 'not a valid date' }],
      error: { code: 'time_limit', message: 'stopped after 5000 ms', location: 'rules[2]' },
    });
    expect(text(element.querySelector('[role="alert"]'))).toBe(
      'The mapping failed while running (time_limit, rules[2]): stopped after 5000 ms',
    );
    expect(text(element.querySelector('[aria-label="Input errors"]'))).toBe(
      '/Invoice/IssueDate: not a valid date',
    );
    expect(element.querySelector('.cm-editor')).toBeNull();
    expect(element.querySelector('table')).toBeNull();
  });

  it('says when the output is valid and equals the expected output', async () => {
    const element = await render({
      ...FAILED,
      passed: true,
      outputValid: true,
      outputErrors: [],
      diff: [],
    });
    expect(text(element.querySelector('.verdict'))).toMatch(/^Passed/);
    expect(element.textContent).toContain('The output is valid against the target schema.');
    expect(element.textContent).toContain('The output equals the expected output.');
  });
});
