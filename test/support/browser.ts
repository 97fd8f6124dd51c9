import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';

export interface PageSession {
  /** The current test's page, in a fresh browser context. */
  readonly page: Page;
  /** A page for another person at another screen, in a context of its own (`options`: their browser's language, say). */
  newPerson: (options?: BrowserContextOptions) => Promise<Page>;
  /** A screenshot of the step, kept as a test artifact in `test-artifacts/pages/<name>/`. */
  shot: (name: string, of?: Page) => Promise<void>;
}

/**
 * The run's one Chromium (test/support/pages-setup.ts), connected once per test file, with a fresh
 * context and page for each test at the given screen size.
 */
export function usePage(artifactsName: string, viewport: { width: number; height: number }): PageSession {
  const artifacts = `test-artifacts/pages/${artifactsName}`;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let page: Page | undefined;
  let shots = 0;
  const open = async (options: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ viewport, ...options });
    contexts.push(context);
    return context.newPage();
  };
  beforeAll(async () => {
    const endpoint = inject('browserEndpoint');
    if (!endpoint) throw new Error('No browser for this run (test/support/pages-setup.ts)');
    browser = await chromium.connect(endpoint);
    await mkdir(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await open();
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });
  return {
    get page() {
      if (!page) throw new Error('No page outside a test');
      return page;
    },
    newPerson: open,
    shot: async (name, of) => {
      await (of ?? page)?.screenshot({ path: `${artifacts}/${String(++shots).padStart(2, '0')}-${name}.png`, fullPage: true });
    },
  };
}
