import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { useConsoleTest } from '../support/console.js';
import { password, type SignedUpAccount, uniqueSlug } from '../support/fixtures.js';

const { api, session, shot, signedIn, configure, work, freshAccount } = useConsoleTest('console-journey');
// Live updates travel from one person's page through the API and the live channel to the other's.
const live = { timeout: 10_000 };
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

describe('From a new account to a customer helped, all in the pages', () => {
  it('an administrator adds a technician and a portal, a customer asks, and the technician answers live', async () => {
    const slug = uniqueSlug('help');
    const grace = `grace@${account.slug}.test`;

    // The administrator sets up a technician with a Service Desk seat, and the company's portal.
    await signedIn();
    await configure('Users');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Email').fill(grace);
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('group', { name: 'Modules' }).getByRole('checkbox', { name: 'Service Desk' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Give Service Desk seat to Grace Hopper' }).click();
    await page.getByText('Service Desk seats: 1 of 5 used').waitFor();

    await configure('Portals');
    const portal = page.getByRole('region', { name: 'Default' });
    await portal.getByLabel('Slug').fill(slug);
    await portal.getByLabel('Title').fill('Acme help');
    await portal.getByLabel('Support email').fill(`help@${slug}.test`);
    await portal.getByRole('button', { name: 'Save' }).click();
    const portalLink = portal.getByRole('link', { name: /Open Acme help/ });
    await portalLink.waitFor();
    const portalPath = await portalLink.getAttribute('href');
    await shot('journey-portal');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // A customer asks on the portal: nobody is available, so they wait first in the queue.
    const customer = await session.newPerson({ viewport: { width: 390, height: 844 } });
    await customer.goto(`${api.baseUrl}${portalPath}`);
    await customer.getByRole('heading', { name: 'Acme help' }).waitFor();
    await customer.getByLabel('Email').fill('claire.johnson@myorg.test');
    await customer.getByLabel('Subject').fill('Cannot print');
    await customer.getByLabel('Describe your question').fill('The printer says paper jam.');
    await customer.getByRole('button', { name: 'Send', exact: true }).click();
    await customer.getByText('You are number 1 in the queue').waitFor();

    // The technician signs in, claims the question, and they talk.
    await signedIn(grace);
    await work('Queue');
    await page.getByRole('main').getByText('Cannot print').waitFor();
    await page.getByRole('button', { name: 'Claim next' }).click();
    await page.getByRole('heading', { name: '#1 Cannot print' }).waitFor();
    await customer.getByText('Connected with Grace').waitFor(live);
    await page.getByLabel('Reply').fill('Open the back cover, please.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await customer.getByRole('log', { name: 'Conversation' }).getByText('Open the back cover, please.').waitFor(live);
    await customer.getByLabel('Message').fill('Found it, it works again!');
    await customer.getByRole('button', { name: 'Send message' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Found it, it works again!').waitFor(live);
    await shot('journey-chat');
    await shot('journey-customer', customer);

    await work('Tickets');
    await page.getByRole('main').getByRole('link', { name: 'Cannot print' }).waitFor();
    expect(await page.getByRole('main').getByText('Open').count()).toBeGreaterThan(0);
  });
});
