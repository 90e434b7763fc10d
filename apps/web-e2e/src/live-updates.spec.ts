import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type Browser, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file); relative imports
// because test support is not a library.
/* eslint-disable @nx/enforce-module-boundaries */
import { adapterBody, createPackage } from '../../api/test/support/access-fixtures';
import {
  json,
  postAsset,
  startTestApp,
  type TestApp,
  type TestUser,
} from '../../api/test/support/test-app';
/* eslint-enable @nx/enforce-module-boundaries */
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { signIn } from './support/sign-in';

/**
 * Live updates and conflicts across two browser contexts signed in as two users: what one
 * changes appears at the other without a reload (WebSocket events from the API), and a save over
 * the other's change opens the conflict dialog.
 */
describe('live updates and conflicts between two users, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let packageId: string;
  let alice: TestUser;
  let bob: TestUser;
  const pages: WatchedPage[] = [];
  const files = mkdtempSync(path.join(tmpdir(), 'integrixs-live-'));

  beforeAll(async () => {
    browser = await launchChromium();
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();
    packageId = await createPackage(t, 'Live orders');
    alice = await t.createUser({
      role: 'DEVELOPER',
      username: 'alice',
      mfa: false,
      packages: { [packageId]: 'DEVELOPER' },
    });
    bob = await t.createUser({
      role: 'DEVELOPER',
      username: 'bob',
      mfa: false,
      packages: { [packageId]: 'DEVELOPER' },
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
    rmSync(files, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const watched of pages.splice(0)) {
      await watched.context.close();
      // No uncaught error in the console's code, no CSP violation (the socket is same-origin).
      expect(watched.problems).toEqual([]);
    }
  });

  async function signedIn(user: TestUser, url: string): Promise<Page> {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    const watched = await openPage(browser, baseUrl);
    pages.push(watched);
    await signIn(watched.page, user, url);
    return watched.page;
  }

  const tabCount = (page: Page, name: string) =>
    page
      .getByRole('tablist', { name: 'Package sections' })
      .getByRole('tab', { name })
      .locator('.tab-count');

  it("shows another user's new schema in the Schemas tab count and list without a reload", async () => {
    const a = await signedIn(alice, `/packages/${packageId}/schemas`);
    const b = await signedIn(bob, `/packages/${packageId}/schemas`);
    const bSchemas = b.getByRole('region', { name: 'Schemas' });
    await bSchemas.getByText('This package holds no schemas yet.').waitFor();
    expect(await tabCount(b, 'Schemas').innerText()).toBe('0');
    let reloads = 0;
    b.on('framenavigated', () => reloads++);

    // Alice adds a schema through her console.
    const aSchemas = a.getByRole('region', { name: 'Schemas' });
    await aSchemas.getByRole('button', { name: 'Add schema' }).click();
    const form = aSchemas.getByRole('form', { name: 'Add a schema' });
    await form.getByLabel('Name').fill('Live Order');
    const xsd = path.join(files, 'order.xsd');
    writeFileSync(
      xsd,
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Order" type="xs:string"/></xs:schema>',
    );
    await form.getByLabel('Files').setInputFiles(xsd);
    await form.getByRole('button', { name: 'Add schema' }).click();
    await a.getByRole('heading', { level: 1, name: 'Live Order' }).waitFor();

    // Bob's tab header and list follow, without a reload.
    await bSchemas.getByRole('link', { name: 'Live Order' }).waitFor();
    await expectText(() => tabCount(b, 'Schemas').innerText(), '1');
    expect(reloads).toBe(0);
  });

  it('opens the conflict dialog when Bob saves an adapter over Alice\'s change; "Reload theirs" shows hers', async () => {
    const created = await postAsset(
      t as TestApp,
      packageId,
      'adapters',
      adapterBody('Stock files'),
    );
    expect(created.statusCode).toBe(201);
    const adapterId = json<{ id: string }>(created).id;
    const url = `/packages/${packageId}/adapters/${adapterId}`;
    const a = await signedIn(alice, url);
    const b = await signedIn(bob, url);
    const description = (page: Page) => page.getByRole('textbox', { name: 'Description' });
    await a.getByRole('heading', { level: 1, name: 'Stock files' }).waitFor();
    await b.getByRole('heading', { level: 1, name: 'Stock files' }).waitFor();

    await description(a).fill('Alice: the nightly stock export');
    await a.getByRole('button', { name: 'Save', exact: true }).click();
    await a.getByText(/Adapter saved \(version 2\)/).waitFor();

    await description(b).fill('Bob: hourly stock files');
    await b.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = b.getByRole('alertdialog');
    await dialog.getByRole('heading', { name: 'Someone else saved first' }).waitFor();
    expect(await dialog.innerText()).toContain('was changed by alice');
    const row = dialog.getByRole('row', { name: /Description/ });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      'Bob: hourly stock files',
      'Alice: the nightly stock export',
    ]);
    await dialog.getByRole('button', { name: 'Reload theirs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectText(() => description(b).inputValue(), 'Alice: the nightly stock export');

    // Saving again now goes over Alice's version, not against it.
    await description(b).fill('Bob, after reading Alice');
    await b.getByRole('button', { name: 'Save', exact: true }).click();
    await b.getByText(/Adapter saved/).waitFor();
    await b.locator('header').getByText('Bob, after reading Alice').waitFor();
  });
});

/** Waits until `read()` answers `expected` (a live update lands asynchronously). */
async function expectText(read: () => Promise<string>, expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = await read();
  while (last.trim() !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  expect(last.trim()).toBe(expected);
}
