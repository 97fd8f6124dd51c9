import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { usePage } from '../support/browser.js';
import { requireStatus, useApi } from '../support/api.js';
import { password, signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addPortal } from '../support/service-desk.js';
import { addCompany, createStaff } from '../support/staff.js';

const api = useApi();
// Live updates travel from a REST call through the live channel to the page.
const live = { timeout: 10_000 };

const session = usePage('console', { width: 1280, height: 800 });
let page: Page;
let account: SignedUpAccount;

beforeEach(async () => {
  page = session.page;
  account = await signUpAccount(api);
});

const shot = session.shot;

async function signIn(email = account.adminEmail, secret = password) {
  await page.goto(`${api.baseUrl}/console`);
  await page.getByLabel('Account').fill(account.slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signedIn(email?: string) {
  await signIn(email);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function configure(entry: string) {
  await page.getByRole('navigation', { name: 'Configure' }).getByRole('link', { name: entry }).click();
  await page.getByRole('heading', { level: 2, name: entry }).waitFor();
}

async function work(entry: 'Queue' | 'Tickets') {
  await page.getByRole('navigation', { name: 'Work' }).getByRole('link', { name: entry }).click();
  await page.getByRole('heading', { level: 2, name: entry }).waitFor();
}

describe('Signing in to the console', () => {
  it('signs staff in with account, email and password, keeps the token out of the address, and signs them out', async () => {
    const response = await page.goto(`${api.baseUrl}/console`);
    expect(response?.status()).toBe(200);
    await shot('sign-in');
    await signedIn();
    await page.getByText('Signed in as Ada Admin').waitFor();
    expect(page.url()).not.toMatch(/token|ey[A-Za-z0-9_-]{20,}/);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBeGreaterThan(0);
    await shot('signed-in');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
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
    await shot('session-ended');
  });
});

describe('Configuring the account as an administrator', () => {
  it('adds a user with their role, modules and companies, and gives them a seat', async () => {
    await signedIn();
    await configure('Users');
    await page.getByText('Service Desk seats: 0 of 5 used').waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Email').fill('grace@example.test');
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Role').selectOption({ label: 'Technician' });
    const modules = page.getByRole('group', { name: 'Modules' });
    await modules.getByRole('checkbox', { name: 'Service Desk' }).check();
    await modules.getByRole('checkbox', { name: 'Remote Support' }).check();
    await page.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Default' }).check();
    await shot('add-user');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Grace Hopper was added.').waitFor();

    await page.getByRole('button', { name: 'Give Service Desk seat to Grace Hopper' }).click();
    await page.getByText('Service Desk seats: 1 of 5 used').waitFor();
    await page.getByRole('button', { name: 'Take Service Desk seat from Grace Hopper' }).waitFor();
    const users = requireStatus(await api.call('GET', '/v1/users', { token: account.token }), 200, 'users').body.items;
    const grace = users.find((u) => u.email === 'grace@example.test');
    expect(grace).toMatchObject({ role: 'technician', companyIds: [account.defaultCompanyId], seats: ['service_desk'] });
    expect([...(grace?.modules ?? [])].sort()).toEqual(['remote_support', 'service_desk']);
    await shot('user-added');
  });

  it('shows the refusal when no seat is left', async () => {
    await createStaff(api, account);
    requireStatus(
      await api.call('PATCH', '/v1/account', { token: account.token, body: { seatLimits: { remote_support: 0, service_desk: 0 } } }),
      200,
      'no seats',
    );
    await signedIn();
    await configure('Users');
    await page.getByText('Remote Support seats: 0 of 0 used').waitFor();
    await page.getByRole('button', { name: 'Give Remote Support seat to Sam Staff' }).click();
    await page.getByRole('alert').filter({ hasText: 'No Remote Support seat is left' }).waitFor();
    await shot('no-seat-left');
  });

  it('shows what the API refused next to the field', async () => {
    await signedIn();
    await configure('Users');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Email').fill('not an address');
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Default' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the marked fields.' }).waitFor();
    const email = page.getByLabel('Email');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);
    // The field's own message is its description, read with it.
    expect(await email.evaluate((el) => (el as HTMLInputElement).labels?.length)).toBe(1);
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent();
    expect(message?.length).toBeGreaterThan(0);
    await shot('field-refused');
  });

  it('adds, renames and deletes a company, and explains why a user’s only company cannot go', async () => {
    await signedIn();
    await configure('Companies');
    await page.getByRole('button', { name: 'Add company' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Branch office');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Branch office was added.').waitFor();
    await page.getByRole('button', { name: 'Rename Branch office' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Head office');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Rename Head office' }).waitFor();
    await shot('companies');

    await page.getByRole('button', { name: 'Delete Default' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('alert').filter({ hasText: 'This company cannot be deleted' }).waitFor();
    await shot('company-required');

    await page.getByRole('button', { name: 'Delete Head office' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('main').getByText('Head office', { exact: true }).waitFor({ state: 'detached' });
    const companies = requireStatus(await api.call('GET', '/v1/companies', { token: account.token }), 200, 'companies').body.items;
    expect(companies.map((c) => c.name)).toEqual(['Default']);
  });

  it('lets staff change their own name', async () => {
    await signedIn();
    await configure('My account');
    await page.getByLabel('First name').fill('Adele');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('Signed in as Adele Admin').waitFor();
  });
});

describe('The console for a technician', () => {
  it('shows users and companies with no control that changes anything, and only their companies', async () => {
    await addCompany(api, account, 'Elsewhere');
    const tech = await createStaff(api, account);
    await signedIn(tech.email);
    await configure('Users');
    await page.getByRole('main').getByText('Sam Staff').waitFor();
    await page.getByRole('main').getByText('Ada Admin').waitFor();
    // Absent, not hidden: nothing a technician could reveal.
    expect(await page.getByRole('button', { name: 'Add user', includeHidden: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Give|Take/, includeHidden: true }).count()).toBe(0);
    await shot('technician-users');

    await configure('Companies');
    await page.getByText('Default').first().waitFor();
    expect(await page.getByText('Elsewhere').count()).toBe(0);
    for (const name of ['Add company', /Rename/, /Delete/]) expect(await page.getByRole('button', { name, includeHidden: true }).count()).toBe(0);
    await shot('technician-companies');

    for (const entry of ['Portals', 'Contacts', 'Settings']) {
      await configure(entry);
      const buttons = await page.getByRole('main').getByRole('button', { includeHidden: true }).allTextContents();
      expect(buttons.filter((name) => name !== 'Load more')).toEqual([]);
    }
  });
});

describe('Working tickets in the console', () => {
  it('lets a technician claim a portal customer’s question and chat with them both ways', async () => {
    const { slug } = await addPortal(api, account);
    const tech = await createStaff(api, account, { seats: ['service_desk'] });
    // The customer asks on the portal page: nobody is available, so it waits in the queue.
    const customer = await session.newPerson();
    await customer.setViewportSize({ width: 390, height: 844 });
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
    expect(await page.getByLabel('Reply').inputValue()).toBe('');

    await customer.getByLabel('Message').fill('Done, thank you!');
    await customer.getByRole('button', { name: 'Send message' }).click();
    await log.getByText('Done, thank you!').waitFor(live);
    await shot('chat-technician');
    await shot('chat-customer', customer);

    await work('Tickets');
    await page.getByRole('main').getByRole('link', { name: 'Printer on fire' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Done, thank you!').waitFor();
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

  it('says why a technician without a Remote Support seat cannot be available', async () => {
    const tech = await createStaff(api, account);
    await signedIn(tech.email);
    await page.getByRole('switch', { name: 'Available' }).click();
    await page.getByRole('alert').filter({ hasText: 'Being available needs a Remote Support seat' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Available' }).isChecked()).toBe(false);
  });
});
