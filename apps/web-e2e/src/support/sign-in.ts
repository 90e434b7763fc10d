import { authenticator } from 'otplib';
import { type Page } from 'playwright-core';

/** What the sign-in form needs of a user the test harness created (`t.createUser`, `t.admin`). */
export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** TOTP secret when the account has MFA: the code step is answered with the current code. */
  readonly mfaSecret: string | null;
}

/** The current TOTP code for `secret`, as an authenticator app would show it. */
export function totp(secret: string): string {
  return authenticator.generate(secret);
}

/** Fills the sign-in page the browser is on (and the code step, with MFA); does not wait after. */
export async function submitSignIn(page: Page, user: Credentials): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (user.mfaSecret) {
    await page.getByLabel('Authentication code').fill(totp(user.mfaSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
}

/**
 * Signs in through the console's own page, as a person would: opens `/sign-in`, signs in and
 * waits until the console has moved on (to the packages, or wherever `returnUrl` pointed).
 */
export async function signIn(page: Page, user: Credentials, returnUrl?: string): Promise<void> {
  const query = returnUrl ? `?returnUrl=${encodeURIComponent(returnUrl)}` : '';
  await page.goto(`/sign-in${query}`);
  await submitSignIn(page, user);
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}
