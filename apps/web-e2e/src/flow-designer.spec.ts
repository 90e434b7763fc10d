import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Browser, type Locator, type Page } from 'playwright-core';

// The real API with the demo package seeded, and the api project's test harness; relative
// imports because test support is not a library.
/* eslint-disable @nx/enforce-module-boundaries */
import { DEMO_PACKAGE_NAME, DemoSeeder } from '../../api/src/demo/demo-seeder';
import { json, startTestApp, type TestApp, type TestUser } from '../../api/test/support/test-app';
/* eslint-enable @nx/enforce-module-boundaries */
import { axeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { buildConsole, type ConsoleBuild } from './support/console-build';
import { openPage, type WatchedPage } from './support/console-page';
import { signIn } from './support/sign-in';

interface Named {
  id: string;
  name: string;
}

/**
 * The flow designer in Chromium against the real API with the UBL demo package: a new flow built
 * by dragging the demo's adapters, a validate step and the mapping from the palette, connected
 * port to port, its problems shown on the steps as it is built, fixed, saved, marked ready and
 * deployed to DEV.
 */
describe('the flow designer, in Chromium', () => {
  let browser: Browser | undefined;
  let consoleBuild: ConsoleBuild | undefined;
  let t: TestApp | undefined;
  let watched: WatchedPage | undefined;
  let page: Page;
  let baseUrl: string;
  let owner: TestUser;
  const dataDir = mkdtempSync(join(tmpdir(), 'integrixs-designer-'));
  let demo: Named;
  let source: Named;
  let target: Named;
  let mapping: Named;
  let invoiceSchema: Named;

  beforeAll(async () => {
    browser = await launchChromium();
    consoleBuild = await buildConsole();
    t = await startTestApp({ config: { webDistDir: consoleBuild.dir, seedDemo: true, dataDir } });
    baseUrl = await t.listen();
    // The demo's adapters are connection-tested in DEV once the server listens.
    expect(await t.app.get(DemoSeeder).activated).toBe(true);
    const app = t;
    const get = async <T>(url: string) => json<T>(await app.request({ method: 'GET', url }));
    demo = (await get<{ items: Named[] }>('/api/packages')).items.find(
      (p) => p.name === DEMO_PACKAGE_NAME,
    ) as Named;
    const adapters = (
      await get<{ items: (Named & { adapterId: string; direction: string })[] }>(
        `/api/packages/${demo.id}/adapters/overview?limit=50`,
      )
    ).items;
    const byDirection = (direction: string) => {
      const found = adapters.find((a) => a.direction === direction);
      if (!found) throw new Error(`no ${direction} adapter in the demo`);
      return { id: found.adapterId, name: found.name };
    };
    source = byDirection('SOURCE');
    target = byDirection('TARGET');
    mapping = (await get<{ items: Named[] }>(`/api/packages/${demo.id}/container/mappings`))
      .items[0];
    invoiceSchema = (
      await get<{ items: Named[] }>(`/api/packages/${demo.id}/container/schemas?q=ubl%20invoice`)
    ).items[0];
    owner = await t.createUser({
      role: 'DEVELOPER',
      mfa: false,
      packages: { [demo.id]: 'ADMINISTRATOR' },
    });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    consoleBuild?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    watched = await openPage(browser, baseUrl);
    page = watched.page;
    // Room for the palette, a canvas four steps wide and the side panel.
    await page.setViewportSize({ width: 1680, height: 1050 });
  });

  afterEach(async () => {
    await watched?.context.close();
    expect(watched?.problems).toEqual([]);
    watched = undefined;
  });

  const canvas = () => page.locator('.ix-designer-canvas f-flow');
  const node = (id: string) => page.locator(`[data-node="${id}"]`);

  /** Foblex listens to pointer events: press, move in steps, release. */
  async function dragTo(from: Locator, to: { x: number; y: number }): Promise<void> {
    const box = await from.boundingBox();
    if (!box) throw new Error('nothing to drag');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 10, box.y + box.height / 2 + 5, { steps: 3 });
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
  }

  /** Drops a palette item on a grid of 340 × 220 px cells from the canvas's top left. */
  async function dropOnCanvas(item: string, column: number, row: number): Promise<void> {
    const area = await canvas().boundingBox();
    if (!area) throw new Error('no canvas');
    const at = { x: area.x + 100 + column * 340, y: area.y + 80 + row * 220 };
    await dragTo(page.locator(`[data-palette="${item}"]`), at);
  }

  /** Connects one step's output port to the next step's input port. */
  async function connect(from: string, to: string): Promise<void> {
    const port = await page.locator(`[data-port="${to}::in"]`).boundingBox();
    if (!port) throw new Error(`no input port on ${to}`);
    await dragTo(page.locator(`[data-port="${from}::out"]`), {
      x: port.x + port.width / 2,
      y: port.y + port.height / 2,
    });
    await page.locator(`[data-edge="${from}->${to}"]`).waitFor({ state: 'attached' });
  }

  it('builds a flow by drag and drop, shows and fixes its problems, saves, marks ready and deploys', async () => {
    await signIn(page, owner);
    await page.goto(`/packages/${demo.id}/flows`);
    await page.getByRole('link', { name: 'New flow in the designer' }).click();
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor();
    await page.getByLabel('Name').fill('Designed invoices');

    await dropOnCanvas(`${source.id}:source`, 0, 0);
    await node('source-1').getByText(source.name).waitFor();
    await dropOnCanvas('kind:validate', 1, 0);
    await dropOnCanvas(mapping.id, 0, 1);
    await dropOnCanvas(`${target.id}:target`, 1, 1);
    await node('target-1').getByText(target.name).waitFor();

    // Not connected yet: the API's check names the steps the source cannot reach.
    await node('map-1')
      .getByText(/cannot be reached/)
      .waitFor();
    expect(await node('map-1').getAttribute('class')).toContain('ix-designer-problem');
    // The validate step has no schema yet: said on the step, and in the problems list.
    await node('validate-1').getByText('Choose the schema this validate step uses.').waitFor();

    await connect('source-1', 'validate-1');
    await connect('validate-1', 'map-1');
    await connect('map-1', 'target-1');
    // Every "cannot be reached" gone (first() detached: no step shows one any more).
    await page
      .locator('.ix-designer-node')
      .getByText(/cannot be reached/)
      .first()
      .waitFor({ state: 'detached' });
    expect(await axeViolations(page)).toEqual([]);

    // A problem in the list selects its step; its settings panel picks the schema.
    const problems = page.getByRole('list', { name: 'Problems of the draft' });
    await problems.getByRole('button', { name: 'validate-1' }).click();
    await page.getByRole('heading', { name: 'Validate · validate-1' }).waitFor();
    await page.getByLabel('Schema').selectOption({ label: invoiceSchema.name });
    await page.getByText('No problems: the graph is valid.').waitFor();

    // Delete (keyboard) and undo (Ctrl+Z) the target step, redo and undo again.
    await node('target-1').click();
    await page.keyboard.press('Delete');
    await node('target-1').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+z');
    await node('target-1').waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await node('target-1').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.locator('[data-edge="map-1->target-1"]').waitFor({ state: 'attached' });

    // The keyboard adds from the palette too: a dead-letter error handler.
    await page.locator('[data-palette="kind:errorHandler"]').focus();
    await page.keyboard.press('Enter');
    await node('errorHandler-1').waitFor();

    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.getByText('No problems: the graph is valid.').waitFor();

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}\/design$/);
    await page.getByRole('heading', { level: 1, name: 'Design: Designed invoices' }).waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    const flowId = /\/flows\/([0-9a-f-]{36})\/design$/.exec(page.url())?.[1] ?? '';

    await page.getByRole('button', { name: 'Mark ready' }).click();
    await page.locator('header [data-status="READY"]').waitFor();

    // Saved as drawn: positions and edges.
    const saved = json<{ status: string; nodes: { id: string }[]; edges: unknown[] }>(
      await (t as TestApp).request({
        method: 'GET',
        url: `/api/packages/${demo.id}/flows/${flowId}`,
      }),
    );
    expect(saved.status).toBe('READY');
    expect(saved.nodes.map((n) => n.id).sort()).toEqual([
      'errorHandler-1',
      'map-1',
      'source-1',
      'target-1',
      'validate-1',
    ]);
    expect(saved.edges).toHaveLength(3);

    await page.getByRole('link', { name: 'Open the flow page' }).click();
    await page.getByRole('button', { name: 'Deploy to DEV' }).click();
    await page
      .locator('.environment')
      .filter({ hasText: '(DEV)' })
      .getByText('Deployed, version 1')
      .waitFor();
  }, 180_000);
});
