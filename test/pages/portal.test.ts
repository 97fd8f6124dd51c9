import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { usePage } from '../support/browser.js';
import { requireStatus, useApi } from '../support/api.js';
import { password, signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCustomer, addPortal, portalRequest } from '../support/service-desk.js';
import { addStaff, createStaff } from '../support/staff.js';
import { availableTechnician } from '../support/availability.js';
import { liveConnectionEntity } from '../../shared/live/entities.js';

const api = useApi();
// Live updates travel from a REST call through the live channel to the page.
const live = { timeout: 10_000 };

const session = usePage('portal', { width: 390, height: 844 });
let page: Page;
let account: SignedUpAccount;
let slug: string;

beforeEach(async () => {
  page = session.page;
  account = await signUpAccount(api);
  ({ slug } = await addPortal(api, account));
});

const shot = session.shot;

async function openPortal(path = `/p/${slug}`) {
  return page.goto(`${api.baseUrl}${path}`);
}

async function ask(subject = 'Printer on fire') {
  await page.getByLabel('Email').fill('claire.johnson@myorg.test');
  await page.getByLabel('Name', { exact: true }).fill('Claire Johnson');
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Describe your question').fill('Smoke everywhere.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The ticket the page created: the newest of the account. */
async function newestTicket() {
  const res = await api.call('GET', '/v1/tickets', { token: account.token });
  return requireStatus(res, 200, 'tickets').body.items[0]!;
}

describe('The customer portal page', () => {
  it("shows the portal's title and the question form", async () => {
    const response = await openPortal();
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Help centre' }).isVisible()).resolves.toBe(true);
    for (const label of ['Email', 'Subject', 'Describe your question']) await page.getByLabel(label).waitFor();
    await page.getByLabel('Name', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await shot('form');
  });

  it('answers an unknown or disabled portal with a 404 not-found page', async () => {
    const unknown = await openPortal('/p/no-such-portal');
    expect(unknown?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await shot('unknown-portal');

    const portal = requireStatus(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/portal`, { token: account.token }), 200, 'portal').body;
    const disable = await api.call('PUT', `/v1/companies/${account.defaultCompanyId}/portal`, {
      token: account.token,
      body: { slug: portal.slug, title: portal.title, supportEmail: portal.supportEmail, enabled: false },
    });
    requireStatus(disable, 200, 'disable portal');
    expect((await openPortal())?.status()).toBe(404);
  });

  it('speaks the company’s language', async () => {
    const patch = await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { language: 'de' } });
    requireStatus(patch, 200, 'settings');
    await openPortal();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    for (const label of ['E-Mail', 'Betreff', 'Beschreiben Sie Ihre Frage']) await page.getByLabel(label).waitFor();
    await page.getByRole('button', { name: 'Senden', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Anmelden' }).waitFor();
    await shot('german');
  });
});

describe('Asking a question on the portal page', () => {
  it('shows the ticket number and the place in the queue, and moves the focus there', async () => {
    await portalRequest(api, slug); // someone else is already waiting
    await openPortal();
    await ask();
    const heading = page.getByRole('heading', { name: 'Ticket #2' });
    await heading.waitFor();
    await page.getByRole('status').filter({ hasText: 'You are number 2 in the queue' }).waitFor();
    expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot('queued');
  });

  it('points to the field to correct when the request is refused', async () => {
    await openPortal();
    await page.getByLabel('Email').fill('not an address');
    await page.getByLabel('Subject').fill('Printer');
    await page.getByLabel('Describe your question').fill('It is on fire.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the fields.' }).waitFor();
    const email = page.getByLabel('Email');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot('refused');
  });

  it('connects the customer at once when a technician is available', async () => {
    await availableTechnician(api, account);
    await openPortal();
    await ask();
    await page.getByRole('heading', { name: 'Ticket #1' }).waitFor();
    await page.getByText('Connected with Sam').waitFor();
    await shot('connected-at-once');
  });

  // Needs the live channel (queue and assigned frames).
  it('keeps the place in the queue current, and says who took the ticket', async () => {
    const tech = await addStaff(api, account, { seats: ['service_desk'] });
    await portalRequest(api, slug);
    await openPortal();
    await ask();
    await page.getByText('You are number 2 in the queue').waitFor();

    requireStatus(await api.call('POST', '/v1/queue/claim', { token: tech.token }), 200, 'claim the first');
    await page.getByText('You are number 1 in the queue').waitFor(live);
    await shot('moved-up');

    requireStatus(await api.call('POST', '/v1/queue/claim', { token: tech.token }), 200, 'claim ours');
    await page.getByText('Connected with Sam').waitFor(live);
    await shot('claimed');
  });

  // Needs the live channel (the send action, message frames).
  it('lets customer and technician chat, the conversation kept on the ticket', async () => {
    const tech = await availableTechnician(api, account);
    await openPortal();
    await ask();
    await page.getByText('Connected with Sam').waitFor();
    const ticket = await newestTicket();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Smoke everywhere.').waitFor();
    const conversation = async () =>
      requireStatus(await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: tech.token }), 200, 'messages').body.items.map((m) => [
        m.author.type,
        m.body,
      ]);

    await page.getByLabel('Message').fill('Is anyone there?');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(conversation, live).toContainEqual(['end_user', 'Is anyone there?']);
    expect(await page.getByLabel('Message').inputValue()).toBe('');
    await log.getByText('Is anyone there?').waitFor(live);
    await shot('customer-wrote');

    const reply = await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token: tech.token, body: { body: 'Yes: please unplug it.' } });
    requireStatus(reply, 201, 'technician reply');
    await log.getByText('Yes: please unplug it.').waitFor(live);
    expect(await conversation()).toEqual([
      ['end_user', 'Smoke everywhere.'],
      ['end_user', 'Is anyone there?'],
      ['staff', 'Yes: please unplug it.'],
    ]);
    await shot('technician-replied');
  });
});

describe('A dropped connection on the portal page', () => {
  it('catches up on what the technician said while the page was not connected', async () => {
    const tech = await availableTechnician(api, account);
    await openPortal();
    await ask();
    await page.getByText('Connected with Sam').waitFor();
    const ticket = await newestTicket();
    const [connection] = await liveConnectionEntity.queryIndexAll('byPrincipal', { accountId: account.accountId, kind: 'chat', subjectId: ticket.endUserId });
    // The connection ends (a phone asleep, a network change) and the reply is said before the page reconnects.
    await fetch(`${api.baseUrl}/@connections/${encodeURIComponent(connection!.connectionId)}`, { method: 'DELETE' });
    const reply = await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token: tech.token, body: { body: 'Sorry, I was away.' } });
    requireStatus(reply, 201, 'technician reply');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Sorry, I was away.').waitFor(live);
    expect(await log.getByText(/Smoke everywhere\.|Sorry, I was away\./).allTextContents()).toEqual(['Smoke everywhere.', 'Sorry, I was away.']);
  });
});

describe('Signing in on the portal page', () => {
  it('lets a strong end user sign in, see their tickets and open one', async () => {
    const customer = await addCustomer(api, account);
    requireStatus(await portalRequest(api, slug, customer.email, { subject: 'VPN is down' }), 201, 'earlier request');
    await createStaff(api, account); // staff exist too: they never show up among the customer's tickets
    await openPortal();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const myTickets = page.getByRole('region', { name: 'My tickets' });
    await myTickets.getByText('#1 VPN is down').waitFor();
    await shot('my-tickets');

    await myTickets.getByRole('button', { name: '#1 VPN is down' }).click();
    await page.getByRole('heading', { name: 'Ticket #1' }).waitFor();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Smoke everywhere. Please help.').waitFor();
    await shot('my-ticket');
  });

  it('says so when the password is wrong', async () => {
    const customer = await addCustomer(api, account);
    await openPortal();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email address or password is not correct.' }).waitFor();
  });
});
