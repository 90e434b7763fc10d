import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { authenticator } from 'otplib';
import { type Browser, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file), and its schema
// corpus helpers; relative imports because test support is not a library.
/* eslint-disable @nx/enforce-module-boundaries */
import { corpusText, schemaDocument } from '../../api/test/support/schemas';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
/* eslint-enable @nx/enforce-module-boundaries */
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

/** The TOTP code of the next 30-second step (the API accepts one step either side of now). */
const nextTotp = (secret: string): string =>
  authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('adapters in the console, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  /** Package administrator: may create adapters (asset:write) and test them (adapter:configure). */
  let owner: TestUser;
  let viewer: TestUser;
  /** INTEGRATOR with MFA: configures environments and sets credentials (step-up). */
  let operator: TestUser;
  let erpUrl = '';
  let packageId = '';
  /** Where the FILE adapter reads: `inbox` does not exist, `stock` does. */
  const root = mkdtempSync(path.join(tmpdir(), 'integrixs-file-adapter-'));
  const inbox = path.join(root, 'inbox');
  const stock = path.join(root, 'stock');
  mkdirSync(stock);
  let adapterUrl = '';

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();
    const seed = new Seeder(baseUrl, t.admin.token);
    const pkg = await seed.createPackage('Warehouse', 'Stock files from the warehouse.');
    packageId = pkg.id;
    owner = await t.createUser({
      role: 'DEVELOPER',
      mfa: false,
      packages: { [pkg.id]: 'ADMINISTRATOR' },
    });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg.id]: 'VIEWER' } });
    operator = await t.createUser({
      role: 'INTEGRATOR',
      mfa: true,
      packages: { [pkg.id]: 'INTEGRATOR' },
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
    rmSync(root, { recursive: true, force: true });
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

  const baseFolder = () =>
    page
      .getByRole('region', { name: 'Base configuration' })
      .getByRole('textbox', { name: 'Folder', exact: true });
  const steps = async (): Promise<string[]> =>
    page
      .getByRole('list', { name: 'Connection test steps in DEV' })
      .getByRole('listitem')
      .allInnerTexts();

  it('creates a FILE adapter through the form rendered from its JSON Schema', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/adapters`);
    const list = page.getByRole('region', { name: 'Adapters' });
    await list.getByText('This package holds no adapters yet.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'New adapter' }).click();
    await page.getByRole('heading', { level: 1, name: 'New adapter' }).waitFor();
    await page.getByLabel(/^Name/).fill('Stock files');
    await page.getByLabel('Adapter type').selectOption('FILE');
    await page.getByLabel('Direction').selectOption('SOURCE');
    // The folder does not exist yet: the connection test below fails at its first step.
    await page.getByRole('textbox', { name: 'Folder', exact: true }).fill(inbox);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create adapter' }).click();

    await page.waitForURL(new RegExp(`/packages/${packageId}/adapters/${UUID.source}$`));
    adapterUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Stock files' }).waitFor();
    expect(await baseFolder().inputValue()).toBe(inbox);

    await page.goto(`/packages/${packageId}/adapters`);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Stock files' }) });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      'FILE',
      'SOURCE',
      'Draft',
      'Not tested',
    ]);
  });

  it('shows a failing connection test step by step, then a passing one after the folder is fixed', async () => {
    expect(adapterUrl).not.toBe('');
    await signIn(page, owner);
    await page.goto(adapterUrl);
    const test = page.getByRole('button', { name: 'Test connection in DEV' });
    await test.click();
    await page.getByText('Connection test failed in DEV').waitFor();
    const failed = await steps();
    expect(failed[0]).toMatch(/^folder\s+failed\s+\d+ ms\s+folder .*inbox does not exist$/);
    expect(failed.slice(1).map((s) => s.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'list skipped',
      'permissions skipped',
    ]);
    expect(await axeViolations(page)).toEqual([]);

    // Fix the folder in the base configuration: a new version, then the test passes.
    await baseFolder().fill(stock);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Adapter saved (version 2).').waitFor();
    await test.click();
    await page.getByText('Connection test passed in DEV').waitFor();
    const passed = await steps();
    expect(passed.map((s) => s.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'folder passed',
      'list passed',
      'permissions passed',
    ]);
    expect(passed.every((s) => /\s\d+ ms\s/.test(s))).toBe(true);

    await page.goto(`/packages/${packageId}/adapters`);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Stock files' }) });
    await row.getByText('DEV: passed').waitFor();
  });

  it('shows what PROD lacks, saves a PROD overlay, previews and promotes it', async () => {
    if (!t) throw new Error('the API did not start');
    const created = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/adapters`,
      payload: {
        name: 'ERP outbox',
        adapterType: 'SFTP',
        direction: 'TARGET',
        configuration: {
          host: 'sftp.dev.example.com',
          username: 'erp',
          hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
          remoteFolder: '/outbound',
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const { id } = JSON.parse(created.body) as { id: string };
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/adapters/${id}`);
    const environments = page.getByRole('region', { name: 'Environments' });
    await environments.getByRole('radio', { name: 'PROD' }).click();
    const missing = environments.getByRole('list', { name: 'Missing in PROD' });
    await missing.getByText('PROD has no password or private key set').waitFor();

    await environments
      .getByRole('textbox', { name: 'Host', exact: true })
      .fill('sftp.prod.example.com');
    await environments.getByRole('button', { name: 'Save overlay for PROD' }).click();
    await page.getByText('Overlay saved for PROD.').waitFor();
    await environments.getByText(/"host": "sftp.prod.example.com"/).waitFor({ state: 'attached' });

    await environments.getByLabel('Promote PROD to').selectOption('TEST');
    await environments.getByRole('button', { name: 'Preview promotion' }).click();
    const diff = environments.getByRole('table', { name: /differ from PROD to TEST/ });
    expect(await diff.getByRole('row').nth(1).innerText()).toMatch(
      /\/host\s+"sftp.prod.example.com"\s+not set/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await environments.getByRole('button', { name: 'Promote PROD to TEST' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Promote' }).click();
    await page.getByText('Promoted PROD to TEST.').waitFor();

    erpUrl = `/packages/${packageId}/adapters/${id}`;
  });

  it('sets a PROD password after an MFA step-up, never showing it again', async () => {
    expect(erpUrl).not.toBe('');
    if (!t) throw new Error('the API did not start');
    await signIn(page, operator);
    // Signed in with MFA 20 minutes ago (older than MFA_STEP_UP_MAX_AGE_SECONDS): loading the
    // page restores the session from its refresh cookie with that old confirmation.
    await t.db.pool.query(
      `UPDATE refresh_tokens SET mfa_at = now() - interval '20 minutes' WHERE user_id = $1`,
      [operator.id],
    );
    await page.goto(erpUrl);
    const environments = page.getByRole('region', { name: 'Environments' });
    await environments.getByRole('radio', { name: 'PROD' }).click();
    await environments.getByText('PROD has no password or private key set').waitFor();
    const password = environments.getByLabel('Password in PROD');
    expect(await password.inputValue()).toBe('');
    await password.fill('n3w-s3cret-for-prod');
    await environments.getByRole('button', { name: 'Save credentials' }).click();

    // The sign-in used this step's code: the step-up answers with the next one (each code once).
    await environments.getByLabel('MFA code').fill(nextTotp(operator.mfaSecret ?? ''));
    await environments.getByRole('button', { name: 'Confirm and save credentials' }).click();
    await page.getByText('Credentials saved in PROD.').waitFor();
    await environments.getByText('Nothing is missing in PROD.').waitFor();
    expect(await password.inputValue()).toBe('');
    expect(await environments.getByText('Set — write-only', { exact: true }).count()).toBe(1);
    expect(await page.content()).not.toContain('n3w-s3cret-for-prod');
  });

  it('shows a VIEWER the adapters but none of the write actions', async () => {
    expect(adapterUrl).not.toBe('');
    await signIn(page, viewer);
    await page.goto(`/packages/${packageId}/adapters`);
    await page.getByRole('link', { name: 'Stock files' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stock files' }).waitFor();
    await page.getByText(/Not tested in DEV yet|Connection test (passed|failed) in DEV/).waitFor();
    for (const name of ['Save', /Test connection/, /Save overlay/, /Save credentials/, /^Promote /])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await baseFolder().isDisabled()).toBe(true);

    await page.goto(`/packages/${packageId}/adapters`);
    await page.getByRole('link', { name: 'Stock files' }).waitFor();
    expect(await page.getByRole('link', { name: 'New adapter' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("picks a SOAP adapter's WSDL from the readable WSDL schemas", async () => {
    if (!t) throw new Error('the API did not start');
    const wsdl = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/schemas`,
      payload: schemaDocument('Hello WSDL', corpusText('wsdl/hello.wsdl'), 'WSDL'),
    });
    expect(wsdl.statusCode).toBe(201);
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/adapters/new`);
    await page.getByRole('heading', { level: 1, name: 'New adapter' }).waitFor();
    await page.getByLabel(/^Name/).fill('Hello service');
    await page.getByLabel('Adapter type').selectOption('SOAP');
    await page.getByLabel('Direction').selectOption('TARGET');
    await page.getByRole('combobox', { name: /^WSDL/ }).click();
    // Only WSDL schemas are offered (the package's XSDs are not).
    expect(await page.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual([
      'Hello WSDL (Warehouse)',
    ]);
    await page.getByRole('option', { name: 'Hello WSDL (Warehouse)' }).click();
    await page.getByRole('textbox', { name: 'Service', exact: true }).fill('Hello_Service');
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill('Hello_Port');
    await page.getByRole('textbox', { name: 'Operation', exact: true }).fill('sayHello');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create adapter' }).click();

    await page.waitForURL(new RegExp(`/packages/${packageId}/adapters/${UUID.source}$`));
    await page.getByRole('heading', { level: 1, name: 'Hello service' }).waitFor();
    const picked = page
      .getByRole('region', { name: 'Base configuration' })
      .getByRole('combobox', { name: /^WSDL/ });
    expect(await picked.innerText()).toContain('Hello WSDL (Warehouse)');
  });

  it('gives an HTTP adapter headers as name/value rows', async () => {
    if (!t) throw new Error('the API did not start');
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/adapters/new`);
    await page.getByRole('heading', { level: 1, name: 'New adapter' }).waitFor();
    await page.getByLabel(/^Name/).fill('Partner API');
    await page.getByLabel('Adapter type').selectOption('HTTP');
    await page
      .getByRole('textbox', { name: 'Base URL', exact: true })
      .fill('https://api.example.com');
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Headers 1 name').fill('X-Tenant');
    await page.getByLabel('Headers 1 value').fill('acme');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create adapter' }).click();

    await page.waitForURL(new RegExp(`/packages/${packageId}/adapters/${UUID.source}$`));
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const stored = await t.request({
      method: 'GET',
      url: `/api/packages/${packageId}/adapters/${id}`,
    });
    expect(
      (JSON.parse(stored.body) as { configuration: { headers?: unknown } }).configuration.headers,
    ).toEqual({ 'X-Tenant': 'acme' });
    const base = page.getByRole('region', { name: 'Base configuration' });
    expect(await base.getByLabel('Headers 1 name').inputValue()).toBe('X-Tenant');
    expect(await base.getByLabel('Headers 1 value').inputValue()).toBe('acme');
  });
});
