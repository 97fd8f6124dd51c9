import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { requireStatus } from '../support/api.js';
import { useConsoleTest } from '../support/console.js';
import { password, type SignedUpAccount } from '../support/fixtures.js';
import { addPortal } from '../support/service-desk.js';
import { createStaff } from '../support/staff.js';
import { linkTeamsTenant, postedTo, sendTeamsMessage, teamsUser } from '../support/teams.js';

const { api, session, shot, signIn, signedIn, work, freshAccount } = useConsoleTest('console');
// Live updates travel from a REST call through the live channel to the page.
const live = { timeout: 10_000 };
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

const storedTokens = () => page.evaluate(() => Object.values(sessionStorage).filter((value) => value.split('.').length === 3));

describe('Signing in to the console', () => {
  it('signs staff in with account, email and password, keeps the token out of the address, and signs them out', async () => {
    const response = await page.goto(`${api.baseUrl}/console`);
    expect(response?.status()).toBe(200);
    await shot('sign-in');
    await signedIn();
    await page.getByText('Signed in as Ada Admin').waitFor();
    expect(page.url()).not.toMatch(/token|ey[A-Za-z0-9_-]{20,}/);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await storedTokens()).toHaveLength(1);
    await shot('signed-in');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('says so when the password is wrong', async () => {
    await signIn(account.adminEmail, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'The account, email or password is not correct.' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('sign-in-refused');
  });

  it('leads back to sign-in when the session has ended', async () => {
    await signedIn();
    // A password change elsewhere ends every earlier token, the console's included.
    const change = await api.call('PUT', '/v1/me/password', { token: account.token, body: { currentPassword: password, newPassword: `${password} 2` } });
    requireStatus(change, 200, 'password change');
    await page.getByRole('navigation', { name: 'Configure' }).getByRole('link', { name: 'Users' }).click();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByLabel('Account').waitFor();
    expect(await storedTokens()).toEqual([]);
    await shot('session-ended');
  });

  it('leads back to sign-in when the token it kept has expired', async () => {
    // A token the API really signed, issued long enough ago to have expired by now.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 24 * 3600_000 });
    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } });
    vi.useRealTimers();
    const expired = requireStatus(login, 200, 'sign-in a day ago').body.token;
    await signedIn();
    await page.evaluate((token) => {
      for (const key of Object.keys(sessionStorage)) if (sessionStorage.getItem(key)?.split('.').length === 3) sessionStorage.setItem(key, token);
    }, expired);

    await page.reload();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await storedTokens()).toEqual([]);
  });

  it('leads back to sign-in when the API stops accepting the token mid-session', async () => {
    await signedIn();
    await page.route(
      (url) => url.pathname === '/v1/companies',
      (route) =>
        route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unauthenticated', message: 'Sign in to continue.', details: [] } }),
        }),
    );
    await page.getByRole('navigation', { name: 'Configure' }).getByRole('link', { name: 'Companies' }).click();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByLabel('Account').waitFor();
    expect(await storedTokens()).toEqual([]);
  });
});

