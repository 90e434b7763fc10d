import { type Browser, type Locator, type Page } from 'playwright-core';

import { createApiClient, type PackageDto } from '@integrixs/api-client';

// The real API with the api project's test harness (one database per file); a relative import
// because test support is not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn, submitSignIn, totp } from './support/sign-in';

describe('signing in to the console, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  let alpha: PackageDto;
  let beta: PackageDto;
  /** A DEVELOPER member of both packages. */
  let developer: TestUser;

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();

    const seed = new Seeder(baseUrl, t.admin.token);
    alpha = await seed.createPackage('Alpha Orders', 'Orders from the shop.');
    beta = await seed.createPackage('Beta Payroll', 'Salaries to the bank.');
    developer = await t.createUser({
      role: 'DEVELOPER',
      packages: { [alpha.id]: 'DEVELOPER', [beta.id]: 'DEVELOPER' },
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
  });

  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    watched = await openPage(browser, baseUrl);
    page = watched.page;
  });

  afterEach(async () => {
    await watched?.context.close();
    // No uncaught error in the console's code, no CSP violation.
    expect(watched?.problems).toEqual([]);
    watched = undefined;
  });

  const path = (): string => new URL(page.url()).pathname;
  const alert = (): Locator => page.getByRole('alert');
  const packageLinks = (): Locator =>
    page.getByRole('list', { name: 'Packages' }).getByRole('link');
  const account = (): Locator => page.getByRole('region', { name: 'Your account' });
  /** Waits until the element with `id` has the keyboard focus. */
  const focusOn = async (id: string): Promise<void> => {
    await page.waitForFunction((expected) => document.activeElement?.id === expected, id, {
      timeout: 5_000,
    });
  };
  const refreshCookie = async () =>
    (await page.context().cookies()).find((cookie) => cookie.name === 'ixr');

  it('loads signed out without asking the API for a session, so without a 401 in the console', async () => {
    const refreshes: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/auth/')) refreshes.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto('/');
    await page.waitForURL(`${baseUrl}/sign-in?returnUrl=%2Fpackages`);
    await page.getByLabel('Username').waitFor();
    await page.goto('/packages/some-package/members'); // a deep link, signed out
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByLabel('Username').waitFor();
    expect(refreshes).toEqual([]);
    expect(errors).toEqual([]);

    // Signing out asks only for the logout: no refresh for the live socket the API closes then.
    await signIn(page, developer);
    refreshes.length = 0;
    await account().getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.getByLabel('Username').waitFor();
    expect(refreshes).toEqual([`${baseUrl}/api/auth/logout`]);
    expect(errors).toEqual([]);

    // After signing out, a reload is just as quiet.
    refreshes.length = 0;
    await page.reload();
    await page.getByLabel('Username').waitFor();
    expect(refreshes).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('breaks no WCAG 2.1 A/AA rule on the sign-in page, also with an error shown (axe-core)', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Username').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await submitSignIn(page, { ...developer, password: 'not-the-password' });
    await alert().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('refuses a wrong password with the API message and keeps the user on the form', async () => {
    await page.goto('/sign-in');
    await focusOn('sign-in-username');

    await submitSignIn(page, { ...developer, password: 'not-the-password' });
    await alert().getByText('invalid username or password').waitFor();
    expect(path()).toBe('/sign-in');
    await focusOn('sign-in-password'); // ready to type it again
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    expect(await refreshCookie()).toBeUndefined();
  });

  it('says how long to wait after too many failed attempts', async () => {
    const victim = await t.createUser({ role: 'DEVELOPER' });
    const anonymous = createApiClient(baseUrl);
    let status = 0;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const { response } = await anonymous.POST('/api/auth/login', {
        body: { username: victim.username, password: 'wrong-password' },
      });
      status = response.status;
    }
    expect(status).toBe(401);

    await page.goto('/sign-in');
    await submitSignIn(page, victim); // even the right password waits now
    await alert()
      .getByText(/Too many attempts\. Try again in \d+ seconds\./)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
    expect(path()).toBe('/sign-in');
  });

  it('signs in, shows the user and role in the top bar, and signs out', async () => {
    await signIn(page, developer);
    expect(path()).toBe('/packages');
    await packageLinks().first().waitFor();
    expect(await account().getByText(developer.username, { exact: true }).isVisible()).toBe(true);
    expect(await account().getByText('Developer', { exact: true }).isVisible()).toBe(true);

    const cookie = await refreshCookie();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });

    await account().getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.getByRole('status').getByText('You have signed out.').waitFor();
    expect(await account().count()).toBe(0);
    expect(await refreshCookie()).toBeUndefined();

    // The session is over on the server too: a fresh load is signed out.
    await page.goto('/packages');
    await page.waitForURL(`${baseUrl}/sign-in?returnUrl=%2Fpackages`);
    await page.getByLabel('Username').waitFor();
  });

  it('sends a signed-out deep link to sign-in, and back to the page after signing in', async () => {
    await page.goto(`/packages/${beta.id}`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('returnUrl')).toBe(`/packages/${beta.id}`);

    await submitSignIn(page, developer);
    await page.waitForURL(`${baseUrl}/packages/${beta.id}`);
    await page.getByRole('heading', { level: 1, name: 'Beta Payroll' }).waitFor();
  });

  it('keeps the user signed in across a reload (refresh cookie), with no token in storage', async () => {
    await signIn(page, developer);
    await page.getByRole('link', { name: 'Alpha Orders', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Alpha Orders' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Alpha Orders' }).waitFor();
    expect(path()).toBe(`/packages/${alpha.id}`);
    expect(await account().getByText(developer.username, { exact: true }).isVisible()).toBe(true);
    // The access token lives in memory only; storage holds no more than the hint that this
    // browser has a session (so a signed-out first load does not ask the API for one).
    const stored = await page.evaluate(() => ({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: sessionStorage.length,
    }));
    expect(stored).toEqual({ local: { 'integrixs.session': '1' }, session: 0 });

    await page.goto('/sign-in'); // signed in already: straight on to the packages
    await page.waitForURL(`${baseUrl}/packages`);
  });

  it('renews a refused access token once for concurrent requests, and repeats them', async () => {
    await signIn(page, developer);
    await page.getByRole('link', { name: 'Alpha Orders', exact: true }).waitFor();

    // The next two package requests (the detail page sends two at once) arrive with a token the
    // API refuses, as after the access token expired.
    let refused = 0;
    await page.route(/\/api\/packages\/[^/?]+(\/container\/contents)?$/, async (route) => {
      if (refused >= 2) return route.continue();
      refused += 1;
      const headers = { ...route.request().headers(), authorization: 'Bearer expired.token.x' };
      return route.continue({ headers });
    });
    const refreshes: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/auth/refresh') refreshes.push(request.method());
    });

    await page.getByRole('link', { name: 'Alpha Orders', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Alpha Orders' }).waitFor();
    await page.getByRole('region', { name: 'Container contents' }).waitFor();
    expect(refused).toBe(2);
    expect(refreshes).toEqual(['POST']);
    expect(path()).toBe(`/packages/${alpha.id}`);
  });

  it('shows a member only the packages they belong to', async () => {
    const member = await t.createUser({ role: 'DEVELOPER', packages: { [alpha.id]: 'VIEWER' } });
    await signIn(page, member);
    await page.getByRole('link', { name: 'Alpha Orders', exact: true }).waitFor();
    expect(await packageLinks().allInnerTexts()).toEqual(['Alpha Orders']);
    expect(await page.getByRole('status').innerText()).toBe('1 package');

    await page.goto(`/packages/${beta.id}`); // not a member: as if it did not exist
    await page.getByRole('heading', { level: 1, name: 'Package not found' }).waitFor();
  });

  it('asks an administrator for the TOTP code after the password', async () => {
    const admin = t.admin;
    if (!admin.mfaSecret) throw new Error('the harness administrator has no MFA secret');
    await page.goto('/sign-in');
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
    await focusOn('sign-in-code');
    const code = totp(admin.mfaSecret);
    await page.getByLabel('Authentication code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await alert().getByText('is not a valid code', { exact: false }).waitFor();
    expect(path()).toBe('/sign-in');

    await page.getByLabel('Authentication code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${baseUrl}/packages`);
    await packageLinks().first().waitFor();
    expect(await packageLinks().allInnerTexts()).toEqual(['Alpha Orders', 'Beta Payroll']);
    expect(await account().getByText('Administrator', { exact: true }).isVisible()).toBe(true);
  });

  it('takes an administrator without MFA through enrolment, then to the packages', async () => {
    const admin = await t.createUser({ role: 'ADMINISTRATOR', mfa: false });
    await page.goto('/packages');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await submitSignIn(page, admin);
    await page.waitForURL(`${baseUrl}/account/mfa?returnUrl=%2Fpackages`);
    await page.getByText('Administrator accounts need two-step verification.').waitFor();

    // Elsewhere is refused until MFA is on.
    await page.goto('/packages');
    await page.waitForURL((url) => url.pathname === '/account/mfa');

    await page.getByLabel('Confirm your password').fill(admin.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByLabel('Cannot scan it?').inputValue()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    await page.getByLabel('Code from the app').fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = await page
      .getByRole('list', { name: 'Recovery codes' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code.trim()).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);

    const proceed = page.getByRole('button', { name: 'Continue to Integrixs' });
    expect(await proceed.isDisabled()).toBe(true);
    await page.getByLabel('I have saved my recovery codes').check();
    await proceed.click();
    await page.waitForURL(`${baseUrl}/packages`);
    await packageLinks().first().waitFor();
    expect(await packageLinks().allInnerTexts()).toEqual(['Alpha Orders', 'Beta Payroll']);

    // MFA is on now: the next sign-in asks for a code, and a recovery code is accepted.
    await account().getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await submitSignIn(page, { ...admin, mfaSecret: null });
    await page.getByLabel('Authentication code').fill(codes[0]?.trim() ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${baseUrl}/packages`);
  });
});
