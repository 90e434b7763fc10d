import { type Browser, type Locator, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file); a relative import
// because test support is not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
import { apiAs } from './support/api-as';
import { axeViolations, type AxeViolation } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

/** What the brief allows on an admin page: no serious or critical accessibility violation. */
const serious = (violations: AxeViolation[]): AxeViolation[] =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/**
 * The administration area, as an administrator (one signed-in page for the whole file: a TOTP
 * code is good once) and as a viewer: users, API tokens, environments and the audit log.
 */
describe('administration in the console, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp;
  let baseUrl: string;
  let admin: TestUser;
  let adminPage: WatchedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();
    await new Seeder(baseUrl, t.admin.token).createPackage('Admin Orders', 'Orders.');
    admin = await t.createUser({ role: 'ADMINISTRATOR' });
    adminPage = await openPage(browser, baseUrl);
    page = adminPage.page;
    await signIn(page, admin);
  }, 600_000); // the console build takes minutes on a busy machine

  afterAll(async () => {
    await adminPage?.context.close();
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
  });

  afterEach(() => {
    // No uncaught error in the console's code, no CSP violation.
    expect(adminPage?.problems).toEqual([]);
  });

  const nav = (): Locator => page.getByRole('navigation', { name: 'Main' });
  const tab = (name: string): Locator =>
    page.getByRole('tablist', { name: 'Administration sections' }).getByRole('tab', { name });
  const snack = (text: string): Promise<void> => page.getByText(text, { exact: true }).waitFor();
  const row = (text: string | RegExp): Locator => page.getByRole('row', { name: text });
  const path = (): string => new URL(page.url()).pathname;
  /** Waits until `check` holds (a list replaced by a newer request, for instance). */
  const eventually = async (check: () => Promise<boolean>): Promise<void> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await check()) return;
      await page.waitForTimeout(200);
    }
    throw new Error('the condition did not come true in 20 s');
  };
  /** The entries listed (their cells separated by tabs), header row left out. */
  const listedEntries = async (): Promise<string[]> =>
    (
      await page
        .getByRole('table', { name: 'Audit log entries, newest first' })
        .getByRole('row')
        .allInnerTexts()
    ).slice(1);

  it('creates a user, changes their role and disables them', async () => {
    await nav().getByRole('link', { name: 'Administration' }).click();
    await page.waitForURL(`${baseUrl}/admin/users`);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await row(new RegExp(admin.username)).waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);

    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByRole('textbox', { name: 'Username' }).fill('e2e.operator');
    await page.getByRole('textbox', { name: 'Display name' }).fill('Edda Operator');
    await page.getByRole('combobox', { name: 'Role', exact: true }).click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    // The API's password rule comes back on the field.
    await page.getByLabel('Initial password').fill('password1234');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('common', { exact: false }).first().waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.getByLabel('Initial password').fill('Operator-Secret-2026');
    await page.getByRole('button', { name: 'Create user' }).click();
    await snack('Created e2e.operator.');

    await page.getByRole('searchbox', { name: 'Search users' }).fill('e2e.operator');
    const operator = row(/e2e\.operator/);
    await operator.getByText('Viewer').waitFor();
    // The search replaces the list: the header and the one match.
    await eventually(async () => (await page.getByRole('row').count()) === 2);

    await operator.getByRole('button', { name: 'Change role of e2e.operator' }).click();
    await page.getByRole('menuitem', { name: 'Integrator' }).click();
    await snack('e2e.operator is now integrator.');
    await operator.getByText('Integrator').waitFor();

    await operator.getByRole('button', { name: 'Disable e2e.operator' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disable' }).click();
    await snack('e2e.operator is disabled.');
    await operator.getByText('Disabled').waitFor();
    await operator.getByRole('button', { name: 'Enable e2e.operator' }).waitFor();

    // The API agrees: the user is an integrator and cannot sign in.
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'e2e.operator', password: 'Operator-Secret-2026' },
      as: null,
    });
    expect(login.statusCode).toBe(401);
  });

  it("resets a user's MFA after asking: the button goes, the user's enrolment is cleared", async () => {
    const enrolled = await t.createUser({ role: 'INTEGRATOR', username: 'e2e.mfa', mfa: true });
    await page.goto(`${baseUrl}/admin/users`);
    await page.getByRole('searchbox', { name: 'Search users' }).fill('e2e.mfa');
    const user = row(/e2e\.mfa/);
    await user.getByRole('button', { name: 'Reset MFA of e2e.mfa' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reset MFA' }).click();
    await snack('Two-step verification of e2e.mfa was reset.');
    await user.getByRole('button', { name: 'Reset MFA of e2e.mfa' }).waitFor({ state: 'detached' });
    const stored = await t.db.count(
      `SELECT count(*)::int AS n FROM users WHERE id = $1 AND mfa_enabled_at IS NULL`,
      [enrolled.id],
    );
    expect(stored).toBe(1);
  });

  it('creates an API token and shows its secret once', async () => {
    await nav().getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL(`${baseUrl}/admin/tokens`);
    await page.getByText('You have no API tokens yet.').waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);

    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('E2E pipeline');
    await page.getByRole('button', { name: 'Read only' }).click();
    await page.getByText('5 permissions chosen.').waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.getByRole('button', { name: 'Create token' }).click();

    const secretBox = page.getByRole('textbox', { name: 'The new API token' });
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^ixt_/);
    await page.getByText('it is shown only this once', { exact: false }).waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);

    // The secret works as a bearer token, for reading only.
    const client = apiAs(baseUrl, secret);
    expect((await client.GET('/api/packages')).response.status).toBe(200);
    expect((await client.GET('/api/users')).response.status).toBe(403);

    const listed = row(/E2E pipeline/);
    await listed.getByText('Active').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await secretBox.waitFor({ state: 'detached' });
    await page.reload();
    await row(/E2E pipeline/).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('adds an environment and protects it', async () => {
    await tab('Environments').click();
    await page.waitForURL(`${baseUrl}/admin/environments`);
    await row(/^PROD/).waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);

    await page.getByRole('button', { name: 'Add environment' }).click();
    await page.getByRole('textbox', { name: 'Code' }).fill('uat');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('User acceptance');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await snack('Added UAT.');
    const uat = row(/^UAT/);
    await uat.getByText('Not protected').waitFor();

    await uat.getByRole('button', { name: 'Protect UAT' }).click();
    await snack('UAT is protected.');
    await uat.getByText('Protected', { exact: true }).waitFor();

    // A protected environment cannot be deleted: the API's reason is shown.
    await uat.getByRole('button', { name: 'Delete UAT' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').getByText('UAT was not deleted.').waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);
  });

  it('filters the audit log to the changes made above, with before and after', async () => {
    await tab('Audit log').click();
    await page.waitForURL((url) => url.pathname === '/admin/audit');
    await page.getByRole('table', { name: 'Audit log entries, newest first' }).waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);

    await page.getByRole('textbox', { name: 'Who' }).fill(admin.username);
    await page.getByRole('combobox', { name: 'What' }).click();
    await page.getByRole('option', { name: 'environment', exact: true }).click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('entityType') === 'environment');
    const entries = page.getByRole('table', { name: 'Audit log entries, newest first' });
    await eventually(async () => {
      const listed = await listedEntries();
      return listed.length > 0 && listed.every((text) => /\tenvironment\t/.test(text));
    });
    const listed = await listedEntries();
    expect(listed.some((text) => /\tCREATE\t/.test(text))).toBe(true);
    expect(listed.some((text) => /\tUPDATE\t/.test(text))).toBe(true);

    const update = entries.getByRole('row', { name: /UPDATE/ }).first();
    await update.getByRole('button').click();
    await update.getByRole('button', { pressed: true }).waitFor();
    const detail = page.getByRole('region', { name: 'Entry' });
    const protectedRow = detail.getByRole('row', { name: /protected/ });
    expect(await protectedRow.innerText()).toMatch(/protected\s+false\s+true/);
    expect(serious(await axeViolations(page))).toEqual([]);

    // The user changes: a role change and the disabling, by this administrator.
    await page.getByRole('combobox', { name: 'What' }).click();
    await page.getByRole('option', { name: 'user', exact: true }).click();
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'UPDATE', exact: true }).click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('entityType') === 'user');
    const updates = entries.getByRole('row', { name: /UPDATE/ });
    await eventually(async () => {
      const rows = await listedEntries();
      return rows.length >= 2 && rows.every((text) => /\tUPDATE\tuser\t/.test(text));
    }); // the role change and the disabling
    const changed: string[] = [];
    for (let index = 0; index < (await updates.count()); index += 1) {
      await updates.nth(index).getByRole('button').click();
      await updates.nth(index).getByRole('button', { pressed: true }).waitFor();
      const fields = await detail.getByRole('rowheader').allInnerTexts();
      changed.push(...fields.filter((field) => field === 'role' || field === 'disabledAt'));
      if (fields.includes('role'))
        expect(await detail.getByRole('row', { name: /^role/ }).innerText()).toMatch(
          /role\s+VIEWER\s+INTEGRATOR/,
        );
    }
    expect(changed.sort()).toEqual(['disabledAt', 'role']);

    // An unknown user name is refused by the form, naming the field.
    await page.getByRole('textbox', { name: 'Who' }).fill('nobody.here');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page
      .getByRole('alert')
      .getByText('no user is named “nobody.here”', { exact: false })
      .waitFor();
    expect(path()).toBe('/admin/audit');
  });

  it('shows a viewer no Administration, only their API tokens and the environments', async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    const viewer = await t.createUser({ role: 'VIEWER' });
    const watched = await openPage(browser, baseUrl);
    const other = watched.page;
    try {
      await signIn(other, viewer);
      const main = other.getByRole('navigation', { name: 'Main' });
      await main.getByRole('link', { name: 'API tokens' }).waitFor();
      expect(await main.getByRole('link', { name: 'Administration' }).count()).toBe(0);

      await other.goto('/admin/users'); // a deep link to what the role may not use
      await other.waitForURL(`${baseUrl}/admin/tokens`);
      await other.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      const tabs = other.getByRole('tablist', { name: 'Administration sections' });
      expect(await tabs.getByRole('tab').allInnerTexts()).toEqual(['API tokens', 'Environments']);
      await other.getByText('You have no API tokens yet.').waitFor();
      expect(serious(await axeViolations(other))).toEqual([]);

      await tabs.getByRole('tab', { name: 'Environments' }).click();
      await other.getByRole('row', { name: /^PROD/ }).waitFor();
      expect(await other.getByRole('button', { name: 'Add environment' }).count()).toBe(0);
      expect(serious(await axeViolations(other))).toEqual([]);
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.context.close();
    }
  });
});
