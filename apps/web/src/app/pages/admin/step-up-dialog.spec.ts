import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';

import { type ApiFailure, type ApiResult } from '../../api/api-result';
import { UsersApi } from '../../api/users-api.service';
import { AuthService } from '../../auth/auth.service';
import { StepUp } from './step-up-dialog';

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  TestBed.inject(MatDialog).openDialogs[0]?.componentRef?.changeDetectorRef.detectChanges();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const refused = (status: number, code: string, detail: string): ApiResult<never> => ({
  ok: false,
  failure: {
    status,
    problem: { status, code, detail, title: code, type: 'about:blank', errors: [] },
    retryAfter: null,
  } as unknown as ApiFailure,
});

/** The MFA verify call the dialog makes: refuses `wrong`, accepts anything else. */
class FakeUsersApi {
  readonly codes: string[] = [];
  stepUp(code: string): Promise<ApiResult<{ accessToken: string }>> {
    this.codes.push(code);
    return Promise.resolve(
      code === '000000'
        ? refused(400, 'validation_failed', 'code: is not a valid code')
        : { ok: true, data: { accessToken: 'fresh-token' } },
    );
  }
}

const dialog = (): HTMLElement | null => document.querySelector('mat-dialog-container');
const codeInput = (): HTMLInputElement => {
  const input = document.querySelector<HTMLInputElement>('mat-dialog-container input');
  if (!input) throw new Error('no code input');
  return input;
};
const button = (name: string): HTMLButtonElement => {
  const found = [
    ...document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button'),
  ].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const type = async (code: string): Promise<void> => {
  codeInput().value = code;
  codeInput().dispatchEvent(new Event('input'));
  await settle();
};

describe('StepUp', () => {
  let api: FakeUsersApi;
  let confirmed: string[];
  let calls: number;
  /** The action: refused with 401 mfa_required until a step-up happened, then done. */
  const action = (): Promise<ApiResult<string>> => {
    calls += 1;
    return Promise.resolve(
      confirmed.length > 0
        ? { ok: true, data: 'changed' }
        : refused(401, 'mfa_required', 'a recent MFA confirmation is needed'),
    );
  };

  beforeEach(() => {
    api = new FakeUsersApi();
    confirmed = [];
    calls = 0;
    TestBed.configureTestingModule({
      providers: [
        { provide: UsersApi, useValue: api },
        {
          provide: AuthService,
          useValue: { mfaConfirmed: (token: string) => confirmed.push(token) },
        },
      ],
    });
    const warn = console.warn.bind(console);
    jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('is not focusable')) warn(...args);
    });
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    jest.restoreAllMocks();
  });

  it('runs an action that needs no step-up once, without asking', async () => {
    const result = await TestBed.inject(StepUp).run(() =>
      Promise.resolve({ ok: true as const, data: 1 }),
    );
    expect(result).toEqual({ ok: true, data: 1 });
    expect(dialog()).toBeNull();
  });

  it('asks for a code on 401 mfa_required, keeps a wrong one in the dialog, then runs again', async () => {
    const outcome = TestBed.inject(StepUp).run(action);
    await settle();
    expect(dialog()?.textContent).toContain('Confirm it is you');

    await type('000000');
    button('Confirm').click();
    await settle();
    expect(dialog()?.textContent).toContain('is not a valid code');
    expect(confirmed).toEqual([]);

    await type(' 123456 ');
    button('Confirm').click();
    await settle();
    expect(await outcome).toEqual({ ok: true, data: 'changed' });
    expect(api.codes).toEqual(['000000', '123456']);
    expect(confirmed).toEqual(['fresh-token']);
    expect(calls).toBe(2);
  });

  it('answers the refusal when the user cancels', async () => {
    const outcome = TestBed.inject(StepUp).run(action);
    await settle();
    button('Cancel').click();
    await settle();
    const result = await outcome;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.problem?.code).toBe('mfa_required');
    expect(calls).toBe(1);
  });

  it('does not ask on other refusals', async () => {
    const result = await TestBed.inject(StepUp).run(() =>
      Promise.resolve(refused(409, 'state_conflict', 'this is the last active administrator')),
    );
    expect(!result.ok && result.failure.status).toBe(409);
    expect(dialog()).toBeNull();
  });
});
