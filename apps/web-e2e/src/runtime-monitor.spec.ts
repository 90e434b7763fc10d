import { type Browser, type Page } from 'playwright-core';

// The real API with the api project's test harness (one database per file), and its runtime
// helpers (a deployed flow; messages written as the worker leaves them); relative imports
// because test support is not a library.
/* eslint-disable @nx/enforce-module-boundaries */
import { removeFolders, type ReadyKit } from '../../api/test/support/readiness';
import { deployedFlow, seedMessage } from '../../api/test/support/runtime';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
/* eslint-enable @nx/enforce-module-boundaries */
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { Seeder } from './support/seed';
import { signIn } from './support/sign-in';

/**
 * The runtime monitor against the real API: a deployed flow with executions and a dead letter
 * written as the worker leaves them; the list, one execution's step timeline, a replay from the
 * edit dialog, the health cards, and what a viewer may not do.
 */
describe('the runtime monitor, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let watched: WatchedPage | undefined;
  let page: Page;
  let operator: TestUser;
  let viewer: TestUser;
  let packageId = '';
  let flowId = '';
  let kit: ReadyKit | undefined;
  let succeededId = '';
  let deadId = '';

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything slow
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir } });
    baseUrl = await t.listen();
    packageId = (await new Seeder(baseUrl, t.admin.token).createPackage('Runtime billing')).id;
    const flow = await deployedFlow(t, packageId, 'Invoices', ['DEV']);
    flowId = flow.flowId;
    kit = flow.kit;
    const deploymentId = flow.deployments['DEV']?.id ?? '';
    succeededId = (
      await seedMessage(t, {
        deploymentId,
        status: 'SUCCEEDED',
        durationMs: 40,
        sourceRef: 'invoice-0001.xml',
        ageSeconds: 30,
        steps: [
          { nodeId: 'check', kind: 'validate', status: 'SUCCEEDED', durationMs: 10 },
          {
            nodeId: 'map',
            kind: 'map',
            status: 'SUCCEEDED',
            durationMs: 20,
            snapshot: '<Invoice><ID>1</ID></Invoice>',
          },
          { nodeId: 'out', kind: 'target', status: 'SUCCEEDED', durationMs: 8 },
        ],
      })
    ).messageId;
    deadId = (
      await seedMessage(t, {
        deploymentId,
        status: 'DEAD_LETTERED',
        durationMs: 90,
        sourceRef: 'invoice-0002.xml',
        ageSeconds: 20,
        steps: [
          { nodeId: 'check', kind: 'validate', status: 'SUCCEEDED', durationMs: 10 },
          {
            nodeId: 'out',
            kind: 'target',
            status: 'FAILED',
            durationMs: 30,
            error: { code: 'EACCES', message: 'target refused' },
          },
        ],
        deadLetter: { nodeId: 'out', input: '{"total":1}' },
      })
    ).messageId;
    operator = await t.createUser({
      role: 'DEVELOPER',
      mfa: false,
      packages: { [packageId]: 'ADMINISTRATOR' },
    });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
    if (kit) await removeFolders([kit]);
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

  const executionRow = (text: string) =>
    page.getByRole('table', { name: 'Executions' }).getByRole('row').filter({ hasText: text });

  it('lists the executions, filters them by status in the address, and opens one as a step timeline', async () => {
    await signIn(page, operator);
    await page.goto(`/packages/${packageId}`);
    await page
      .getByRole('tablist', { name: 'Package sections' })
      .getByRole('tab', { name: 'Runtime' })
      .click();
    await executionRow('invoice-0001.xml').waitFor();
    await executionRow('invoice-0002.xml').getByText('Dead-lettered').waitFor();
    expect(await executionRow('invoice-0001.xml').getByText('Succeeded').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'DEAD_LETTERED' }).click();
    await page.waitForURL(/status=DEAD_LETTERED/);
    await executionRow('invoice-0001.xml').waitFor({ state: 'detached' });
    await executionRow('invoice-0002.xml').waitFor();

    await executionRow('invoice-0002.xml').getByRole('link').click();
    await page.waitForURL(new RegExp(`/runtime/executions/${deadId}`));
    const timeline = page.getByRole('list', { name: 'Step timeline' });
    await timeline.getByText('target refused').waitFor();
    expect(await timeline.getByRole('listitem').count()).toBe(2);
    await page.getByRole('button', { name: /Download input payload/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/packages/${packageId}/runtime/executions/${succeededId}`);
    const snapshot = page.getByText('<Invoice><ID>1</ID></Invoice>');
    expect(await snapshot.isVisible()).toBe(false); // collapsed by default
    await page.getByText('Input snapshot of map').click();
    await snapshot.waitFor();
  });

  it('shows the health cards of the chosen flow and environment', async () => {
    await signIn(page, operator);
    await page.goto(`/packages/${packageId}/runtime?flowId=${flowId}&environment=DEV`);
    const lastFive = page.locator('li[data-window="5m"]');
    await lastFive.getByTestId('health-messages').filter({ hasText: '2' }).waitFor();
    expect(await lastFive.getByTestId('health-error-rate').textContent()).toContain('50');
    await page.getByRole('img', { name: /5m: 2 messages/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('replays a dead letter with an edited payload: it leaves the OPEN queue', async () => {
    await signIn(page, operator);
    await page.goto(`/packages/${packageId}/runtime?view=dead-letters`);
    const table = page.getByRole('table', { name: 'Dead letters' });
    const row = table.getByRole('row').filter({ hasText: 'target refused' });
    await row.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog');
    const payload = dialog.getByRole('textbox', { name: /Payload/ });
    await payload.waitFor();
    expect(await payload.inputValue()).toBe('{"total":1}');
    await payload.fill('{"total":2}');
    await dialog.getByText('Edited: the replay uses this text.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('No dead letter matches these filters.').waitFor();

    if (!t) throw new Error('The API did not start (see beforeAll)');
    const letters = JSON.parse(
      (
        await t.request({
          method: 'GET',
          url: `/api/packages/${packageId}/dead-letters?status=REPLAYED`,
        })
      ).body,
    ) as { items: { messageId: string; replayMessageId: string | null }[] };
    expect(letters.items.map((d) => d.messageId)).toEqual([deadId]);
    const replay = await t.db.pool.query<{ content: Buffer; trigger: string }>(
      `SELECT p.content, m.trigger FROM runtime_messages m
         JOIN runtime_payloads p ON p.id = m.resume_payload_id WHERE m.id = $1`,
      [letters.items[0]?.replayMessageId],
    );
    expect(replay.rows[0]?.trigger).toBe('REPLAY');
    expect(replay.rows[0]?.content.toString()).toBe('{"total":2}');
  });

  it('shows a viewer the executions and dead letters without run, replay or discard', async () => {
    await signIn(page, viewer);
    await page.goto(`/packages/${packageId}/runtime`);
    await executionRow('invoice-0001.xml').waitFor();
    expect(await page.getByRole('button', { name: /Run a flow/ }).count()).toBe(0);
    await page.getByRole('radio', { name: 'Dead letters' }).click();
    await page
      .getByRole('table', { name: 'Dead letters' })
      .or(page.getByText('No dead letter'))
      .first()
      .waitFor();
    await page.getByRole('combobox', { name: 'Dead-letter status' }).click();
    await page.getByRole('option', { name: 'Any' }).click();
    await page.getByRole('table', { name: 'Dead letters' }).getByText('target refused').waitFor();
    expect(await page.getByRole('button', { name: /Replay/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Discard' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
  });
});
