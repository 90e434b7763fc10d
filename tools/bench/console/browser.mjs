import { chromium } from 'playwright-core';

import { onCleanup } from '../cleanup.mjs';

/** Debian's Chromium unless CHROMIUM_PATH names another (as apps/web-e2e does). */
const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium, headless; the cleanup closes it. */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
  onCleanup('close Chromium', () => browser.close());
  return browser;
}

/**
 * A page signed in through the console's own sign-in form (as apps/web-e2e does), at 1280×800.
 * Browser errors are collected in `page.problems` (the console must have none).
 */
export async function signedInPage(browser, baseUrl, { username, password }) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(error.message));
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  return page;
}

/** Long tasks (> 50 ms on the main thread) from here on, kept in `window.__longTasks`. */
const OBSERVE_LONG_TASKS = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
};

/**
 * Opens `url` in the signed-in page (a full load: the console starts, reads the session, loads
 * the route's chunks and asks the API), and returns the milliseconds until the first `rows`
 * element is visible, and how many of them are in the DOM then.
 */
export async function firstRows(page, url, rows) {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  try {
    await page.locator(rows).first().waitFor({ state: 'visible', timeout: 30000 });
  } catch (error) {
    const text = (
      await page
        .locator('main')
        .innerText()
        .catch(() => '')
    ).slice(0, 400);
    throw new Error(`no ${rows} on ${url}; the page says: ${text}`, { cause: error });
  }
  const ms = performance.now() - started;
  return { ms, rendered: await page.locator(rows).count() };
}

/**
 * Scrolls through the list the way a person reads it: to the end in steps of one screen, then
 * "Load more" (when there is one), `pages` times. Returns the long tasks seen meanwhile, the
 * frames' intervals (requestAnimationFrame) and the row elements in the DOM at the end.
 */
export async function scrollThrough(page, rows, pages) {
  await page.evaluate(OBSERVE_LONG_TASKS);
  const frames = page.evaluate(
    () =>
      new Promise((resolve) => {
        const times = [];
        const tick = (t) => {
          times.push(t);
          if (window.__stopFrames) resolve(times.slice(1).map((x, i) => x - times[i]));
          else requestAnimationFrame(tick);
        };
        window.__stopFrames = false;
        requestAnimationFrame(tick);
      }),
  );
  let loaded = 0;
  for (let round = 0; round <= pages; round++) {
    for (let step = 0; step < 40; step++) {
      const atEnd = await page.evaluate(() => {
        window.scrollBy(0, window.innerHeight);
        return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      });
      await page.waitForTimeout(50);
      if (atEnd) break;
    }
    const more = page.getByRole('button', { name: 'Load more' });
    if (round === pages || (await more.count()) === 0) break;
    const before = await page.locator(rows).count();
    await more.click();
    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector).length > count,
      [rows, before],
    );
    loaded++;
  }
  await page.evaluate(() => (window.__stopFrames = true));
  const intervals = await frames;
  const longTasks = await page.evaluate(() => window.__longTasks);
  return { longTasks, intervals, loaded, rendered: await page.locator(rows).count() };
}
