import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { Notifier, reasonOf } from './notifier';

const shown = (): string =>
  document.querySelector('mat-snack-bar-container')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('Notifier', () => {
  let notifier: Notifier;
  let snackBar: MatSnackBar;

  beforeEach(() => {
    notifier = TestBed.inject(Notifier);
    snackBar = TestBed.inject(MatSnackBar);
  });

  afterEach(() => snackBar.dismiss());

  it('shows a success for a few seconds, politely announced', async () => {
    const open = jest.spyOn(snackBar, 'open');
    notifier.done('Uploaded as version 3.');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown()).toContain('Uploaded as version 3.');
    expect(open).toHaveBeenCalledWith('Uploaded as version 3.', 'Dismiss', {
      duration: 6000,
      politeness: 'polite',
    });
  });

  it("shows a failure with the API's reason until it is dismissed", async () => {
    const open = jest.spyOn(snackBar, 'open');
    notifier.failed('The schema could not be rolled back.', {
      status: 412,
      retryAfter: null,
      problem: { detail: 'the schema changed since version 2' } as never,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown()).toContain(
      'The schema could not be rolled back. the schema changed since version 2',
    );
    const config = open.mock.calls[0]?.[2];
    expect(config?.duration).toBeUndefined();
    expect(config?.politeness).toBe('assertive');
  });
});

describe('reasonOf', () => {
  it.each([
    [
      { status: 0, problem: null, retryAfter: null },
      'The API could not be reached. Check that Integrixs is running.',
    ],
    [{ status: 502, problem: null, retryAfter: null }, 'The API answered with status 502.'],
    [
      { status: 409, problem: { detail: 'name is taken' } as never, retryAfter: null },
      'name is taken',
    ],
  ])('words %p as %p', (failure, reason) => {
    expect(reasonOf(failure)).toBe(reason);
  });
});
