import { type Browser, type Locator, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file), and its UBL corpus
// helpers; relative imports because test support is not a library.
/* eslint-disable @nx/enforce-module-boundaries */
import { summarySchemaBody, UBL_INVOICE_EXAMPLE } from '../../api/test/support/mappings';
import { ublUpload } from '../../api/test/support/schemas';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
/* eslint-enable @nx/enforce-module-boundaries */
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the mapping editor in the console, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  /** Package administrator: may write mappings and their samples. */
  let owner: TestUser;
  let viewer: TestUser;
  let packageId = '';
  let mappingUrl = '';

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();
    const seed = new Seeder(baseUrl, t.admin.token);
    const pkg = await seed.createPackage('Billing', 'Invoices to the finance system.');
    packageId = pkg.id;
    for (const body of [{ ...ublUpload('Invoice'), name: 'UBL Invoice' }, summarySchemaBody()]) {
      const created = await t.request({
        method: 'POST',
        url: `/api/packages/${packageId}/schemas`,
        payload: body,
      });
      if (created.statusCode !== 201) throw new Error(`schema: ${created.body}`);
    }
    owner = await t.createUser({
      role: 'DEVELOPER',
      mfa: false,
      packages: { [pkg.id]: 'ADMINISTRATOR' },
    });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg.id]: 'VIEWER' } });
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

  const source = () => page.getByRole('region', { name: 'Source fields' });
  const target = () => page.getByRole('region', { name: 'Target fields' });
  /** Opens a field of a tree (loading its subtree when the structure cut it short). */
  const expand = (tree: Locator, path: string) =>
    tree.getByRole('button', { name: `Expand ${path}`, exact: true }).click();
  /** Picks a source field, then a target field: the rule `target ← expression` appears. */
  async function map(from: string, to: string): Promise<void> {
    await source().getByTitle(from, { exact: true }).click();
    await target().getByTitle(to, { exact: true }).click();
  }
  /** Drags with the mouse in small steps, as the CDK's drag threshold needs. */
  async function drag(from: Locator, to: Locator): Promise<void> {
    await from.scrollIntoViewIfNeeded();
    const start = await from.boundingBox();
    const end = await to.boundingBox();
    if (!start || !end) throw new Error('nothing to drag from or to');
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await page.mouse.down();
    await page.mouse.move(start.x + start.width / 2 + 10, start.y + start.height / 2, { steps: 5 });
    await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 20 });
    await page.mouse.up();
  }
  const rule = (targetPath: string) =>
    page.getByRole('listitem', { name: `Rule for ${targetPath}`, exact: true });
  /** Types into a CodeMirror editor, replacing its text. */
  async function typeInto(editor: Locator, text: string): Promise<void> {
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(text);
  }
  const save = async (version: number) => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Mapping saved (version ${version}).`).waitFor();
  };

  it('builds a UBL Invoice → JSON summary mapping from the trees until it is complete', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/mappings`);
    await page.getByText('This package holds no mappings yet.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'New mapping' }).click();
    await page.getByRole('heading', { level: 1, name: 'New mapping' }).waitFor();
    await page.getByLabel(/^Name/).fill('Invoice to summary');
    await page.getByLabel('Source schema').selectOption({ label: 'UBL Invoice (Billing)' });
    await page.getByLabel('Target schema').selectOption({ label: 'Invoice summary (Billing)' });
    await source().getByTitle('/Invoice/ID', { exact: true }).waitFor();
    await target().getByTitle('/id', { exact: true }).waitFor();

    // Click a source field, then a target field: the rule's expression comes from the source.
    await map('/Invoice/ID', '/id');
    await rule('/id').getByText('ID.`#text`').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await save(1);
    await page.waitForURL(new RegExp(`/packages/${packageId}/mappings/${UUID.source}$`));
    mappingUrl = new URL(page.url()).pathname;

    // Saved with one rule: incomplete, the missing required targets marked in the tree.
    await page.getByText('Incomplete: 5 required target fields are missing.').waitFor();
    const missing = page.getByRole('list', { name: 'Missing required target fields' });
    await missing.getByText('/issueDate', { exact: true }).waitFor();
    expect(await target().getByText('missing', { exact: true }).count()).toBeGreaterThan(0);

    // Or drag a source field onto a target field.
    await drag(
      source().getByTitle('/Invoice/IssueDate', { exact: true }),
      target().getByTitle('/issueDate', { exact: true }),
    );
    await rule('/issueDate').getByText('IssueDate', { exact: true }).waitFor();
    await expand(target(), '/totals');
    await map('/Invoice/DocumentCurrencyCode', '/totals/currency');
    await expand(source(), '/Invoice/LegalMonetaryTotal');
    await map('/Invoice/LegalMonetaryTotal/PayableAmount', '/totals/payable');
    for (const party of ['Supplier', 'Customer']) {
      const base = `/Invoice/Accounting${party}Party`;
      await expand(source(), base);
      await expand(source(), `${base}/Party`);
      await expand(source(), `${base}/Party/PartyName`);
      await expand(target(), `/${party.toLowerCase()}`);
      await map(`${base}/Party/PartyName/Name`, `/${party.toLowerCase()}/name`);
    }
    await expand(source(), '/Invoice/InvoiceLine');
    await expand(target(), '/lines');
    await expand(target(), '/lines[]');
    await map('/Invoice/InvoiceLine/ID', '/lines[]/id');
    await map('/Invoice/InvoiceLine/LineExtensionAmount', '/lines[]/amount');
    await rule('/lines[]/amount').getByText('InvoiceLine.LineExtensionAmount.`#text`').waitFor();

    // A broken expression is refused with the error inline, at its rule.
    const idExpression = rule('/id').getByRole('textbox', { name: 'Expression for /id' });
    await typeInto(idExpression, 'ID.[');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The mapping could not be saved.').waitFor();
    expect(await idExpression.getAttribute('aria-invalid')).toBe('true');
    await rule('/id').locator('.cm-lintRange-error').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await typeInto(idExpression, 'ID.`#text`');
    await save(2);
    await page.getByText('Complete: every required target field is mapped.').waitFor();
    expect(await target().getByText('missing', { exact: true }).count()).toBe(0);
  }, 120_000); // many picks and two saves of a big schema's tree

  it('runs a stored sample and reports an invalid output of an ad-hoc input with its path', async () => {
    expect(mappingUrl).not.toBe('');
    await signIn(page, owner);
    await page.goto(mappingUrl);
    await page.getByRole('heading', { level: 1, name: 'Invoice to summary' }).waitFor();
    await page.getByText('This mapping has no samples yet.').waitFor();

    const example = UBL_INVOICE_EXAMPLE();
    await page.getByRole('button', { name: 'New sample' }).click();
    await page.getByLabel('Sample name').fill('UBL example');
    await typeInto(page.getByRole('textbox', { name: 'Sample input' }), example);
    await page.getByRole('button', { name: 'Add sample' }).click();
    await page.getByText('Sample UBL example saved.').waitFor();

    await page.getByRole('button', { name: 'Run UBL example' }).click();
    const result = page.getByRole('region', { name: 'Run result' });
    await result.getByText('Passed').waitFor();
    await result.getByText('The output is valid against the target schema.').waitFor();
    await result.getByText(/in [\d.,]+ ms/).waitFor();
    await result.getByText('"TOSL108"').waitFor();

    // A lower-case currency is valid UBL but not a valid summary: the output error names its path.
    const invalid = example.replace(
      />EUR<\/cbc:DocumentCurrencyCode>/,
      '>eur</cbc:DocumentCurrencyCode>',
    );
    expect(invalid).not.toBe(example);
    await typeInto(page.getByRole('textbox', { name: 'Input to run' }), invalid);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await result.getByText('Failed').waitFor();
    await result.getByText('The output is not valid against the target schema').waitFor();
    const errors = result.getByRole('list', { name: 'Output errors' });
    await errors.getByText('/totals/currency').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Run all samples' }).click();
    await page.getByText('1 of 1 samples passed').waitFor();
  });

  it('opens the conflict dialog when someone else saved the mapping meanwhile (412), and reloads theirs', async () => {
    if (!t) throw new Error('the API did not start');
    await signIn(page, owner);
    await page.goto(mappingUrl);
    const expression = rule('/issueDate').getByRole('textbox', {
      name: 'Expression for /issueDate',
    });
    await expression.waitFor();

    // Someone else changes the mapping (its description) while the page shows it.
    const mappingId = mappingUrl.split('/').pop() ?? '';
    const changed = await t.request({
      method: 'PUT',
      url: `/api/packages/${packageId}/mappings/${mappingId}`,
      headers: { 'if-match': '"2"' },
      payload: { description: 'Changed elsewhere.' },
    });
    expect(changed.statusCode).toBe(200);

    await typeInto(expression, '$substring(IssueDate, 0, 10)');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // The shared conflict dialog says who changed what, and offers reload or overwrite.
    const dialog = page.getByRole('alertdialog', { name: 'Someone else saved first' });
    await dialog.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Reload theirs' }).click();
    // Reloaded: their version, without the local edit; saving again goes through.
    await rule('/issueDate').getByText('IssueDate', { exact: true }).waitFor();
    expect(await page.getByRole('alertdialog', { name: 'Someone else saved first' }).count()).toBe(
      0,
    );
    await typeInto(expression, '$substring(IssueDate, 0, 10)');
    await save(3);
  });

  it('shows a VIEWER the mapping and lets them run it, without the write actions', async () => {
    expect(mappingUrl).not.toBe('');
    await signIn(page, viewer);
    await page.goto(`/packages/${packageId}/mappings`);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Invoice to summary' }) });
    await row.getByText('JSONata').waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      'JSONata',
      'UBL Invoice → Invoice summary',
      'Draft',
      '3',
    ]);
    expect(await page.getByRole('link', { name: 'New mapping' }).count()).toBe(0);
    await row.getByRole('link', { name: 'Invoice to summary' }).click();
    await page.getByText('Complete: every required target field is mapped.').waitFor();
    for (const name of ['Save', 'New sample', /^Remove the rule/, /^Edit /, /^Delete /])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.getByRole('button', { name: 'Run UBL example' }).click();
    await page.getByRole('region', { name: 'Run result' }).getByText('Passed').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('pins the source schema to a version, then rolls the mapping back from its history', async () => {
    expect(mappingUrl).not.toBe('');
    if (!t) throw new Error('the API did not start');
    await signIn(page, owner);
    await page.goto(mappingUrl);
    const version = source().getByLabel('Version', { exact: true });
    await version.locator('option', { hasText: 'Version 1' }).waitFor({ state: 'attached' });
    expect((await version.locator('option').allInnerTexts()).map((o) => o.trim())).toEqual([
      'Latest (follows new versions)',
      'Version 1',
    ]);
    await version.selectOption({ label: 'Version 1' });
    await source().getByTitle('/Invoice/ID', { exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await save(4);
    const stored = await t.request({ method: 'GET', url: `/api/${mappingUrl.slice(1)}` });
    expect(
      (JSON.parse(stored.body) as { sourceSchema: { version: number | null } }).sourceSchema,
    ).toMatchObject({ version: 1 });
    await page.reload();
    await version.locator('option', { hasText: 'Version 1' }).waitFor({ state: 'attached' });
    expect(await version.inputValue()).toBe('1');

    // Back to version 3, which followed the latest schema version.
    const history = page.getByRole('region', { name: 'Version history' });
    await history.getByRole('row', { name: /^4 / }).getByText('Current').waitFor();
    await history
      .getByRole('row', { name: /^3 / })
      .getByRole('button', { name: 'Roll back to this version' })
      .click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Roll back' }).click();
    await page.getByText('Rolled back: the content is now version 5.').waitFor();
    expect(await version.inputValue()).toBe('');
  });
});