describe('Working tickets in the console', () => {
  it('lets a technician claim a portal customer’s question and chat with them both ways', async () => {
    const { slug } = await addPortal(api, account);
    const tech = await createStaff(api, account, { seats: ['service_desk'] });
    // The customer asks on the portal page: nobody is available, so it waits in the queue.
    const customer = await session.newPerson({ viewport: { width: 390, height: 844 } });
    await customer.goto(`${api.baseUrl}/p/${slug}`);
    await customer.getByLabel('Email').fill('claire.johnson@myorg.test');
    await customer.getByLabel('Subject').fill('Printer on fire');
    await customer.getByLabel('Describe your question').fill('Smoke everywhere.');
    await customer.getByRole('button', { name: 'Send', exact: true }).click();
    await customer.getByText('You are number 1 in the queue').waitFor();

    await signedIn(tech.email);
    await work('Queue');
    await page.getByText('Printer on fire').waitFor();
    await shot('queue');
    await page.getByRole('button', { name: 'Claim next' }).click();
    await page.getByRole('heading', { name: '#1 Printer on fire' }).waitFor();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Smoke everywhere.').waitFor();
    await customer.getByText('Connected with Sam').waitFor(live);

    await page.getByLabel('Reply').fill('Please unplug it.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const customerLog = customer.getByRole('log', { name: 'Conversation' });
    await customerLog.getByText('Please unplug it.').waitFor(live);
    // The customer can see the reply before the technician's page has its answer (the push comes first).
    await expect.poll(() => page.getByLabel('Reply').inputValue(), live).toBe('');

    await customer.getByLabel('Message').fill('Done, thank you!');
    await customer.getByRole('button', { name: 'Send message' }).click();
    await log.getByText('Done, thank you!').waitFor(live);
    await shot('chat-technician');
    await shot('chat-customer', customer);

    await work('Tickets');
    await page.getByRole('main').getByRole('link', { name: 'Printer on fire' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Done, thank you!').waitFor();
  });

  it('shows a question the moment it enters the queue, and takes it off when a colleague claims it', async () => {
    const { slug } = await addPortal(api, account);
    const tech = await createStaff(api, account, { seats: ['service_desk'] });
    await signedIn(tech.email);
    await work('Queue');
    await page.getByText('Nobody is waiting.').waitFor();

    requireStatus(
      await api.call('POST', `/v1/portals/${slug}/requests`, {
        body: { email: 'claire.johnson@myorg.test', subject: 'VPN is down', description: 'Since this morning.' },
      }),
      201,
      'portal request',
    );
    const waiting = page.getByRole('main').getByText('VPN is down');
    await waiting.waitFor(live);
    await shot('queue-live');

    const colleague = await createStaff(api, account, { seats: ['service_desk'] });
    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: colleague.email, password } });
    requireStatus(await api.call('POST', '/v1/queue/claim', { token: login.body.token }), 200, 'claim');
    await waiting.waitFor({ state: 'detached', ...live });
  });

  it('says a ticket came from Microsoft Teams, and a reply goes back into the Teams chat', async () => {
    const tenantId = await linkTeamsTenant(api, account);
    const tech = await createStaff(api, account, { seats: ['service_desk'] });
    const delivered = await sendTeamsMessage(api, { tenantId, user: teamsUser(), text: 'Outlook keeps asking for my password' });
    expect(delivered.status).toBe(200);

    await signedIn(tech.email);
    await work('Queue');
    await page.getByRole('button', { name: 'Claim next' }).click();
    await page.getByText('Asked in Microsoft Teams: replies go to the Teams chat').waitFor();
    await page.getByLabel('Reply').fill('I have reset your sign-in; try again.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('I have reset your sign-in; try again.').waitFor();
    await shot('teams-ticket');
    await vi.waitFor(async () => expect((await postedTo(api, delivered.conversationId)).map((m) => m.body)).toContain('I have reset your sign-in; try again.'));
  });

  it('connects a live customer to an available technician and tells them', async () => {
    const { slug } = await addPortal(api, account);
    const tech = await createStaff(api, account, { seats: ['remote_support', 'service_desk'] });
    await signedIn(tech.email);
    await page.getByRole('switch', { name: 'Available' }).check();
    await expect.poll(async () => requireStatus(await api.call('GET', `/v1/portals/${slug}`), 200, 'portal').body.techniciansAvailable, live).toBe(1);

    const request = await api.call('POST', `/v1/portals/${slug}/requests`, {
      body: { email: 'claire.johnson@myorg.test', subject: 'VPN is down', description: 'Since this morning.' },
    });
    expect(requireStatus(request, 201, 'request').body.liveTechnician).toMatchObject({ id: tech.id });
    const notice = page.getByRole('status').filter({ hasText: 'A customer is connected to you' });
    await notice.waitFor(live);
    await shot('live-customer');
    await notice.getByRole('link', { name: 'VPN is down' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Since this morning.').waitFor();

    await page.getByRole('switch', { name: 'Available' }).uncheck();
    await expect.poll(async () => requireStatus(await api.call('GET', `/v1/portals/${slug}`), 200, 'portal').body.techniciansAvailable, live).toBe(0);
  });

  it('keeps a technician available across a reload of the tab, and ends it when they sign out', async () => {
    const { slug } = await addPortal(api, account);
    const tech = await createStaff(api, account, { seats: ['remote_support'] });
    const available = async () => requireStatus(await api.call('GET', `/v1/portals/${slug}`), 200, 'portal').body.techniciansAvailable;
    await signedIn(tech.email);
    await page.getByRole('switch', { name: 'Available' }).check();
    await expect.poll(available, live).toBe(1);

    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Available' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await available()).toBe(0);
  });

  it('says why a technician without a Remote Support seat cannot be available', async () => {
    const tech = await createStaff(api, account);
    await signedIn(tech.email);
    await page.getByRole('switch', { name: 'Available' }).click();
    await page.getByRole('alert').filter({ hasText: 'Being available needs a Remote Support seat' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Available' }).isChecked()).toBe(false);
  });
});
