import { type Browser } from 'playwright-core';

import { launchChromium } from './browser';
import { bundledChromium } from './bundled-chromium';
import { chooseChromium, DEBIAN_CHROMIUM } from './chromium-choice';

describe('which Chromium the console tests drive', () => {
  const only =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);

  it.each([
    {
      when: 'Debian Chromium is installed',
      env: {},
      exists: only(DEBIAN_CHROMIUM),
      choice: { kind: 'installed', executablePath: DEBIAN_CHROMIUM },
    },
    {
      when: 'CHROMIUM_PATH names an installed browser',
      env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
      exists: only(DEBIAN_CHROMIUM, '/opt/chrome/chrome'),
      choice: { kind: 'installed', executablePath: '/opt/chrome/chrome' },
    },
    {
      when: 'no Chromium is installed',
      env: {},
      exists: only(),
      choice: { kind: 'bundled', missing: DEBIAN_CHROMIUM },
    },
    {
      when: 'CHROMIUM_PATH names no file, even with Debian Chromium installed',
      env: { CHROMIUM_PATH: 'none' },
      exists: only(DEBIAN_CHROMIUM),
      choice: { kind: 'bundled', missing: 'none' },
    },
    {
      when: 'CHROMIUM_PATH is empty (as unset)',
      env: { CHROMIUM_PATH: '' },
      exists: only(DEBIAN_CHROMIUM),
      choice: { kind: 'installed', executablePath: DEBIAN_CHROMIUM },
    },
  ])('chooses $choice.kind when $when', ({ env, exists, choice }) => {
    expect(chooseChromium(env, exists)).toEqual(choice);
  });

  describe('the bundled Chromium', () => {
    let browser: Browser | undefined;

    afterAll(async () => {
      await browser?.close();
    });

    it('starts without any installed browser and renders a page in one context after another', async () => {
      browser = await launchChromium({ CHROMIUM_PATH: '/nonexistent/chromium' });
      // The package's major version is Chromium's; Debian's is another one.
      const { version } = await bundledChromium();
      expect(browser.version().split('.')[0]).toBe(version.split('.')[0]);
      // Each console test opens and closes its own context: the browser must outlive them.
      for (const name of ['Orders', 'Payroll']) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.setContent('<label>Name <input></label><button>Save</button>');
        await page.getByLabel('Name').fill(name);
        expect(await page.getByLabel('Name').inputValue()).toBe(name);
        expect(await page.getByRole('button').textContent()).toBe('Save');
        await context.close();
      }
      expect(browser.isConnected()).toBe(true);
    }, 120_000);
  });
});
