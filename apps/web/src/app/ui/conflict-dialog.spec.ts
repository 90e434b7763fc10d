import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';

import { type ApiResult } from '../api/api-result';
import {
  ConflictResolver,
  differingFields,
  pickFields,
  shownValue,
  type ConflictRequest,
} from './conflict-dialog';

interface Saved {
  name: string;
  description: string;
  tags: string[];
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const LABELS = { name: 'Name', description: 'Description', tags: 'Tags' };

const theirs: Saved = {
  name: 'Orders',
  description: 'Changed by Ada',
  tags: ['sales'],
  version: 4,
  updatedBy: 'ada',
  updatedAt: '2026-11-29T10:15:00.000Z',
};

function request(loaded: ApiResult<Saved> = { ok: true, data: theirs }): ConflictRequest<Saved> {
  return {
    what: 'The package Orders',
    mine: pickFields({ name: 'Orders', description: 'Mine', tags: ['sales'] }, LABELS),
    loadTheirs: () => Promise.resolve(loaded),
    fieldsOf: (saved) => pickFields(saved, LABELS),
    describe: (saved) => ({ by: saved.updatedBy, at: saved.updatedAt, version: saved.version }),
  };
}

/** Lets the dialog's open/close animations and change detection run. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const ref of TestBed.inject(MatDialog).openDialogs)
    ref.componentRef?.changeDetectorRef.detectChanges();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const dialogs = () => [...document.querySelectorAll<HTMLElement>('mat-dialog-container')];
const button = (name: string): HTMLButtonElement | undefined =>
  [...document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button')].find(
    (b) => b.textContent?.trim() === name,
  );

describe('differingFields', () => {
  it('lists only the fields whose values differ, as text', () => {
    expect(
      differingFields(
        { Name: 'A', Tags: ['x', 'y'], Owner: null, Config: { port: 1 } },
        { Name: 'A', Tags: ['x'], Owner: undefined, Config: { port: 2 } },
      ),
    ).toEqual([
      { label: 'Tags', mine: '[\n "x",\n "y"\n]', theirs: '[\n "x"\n]' },
      { label: 'Config', mine: '{\n "port": 1\n}', theirs: '{\n "port": 2\n}' },
    ]);
    expect(shownValue('')).toBe('—');
    expect(shownValue('x'.repeat(400))).toHaveLength(301);
  });
});

describe('ConflictResolver', () => {
  let resolver: ConflictResolver;

  beforeEach(() => {
    resolver = TestBed.inject(ConflictResolver);
    // jsdom lays nothing out, so the CDK finds no element focusable and says so.
    const warn = console.warn.bind(console);
    jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('is not focusable')) warn(...args);
    });
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    jest.restoreAllMocks();
  });

  it('shows who saved first, when, and the fields where theirs differs from mine', async () => {
    const outcome = resolver.resolve(request());
    await settle();
    const [dialog] = dialogs();
    expect(dialog?.getAttribute('role')).toBe('alertdialog');
    const text = dialog?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('Someone else saved first');
    expect(text).toContain('The package Orders was changed by ada at');
    expect(text).toContain('(now version 4)');
    expect(dialog?.querySelector('time')?.getAttribute('datetime')).toBe(theirs.updatedAt);
    const rows = [...(dialog?.querySelectorAll('tbody tr') ?? [])].map((row) =>
      [...row.children].map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([['Description', 'Mine', 'Changed by Ada']]);

    button('Reload theirs')?.click();
    await expect(outcome).resolves.toEqual({ choice: 'reload', theirs });
  });

  it('answers "overwrite" with the version to send it against', async () => {
    const outcome = resolver.resolve(request());
    await settle();
    button('Overwrite with mine')?.click();
    const answer = await outcome;
    expect(answer.choice).toBe('overwrite');
    expect(answer.theirs?.version).toBe(4);
  });

  it('opens one dialog for two conflicts at once, and both get its answer', async () => {
    const first = resolver.resolve(request());
    const second = resolver.resolve(request());
    await settle();
    expect(dialogs()).toHaveLength(1);
    button('Reload theirs')?.click();
    expect((await first).choice).toBe('reload');
    expect((await second).choice).toBe('reload');
  });

  it('chooses nothing when cancelled, and opens nothing when the saved version cannot be read', async () => {
    const cancelled = resolver.resolve(request());
    await settle();
    button('Cancel')?.click();
    expect((await cancelled).choice).toBeNull();

    const unreadable = await resolver.resolve(
      request({ ok: false, failure: { status: 404, problem: null, retryAfter: null } }),
    );
    expect(unreadable).toEqual({ choice: null, theirs: null });
    await settle();
    expect(dialogs()).toHaveLength(0);
  });
});
