import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';

import { ConfirmDialog } from './confirm-dialog';

/** Lets the dialog's open/close animations and change detection run. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  TestBed.inject(MatDialog).openDialogs[0]?.componentRef?.changeDetectorRef.detectChanges();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const container = (): HTMLElement | null =>
  document.querySelector<HTMLElement>('mat-dialog-container');
const button = (name: string): HTMLButtonElement | undefined =>
  [...document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button')].find(
    (b) => b.textContent?.trim() === name,
  );

describe('ConfirmDialog', () => {
  let confirm: ConfirmDialog;

  beforeEach(() => {
    confirm = TestBed.inject(ConfirmDialog);
    // jsdom lays nothing out, so the CDK finds no element focusable and says so; a browser
    // focuses Cancel (the browser tests open this dialog).
    const warn = console.warn.bind(console);
    jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('is not focusable')) warn(...args);
    });
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    jest.restoreAllMocks();
  });

  const ask = () =>
    confirm.ask({
      title: 'Roll back?',
      message: 'Roll back to version 1? Its content becomes version 3.',
      confirm: 'Roll back',
      destructive: true,
    });

  it('asks in an alert dialog that names the action, and resolves true on confirm', async () => {
    const answer = ask();
    await settle();
    const dialog = container();
    expect(dialog?.getAttribute('role')).toBe('alertdialog');
    expect(dialog?.querySelector('h2')?.textContent?.trim()).toBe('Roll back?');
    const described = dialog?.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(described)?.textContent).toBe(
      'Roll back to version 1? Its content becomes version 3.',
    );
    expect(button('Roll back')?.classList).toContain('destructive');

    button('Roll back')?.click();
    await expect(answer).resolves.toBe(true);
  });

  it('resolves false on Cancel', async () => {
    const answer = ask();
    await settle();
    button('Cancel')?.click();
    await expect(answer).resolves.toBe(false);
  });

  it('resolves false on Escape', async () => {
    const answer = ask();
    await settle();
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true });
    Object.defineProperty(escape, 'keyCode', { value: 27 }); // what the CDK overlay reads
    document.body.dispatchEvent(escape);
    await expect(answer).resolves.toBe(false);
  });
});
