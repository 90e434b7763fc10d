import { type Browser, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file), and its flow
// helpers; relative imports because test support is not a library.
/* eslint-disable @nx/enforce-module-boundaries */
import { readyFlow } from '../../api/test/support/deployments';
import {
  createFlow,
  createFlowAssets,
  validFlow,
  type FlowAssets,
} from '../../api/test/support/flows';
import { createReadyKit, removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { schemaDocument } from '../../api/test/support/schemas';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
/* eslint-enable @nx/enforce-module-boundaries */
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

const jsonSchema = (name: string) =>
  schemaDocument(
    name,
    JSON.stringify({ type: 'object', properties: { total: { type: 'number' } } }),
    'JSON_SCHEMA',
  );

describe('flows and dependencies in the console, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  /** Package administrator: may write flows. */
  let owner: TestUser;
  let viewer: TestUser;
  let packageId = '';
  let assets: FlowAssets;
  let validId = '';
  let brokenId = '';
  /** A flow whose adapters are configured and connection-tested in DEV: it can become READY. */
  let ready: ReadyKit | undefined;
  /** A READY flow configured and tested in every environment, its mapping at version 2. */
  let shipments: ReadyKit | undefined;
  let mappingVersion = 0;

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();
    const pkg = await new Seeder(baseUrl, t.admin.token).createPackage('Billing');
    packageId = pkg.id;
    assets = await createFlowAssets(t, packageId, 'Billing', jsonSchema);
    validId = (await createFlow(t, packageId, validFlow(assets, 'Invoices in'))).id;
    // The "rest" branch leads nowhere: the target "other" cannot be reached.
    const broken = validFlow(assets, 'Broken invoices');
    broken.edges = broken.edges.filter((edge) => edge.to !== 'other');
    brokenId = (await createFlow(t, packageId, broken)).id;
    ready = await createReadyKit(t, packageId, 'Orders');
    shipments = (await readyFlow(t, packageId, 'Shipments')).assets;
    const mappingUrl = `/api/packages/${packageId}/mappings/${shipments.mapping}`;
    const current = JSON.parse((await t.request({ method: 'GET', url: mappingUrl })).body) as {
      version: number;
    };
    const edited = await t.request({
      method: 'PUT',
      url: mappingUrl,
      payload: {
        version: current.version,
        rules: [{ target: '/amount', expression: 'total * 1' }],
      },
    });
    if (edited.statusCode !== 200) throw new Error(`mapping v2: ${edited.body}`);
    mappingVersion = (JSON.parse(edited.body) as { currentVersion: number }).currentVersion;
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
    await removeFolders([ready, shipments].filter((kit): kit is ReadyKit => !!kit));
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

  const flowRow = (name: string) =>
    page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });

  it('lists the flows with their state and graph validity, and offers mark ready and archive', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/flows`);
    await flowRow('Invoices in').getByText('Valid').waitFor();
    await flowRow('Broken invoices')
      .getByText(/problem/)
      .waitFor();
    const row = flowRow('Invoices in');
    await row.getByRole('button', { name: 'Mark ready Invoices in' }).waitFor();
    await row.getByRole('button', { name: 'Archive Invoices in' }).waitFor();
    await page.getByRole('link', { name: 'New flow', exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('draws the flow with the validation problem on its step, and refuses to mark it ready', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/flows/${brokenId}`);
    await page.getByRole('heading', { level: 1, name: 'Broken invoices' }).waitFor();
    const picture = page.getByRole('group', { name: "The flow's steps" });
    const other = picture.locator('[data-node="other"]');
    await other.getByText(/cannot be reached/).waitFor();
    expect(await other.getAttribute('class')).toContain('ix-graph-problem');
    // Steps name their asset and link to it.
    await picture.getByRole('link', { name: 'Billing in' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Mark ready' }).click();
    await page.getByText('The flow could not change state.').waitFor();
    await page.getByRole('list', { name: 'What stops it' }).getByText(/other/).first().waitFor();
  });

  it('refuses READY while the readiness checklist fails, naming what stops it', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/flows/${validId}`);
    await page.getByText('No problems: the graph is valid.').waitFor();
    await page.getByRole('button', { name: 'Mark ready' }).click();
    const reasons = page.getByRole('list', { name: 'What stops it' });
    await reasons.getByText(/DEV: adapter "Billing source" has never been tested in DEV/).waitFor();
    expect(await page.locator('header [data-status="DRAFT"]').count()).toBe(1);

    // The checklist per environment says the same, with a link to the adapter to fix.
    await page.getByRole('button', { name: 'Check readiness in DEV' }).click();
    const checklist = page.getByRole('list', { name: 'Readiness checklist for DEV' });
    await checklist.getByRole('link', { name: 'Open Billing source' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('marks a ready flow READY, and the schema it validates lists it in its impact', async () => {
    if (!ready) throw new Error('no ready kit');
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/flows/${ready.flow.id}`);
    await page.getByRole('heading', { level: 1, name: 'Orders flow' }).waitFor();
    await page.getByRole('button', { name: 'Mark ready' }).click();
    await page.locator('header [data-status="READY"]').waitFor();
    await page.getByRole('button', { name: 'Back to draft' }).waitFor();
    // The checklist streams (server-sent events), each item shown as its check completes.
    const streamed = page.waitForResponse((response) => response.url().includes('/readiness?'));
    await page.getByRole('button', { name: 'Check readiness in DEV' }).click();
    expect(await (await streamed).headerValue('content-type')).toMatch(/^text\/event-stream/);
    await page.getByText('Ready to deploy to DEV.').waitFor();
    // A package administrator may run the connection tests now instead of using the last ones.
    const live = page.waitForResponse((response) => response.url().includes('live=true'));
    await page.getByRole('button', { name: 'Run connection tests now in DEV' }).click();
    expect((await live).status()).toBe(200);
    await page.getByText('Ready to deploy to DEV.').waitFor();

    await page.goto(`/packages/${packageId}/schemas/${ready.inSchema}`);
    const affected = page.getByRole('table', { name: 'Affected assets' });
    await affected.getByRole('rowheader', { name: 'Orders flow' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('deploys, suspends, resumes, promotes, compares, partially and quickly rolls back', async () => {
    if (!shipments) throw new Error('no shipments flow');
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/flows/${shipments.flow.id}`);
    await page.getByRole('heading', { level: 1, name: 'Shipments flow' }).waitFor();
    const environment = (code: string) =>
      page.locator('.environment').filter({ hasText: `(${code})` });
    const history = page.locator('table.history').first();
    const historyRow = (header: string | RegExp) =>
      history.getByRole('row').filter({ has: page.getByRole('rowheader', { name: header }) });

    /** Closes the outcome's snack bar (it hides its text from axe while it animates). */
    const dismissNotice = async () => {
      const snack = page.locator('.mat-mdc-snack-bar-container');
      await snack.getByRole('button', { name: 'Dismiss' }).click();
      await snack.waitFor({ state: 'detached' });
    };

    await page.getByRole('button', { name: 'Deploy to DEV' }).click();
    await environment('DEV').getByText('Deployed, version 1').waitFor();
    await page.getByRole('button', { name: 'Suspend in DEV' }).click();
    await environment('DEV').getByText('Suspended, version 1').waitFor();
    await page.getByRole('button', { name: 'Resume in DEV' }).click();
    await environment('DEV').getByText('Deployed, version 1').waitFor();
    await dismissNotice();
    expect(await axeViolations(page)).toEqual([]);

    await historyRow('DEV (active)').getByRole('button', { name: 'Promote to…' }).click();
    await historyRow('DEV (active)').getByRole('combobox', { name: 'Promote to' }).click();
    await page.getByRole('option', { name: 'TEST' }).click();
    await environment('TEST').getByText('Deployed, version 1').waitFor();

    const compare = async () => {
      const form = page.getByRole('form', { name: 'Compare environments' });
      await form.getByRole('combobox', { name: 'From' }).click();
      await page.getByRole('option', { name: 'DEV' }).click();
      await form.getByRole('combobox', { name: 'To' }).click();
      await page.getByRole('option', { name: 'TEST' }).click();
      await form.getByRole('button', { name: 'Compare' }).click();
    };
    await compare();
    await page.getByText('DEV and TEST pin the same versions.').waitFor();

    await historyRow('DEV (active)').getByRole('button', { name: 'Partial rollback…' }).click();
    const partial = page.getByRole('form', { name: 'Partial rollback in DEV' });
    await partial.getByRole('combobox', { name: 'Asset to roll back' }).click();
    await page
      .getByRole('option', { name: `Shipments mapping (mapping) v${mappingVersion}` })
      .click();
    await partial.getByRole('combobox', { name: 'Earlier version' }).click();
    await page.getByRole('option', { name: 'Version 1' }).click();
    await partial.getByRole('button', { name: 'Deploy partial rollback' }).click();
    await historyRow('DEV (active)').filter({ hasText: 'PARTIAL_ROLLBACK' }).waitFor();
    await compare();
    const differences = page.getByRole('table', { name: 'Differences' });
    const mappingRow = differences
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Shipments mapping (mapping)' }) });
    await mappingRow.waitFor();
    expect(await mappingRow.getByRole('cell').allTextContents()).toEqual([
      '1',
      String(mappingVersion),
    ]);
    await dismissNotice();
    expect(await axeViolations(page)).toEqual([]);

    // Quick rollback: the first DEV deployment (the newest mapping version) becomes the active one again.
    await historyRow(/^DEV$/)
      .filter({ hasNotText: 'PARTIAL_ROLLBACK' })
      .getByRole('button', { name: 'Roll back to this' })
      .click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Roll back' }).click();
    await historyRow('DEV (active)').filter({ hasNotText: 'PARTIAL_ROLLBACK' }).waitFor();
    await compare();
    await page.getByText('DEV and TEST pin the same versions.').waitFor();
  });

  it('shows a VIEWER no deployment action on the flow page', async () => {
    if (!shipments) throw new Error('no shipments flow');
    await signIn(page, viewer);
    await page.goto(`/packages/${packageId}/flows/${shipments.flow.id}`);
    await page.getByRole('heading', { level: 3, name: 'Deployment history' }).waitFor();
    await page.getByRole('button', { name: 'Check readiness in DEV' }).waitFor();
    expect(
      await page
        .getByRole('button', {
          name: /Deploy|Suspend|Resume|Undeploy|Roll back|Promote|Partial rollback/,
        })
        .count(),
    ).toBe(0);
    await page.goto(`/packages/${packageId}/flows`);
    await flowRow('Shipments flow').waitFor();
    expect(await page.getByRole('button', { name: /Deploy to DEV/ }).count()).toBe(0);
  });

  it('creates a flow from JSON; its unknown assets are problems on the picture', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/flows/new`);
    await page.getByRole('textbox', { name: 'Name' }).fill('Drafted flow');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByRole('heading', { level: 1, name: 'Drafted flow' }).waitFor();
    const picture = page.getByRole('group', { name: "The flow's steps" });
    expect(await picture.locator('[data-node="in"]').getAttribute('class')).toContain(
      'ix-graph-problem',
    );
  });

  it('shows the dependency graph and highlights what depends on a chosen asset', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${packageId}/dependencies`);
    const graph = page.getByRole('group', { name: "The package's dependency graph" });
    await graph.getByRole('link', { name: 'Billing mapping' }).waitFor();
    await graph.getByRole('button', { name: 'Impact of Billing mapping' }).click();
    await page.getByRole('heading', { name: 'Impact of Billing mapping' }).waitFor();
    await page
      .getByRole('table', { name: 'Affected assets' })
      .getByRole('rowheader', { name: 'Invoices in' })
      .waitFor();
    await graph.locator(`[data-node="${validId}"].ix-graph-highlight`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a VIEWER the flows and their pictures without any write action', async () => {
    await signIn(page, viewer);
    await page.goto(`/packages/${packageId}/flows`);
    await flowRow('Invoices in').waitFor();
    await flowRow('Broken invoices')
      .getByText(/problem/)
      .waitFor();
    expect(await page.getByRole('link', { name: 'New flow' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Mark ready|Archive/ }).count()).toBe(0);

    await page.getByRole('link', { name: 'Broken invoices', exact: true }).click();
    await page.getByRole('group', { name: "The flow's steps" }).waitFor();
    expect(
      await page.getByRole('button', { name: /Mark ready|Archive|Back to draft/ }).count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
