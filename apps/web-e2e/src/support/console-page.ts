import { type Browser, type BrowserContext, type Page } from 'playwright-core';

/** A fresh browser context (no cookies) with one page, and what went wrong in it. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors in the console's code, and Content-Security-Policy violations. */
  readonly problems: string[];
}

export async function openPage(browser: Browser, baseUrl: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) problems.push(message.text());
  });
  return { context, page, problems };
}
