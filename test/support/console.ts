import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type TestApi, useApi } from './api.js';
import { type PageSession, usePage } from './browser.js';
import { password, type SignedUpAccount, signUpAccount } from './fixtures.js';

/** The staff console's screen in the page tests. */
export const consoleScreen = { width: 1280, height: 800 };

/** What a person does in the console, step by step, on the test's page and for the test's account. */
export function consoleSteps(api: TestApi, session: PageSession, account: () => SignedUpAccount) {
  const page = () => session.page;
  const steps = {
    async signIn(email = account().adminEmail, secret = password, on: Page = page()) {
      await on.goto(`${api.baseUrl}/console`);
      await on.getByLabel('Account').fill(account().slug);
      await on.getByLabel('Email').fill(email);
      await on.getByLabel('Password').fill(secret);
      await on.getByRole('button', { name: 'Sign in' }).click();
    },
    async signedIn(email?: string, on: Page = page()) {
      await steps.signIn(email, password, on);
      await on.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async configure(entry: string, on: Page = page()) {
      await on.getByRole('navigation', { name: 'Configure' }).getByRole('link', { name: entry }).click();
      await on.getByRole('heading', { level: 2, name: entry }).waitFor();
    },
    async work(entry: 'Queue' | 'Tickets', on: Page = page()) {
      await on.getByRole('navigation', { name: 'Work' }).getByRole('link', { name: entry }).click();
      await on.getByRole('heading', { level: 2, name: entry }).waitFor();
    },
  };
  return steps;
}

/**
 * A console page-test file's setup: the local API, one browser session (screenshots under `name`),
 * the console's steps, and `freshAccount`, which each test's `beforeEach` calls for its own account.
 */
export function useConsoleTest(name: string) {
  const api = useApi();
  const session = usePage(name, consoleScreen);
  let account: SignedUpAccount | undefined;
  return {
    api,
    session,
    shot: session.shot,
    ...consoleSteps(api, session, () => account!),
    freshAccount: async () => {
      account = await signUpAccount(api);
      return { page: session.page, account };
    },
  };
}

/** Waits until the page's reads are done: nothing on it is busy any more. */
export async function settled(page: Page) {
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
}

/**
 * The controls of the page's main area that could change something: every button, field, box and
 * form, except those that only choose what to see (search landmarks) and "Load more".
 */
export async function writingControls(page: Page): Promise<string[]> {
  await settled(page);
  const main = page.getByRole('main');
  const search = main.getByRole('search');
  const found: string[] = [];
  const seeing = new Set([...(await search.getByRole('button', { includeHidden: true }).allTextContents()), 'Load more']);
  for (const name of await main.getByRole('button', { includeHidden: true }).allTextContents()) if (!seeing.has(name)) found.push(`button ${name}`);
  for (const role of ['textbox', 'checkbox', 'combobox', 'radio', 'spinbutton', 'switch'] as const) {
    const extra = (await main.getByRole(role, { includeHidden: true }).count()) - (await search.getByRole(role, { includeHidden: true }).count());
    if (extra) found.push(`${extra} ${role}`);
  }
  const forms = (await main.locator('form').count()) - (await search.count());
  if (forms) found.push(`${forms} form`);
  return found;
}

/**
 * Holds the page's requests for `method` on `pathname` until `release()`: a slow API, to see what
 * the page shows meanwhile. `arrived` settles when the first one is held.
 */
export async function holdRequests(page: Page, method: string, pathname: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  await page.route(
    (url) => url.pathname === pathname,
    async (route) => {
      if (route.request().method() !== method) return route.fallback();
      arrive();
      await released;
      await route.continue();
    },
  );
  return { arrived, release };
}
