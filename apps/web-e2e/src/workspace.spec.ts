import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type Browser, type Locator, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file); a relative import
// because test support is not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DEMO_PACKAGE_NAME, DemoSeeder } from '../../api/src/demo/demo-seeder';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
import { apiAs } from './support/api-as';
import { axeViolations, type AxeViolation } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

/** What the issue forbids: serious and critical accessibility violations. */
const grave = (violations: AxeViolation[]): AxeViolation[] =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/**
 * The package workspace in a real browser against the real API with the demo package seeded:
 * the library's filters, tab state kept across tabs and packages, deep links, the quick package
 * switcher, the dependency graph, and axe-core on the main pages.
 */
describe('the package workspace, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  let developer: TestUser;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-workspace-'));
  const ids = { orderToCash: '', procureToPay: '', demo: '' };
  const demo = { schema: '', adapter: '', mapping: '', flow: '' };

  beforeAll(async () => {
    browser = await launchChromium();
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir, seedDemo: true, dataDir } });
    baseUrl = await t.listen();
    await t.app.get(DemoSeeder).activated;

    const api = apiAs(baseUrl, t.admin.token);
    const seed = new Seeder(baseUrl, t.admin.token);
    const created = async (name: string, owner: string, tags: string[]) => {
      const { data } = await api.POST('/api/packages', { body: { name, owner, tags } });
      if (!data) throw new Error(`package ${name} not created`);
      return data.id;
    };
    ids.orderToCash = await created('Order to Cash', 'Team Finance', ['sales']);
    ids.procureToPay = await created('Procure to Pay', 'Team Purchasing', ['purchasing']);
    await seed.createSchema(ids.orderToCash, 'UBL Invoice 2.1');
    await seed.createSchema(ids.orderToCash, 'UBL Order 2.1');

    const { data: packages } = await api.GET('/api/packages', {
      params: { query: { q: 'demo' } },
    });
    ids.demo = packages?.items.find((p) => p.name === DEMO_PACKAGE_NAME)?.id ?? '';
    const { data: graph } = await api.GET('/api/packages/{id}/dependency-graph', {
      params: { path: { id: ids.demo } },
    });
    const first = (type: string) => graph?.nodes.find((n) => n.type === type)?.id ?? '';
    demo.schema = first('SCHEMA');
    demo.adapter = first('ADAPTER');
    demo.mapping = first('MAPPING');
    demo.flow = first('FLOW');

    developer = await t.createUser({
      role: 'DEVELOPER',
      packages: {
        [ids.orderToCash]: 'DEVELOPER',
        [ids.procureToPay]: 'DEVELOPER',
        [ids.demo]: 'DEVELOPER',
      },
    });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    watched = await openPage(browser, baseUrl);
    page = watched.page;
    await signIn(page, developer);
  });

  afterEach(async () => {
    await watched?.context.close();
    expect(watched?.problems).toEqual([]);
    watched = undefined;
  });

  const packageNames = (): Promise<string[]> =>
    page.getByRole('list', { name: 'Packages' }).getByRole('heading', { level: 2 }).allInnerTexts();
  const tabs = (): Locator => page.getByRole('tablist', { name: 'Package sections' });
  const tab = (name: string): Locator => tabs().getByRole('tab', { name: new RegExp(`^${name}`) });
  const schemaNames = (): Promise<string[]> =>
    page
      .getByRole('table', { name: "The package's schemas" })
      .getByRole('rowheader')
      .allInnerTexts();

  it('filters the library by owner and orders it, with the filters in the URL', async () => {
    await page.goto('/packages');
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).waitFor();
    expect(await packageNames()).toEqual(['Order to Cash', 'Procure to Pay', DEMO_PACKAGE_NAME]);

    await page.getByRole('textbox', { name: 'Owner' }).fill('team purchasing');
    await page.waitForURL(/owner=team(\+|%20)purchasing/);
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).waitFor({
      state: 'detached',
    });
    expect(await packageNames()).toEqual(['Procure to Pay']);

    await page.getByRole('textbox', { name: 'Owner' }).fill('');
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Order' }).click();
    await page.getByRole('option', { name: 'Name Z–A' }).click();
    await page.waitForURL(/sort=-name/);
    await page.waitForFunction(
      () =>
        document.querySelector('ul[aria-label="Packages"] h2')?.textContent?.trim() ===
        'UBL 2.1 Invoice (demo)',
    );
    expect(await packageNames()).toEqual([
      'UBL 2.1 Invoice (demo)',
      'Procure to Pay',
      'Order to Cash',
    ]);

    // A shared link: the same filtered list.
    await page.goto('/packages?tag=sales');
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).waitFor();
    expect(await packageNames()).toEqual(['Order to Cash']);
    expect(await page.getByRole('textbox', { name: 'Tag' }).inputValue()).toBe('sales');
  });

  it('keeps the Schemas filter when switching to Adapters and back, and the library filter too', async () => {
    await page.goto('/packages?q=order');
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Order to Cash' }).waitFor();

    await tab('Schemas').click();
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/schemas`);
    await page.getByRole('link', { name: 'UBL Order 2.1' }).waitFor();
    await page.getByLabel('Search schemas').fill('invoice');
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/schemas?q=invoice`);
    await page.getByRole('link', { name: 'UBL Order 2.1' }).waitFor({ state: 'detached' });
    expect(await schemaNames()).toEqual(['UBL Invoice 2.1']);

    await tab('Adapters').click();
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/adapters`);
    await page.getByText('This package holds no adapters yet.').waitFor();

    await tab('Schemas').click();
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/schemas?q=invoice`);
    await page.getByRole('link', { name: 'UBL Invoice 2.1' }).waitFor();
    expect(await page.getByLabel('Search schemas').inputValue()).toBe('invoice');
    expect(await schemaNames()).toEqual(['UBL Invoice 2.1']);

    // The breadcrumb back to the library: its search is still there.
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Packages' })
      .click();
    await page.waitForURL(`${baseUrl}/packages?q=order`);
    expect(await page.getByLabel('Search packages').inputValue()).toBe('order');
  });

  it('opens the tab a deep link names', async () => {
    await page.goto(`/packages/${ids.orderToCash}/dependencies`);
    await page.getByRole('heading', { level: 2, name: 'Dependencies' }).waitFor();
    expect(await tab('Dependencies').getAttribute('aria-selected')).toBe('true');

    await page.goto(`/packages/${ids.orderToCash}/schemas?status=DRAFT&sort=-name`);
    await page.getByRole('link', { name: 'UBL Invoice 2.1' }).waitFor();
    expect(await tab('Schemas').getAttribute('aria-selected')).toBe('true');
    expect(await schemaNames()).toEqual(['UBL Order 2.1', 'UBL Invoice 2.1']);
  });

  it('switches packages with the keyboard (Ctrl+K) and comes back to the same tab and filter', async () => {
    const searchFocused = () =>
      page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'combobox');
    await page.goto(`/packages/${ids.orderToCash}/schemas?q=order`);
    await page.getByRole('link', { name: 'UBL Order 2.1' }).waitFor();
    expect(await schemaNames()).toEqual(['UBL Order 2.1']);

    await page.getByRole('heading', { level: 1, name: 'Order to Cash' }).click(); // focus the page
    await page.keyboard.press('Control+k');
    const switcher = page.getByRole('dialog', { name: 'Switch package' });
    await switcher.waitFor();
    await searchFocused(); // the dialog focuses its search box once it has opened
    await page.keyboard.type('procure');
    await switcher.getByRole('option', { name: /Procure to Pay/ }).waitFor();
    await switcher.getByRole('option', { name: /Order to Cash/ }).waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Procure to Pay' }).waitFor();
    await switcher.waitFor({ state: 'detached' });

    // "/" opens it too; back in Order to Cash, the Schemas tab and its search are as they were.
    await page.keyboard.press('/');
    await switcher.waitFor();
    await searchFocused();
    await page.keyboard.type('order to');
    await switcher.getByRole('option', { name: /Order to Cash/ }).waitFor();
    await switcher.getByRole('option', { name: /Procure to Pay/ }).waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/packages/${ids.orderToCash}/schemas?q=order`);
    await page.getByRole('link', { name: 'UBL Order 2.1' }).waitFor();
    expect(await schemaNames()).toEqual(['UBL Order 2.1']);
    expect(await page.getByLabel('Search schemas').inputValue()).toBe('order');
  });

  it("draws the demo package's dependency graph and opens an asset from it", async () => {
    await page.goto(`/packages/${ids.demo}/dependencies`);
    const graph = page.getByRole('group', { name: "The package's dependency graph" });
    const titles = graph.locator('.ix-graph-title');
    await titles.first().waitFor();
    expect((await titles.allInnerTexts()).sort()).toEqual(
      [
        'Invoice inbox (demo folder)',
        'Invoice summary',
        'Invoice summary receiver (this server)',
        'UBL Invoice 2.1',
        'UBL Invoice inbox to summary receiver',
        'UBL Invoice to summary',
        'UBL Order 2.1',
      ].sort(),
    );
    expect(await graph.locator('.ix-graph-icon').count()).toBe(await titles.count());
    expect(grave(await axeViolations(page))).toEqual([]);

    // Impact of the invoice schema: what depends on it stands out.
    await graph.getByRole('button', { name: 'Impact of UBL Invoice 2.1' }).click();
    await page.getByRole('heading', { name: 'Impact of UBL Invoice 2.1' }).waitFor();
    await graph.locator('.ix-graph-highlight').first().waitFor();

    await graph.getByRole('link', { name: 'UBL Invoice to summary' }).click();
    await page.waitForURL(new RegExp(`/packages/${ids.demo}/mappings/[0-9a-f-]{36}$`));
  });

  const axeOnTabs = async () => {
    await page.goto('/packages');
    await page.getByRole('link', { name: 'Order to Cash', exact: true }).waitFor();
    expect(grave(await axeViolations(page))).toEqual([]);

    const tabPages: [string, () => Promise<void>][] = [
      [
        '',
        () =>
          page
            .getByRole('region', { name: 'Last modified' })
            .getByRole('rowheader')
            .first()
            .waitFor(),
      ],
      ['schemas', () => page.getByRole('table', { name: "The package's schemas" }).waitFor()],
      ['adapters', () => page.getByRole('table', { name: "The package's adapters" }).waitFor()],
      ['mappings', () => page.getByRole('table', { name: "The package's mappings" }).waitFor()],
      ['flows', () => page.getByRole('heading', { level: 2, name: 'Flows' }).waitFor()],
      ['members', () => page.getByRole('table', { name: "The package's members" }).waitFor()],
      ['audit', () => page.getByRole('heading', { level: 2, name: 'Audit' }).waitFor()],
    ];
    for (const [path, shown] of tabPages) {
      await page.goto(`/packages/${ids.demo}${path ? `/${path}` : ''}`);
      await shown();
      expect({ path, violations: grave(await axeViolations(page)) }).toEqual({
        path,
        violations: [],
      });
    }
  };

  const assetPagesOf = (): [string, string][] => {
    const assetPages: [string, string][] = [
      ['schemas', demo.schema],
      ['adapters', demo.adapter],
      ['mappings', demo.mapping],
      ['flows', demo.flow],
    ];
    return assetPages;
  };

  it('has no serious or critical axe violations on the library and every workspace tab', async () => {
    await axeOnTabs();
  }, 300_000);

  it('has no serious or critical axe violations on the schema, adapter, mapping and flow pages', async () => {
    for (const [section, id] of assetPagesOf()) {
      await page.goto(`/packages/${ids.demo}/${section}/${id}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForTimeout(1500); // the page's panels load after its heading
      expect({ section, violations: grave(await axeViolations(page)) }).toEqual({
        section,
        violations: [],
      });
    }
  }, 300_000);
});
