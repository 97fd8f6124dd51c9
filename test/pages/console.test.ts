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

  it('edits a company’s portal, links to the live page, and shows a taken slug next to the field', async () => {
    const taken = await addPortal(api, account);
    await addCompany(api, account, 'Branch office');
    await signedIn();
    await configure('Portals');
    const branch = page.getByRole('region', { name: 'Branch office' });
    await branch.getByText('No portal yet.').waitFor();
    await branch.getByLabel('Slug').fill(taken.slug);
    await branch.getByLabel('Title').fill('Branch help');
    await branch.getByLabel('Support email').fill(`branch-${taken.supportEmail}`);
    await branch.getByRole('button', { name: 'Save' }).click();
    const slug = branch.getByLabel('Slug');
    await expect.poll(() => slug.getAttribute('aria-invalid')).toBe('true');
    await branch.getByText('Already taken').waitFor();
    await shot('portal-slug-taken');

    const free = `branch-${taken.slug}`;
    await slug.fill(free);
    await branch.getByLabel('Enabled').uncheck();
    await branch.getByRole('button', { name: 'Save' }).click();
    await branch.getByText('Saved.').waitFor();
    expect(await branch.getByRole('link', { name: /Open Branch help/ }).getAttribute('href')).toBe(`/p/${free}`);
    const companies = requireStatus(await api.call('GET', '/v1/companies', { token: account.token }), 200, 'companies').body.items;
    const branchId = companies.find((c) => c.name === 'Branch office')?.id;
    const portal = requireStatus(await api.call('GET', `/v1/companies/${branchId}/portal`, { token: account.token }), 200, 'portal').body;
    expect(portal).toMatchObject({ slug: free, title: 'Branch help', enabled: false, supportEmail: `branch-${taken.supportEmail}` });
    await shot('portals');
  });

  it('adds a contact for one company, its methods and rules by use and urgency, and deletes them', async () => {
    await signedIn();
    await configure('Contacts');
    await page.getByRole('button', { name: 'Add contact', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Night shift');
    await page.getByRole('radio', { name: 'This company' }).check();
    await page.getByLabel('Company', { exact: true }).selectOption({ label: 'Default' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Night shift was added.').waitFor();
    const contact = page.getByRole('listitem', { name: 'Night shift' });
    await contact.getByText('Contact · Default').waitFor();

    await contact.getByRole('button', { name: 'Add contact method' }).click();
    await contact.getByLabel('Type').selectOption({ label: 'SMS' });
    await contact.getByLabel('Address').fill('not a number');
    await contact.getByRole('button', { name: 'Save' }).click();
    await contact.getByText('Must be an E.164 number').waitFor();
    await contact.getByLabel('Address').fill('+41791234567');
    await contact.getByRole('button', { name: 'Save' }).click();
    const fresh = page.getByRole('listitem', { name: 'Night shift' });
    await fresh.getByText('SMS: +41791234567').waitFor();

    await fresh.getByRole('button', { name: 'Add rule' }).click();
    await fresh.getByLabel('Use').selectOption({ label: 'Alerts' });
    const urgencies = fresh.getByRole('group', { name: 'Urgencies' });
    await urgencies.getByRole('checkbox', { name: 'High' }).check();
    await urgencies.getByRole('checkbox', { name: 'Critical' }).check();
    await fresh.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listitem', { name: 'Night shift' }).getByText('Alerts (High, Critical) to +41791234567').waitFor();
    await shot('contacts');

    const stored = requireStatus(await api.call('GET', '/v1/contacts', { token: account.token }), 200, 'contacts').body.items;
    expect(stored.find((c) => c.name === 'Night shift')).toMatchObject({
      companies: [account.defaultCompanyId],
      methods: [{ type: 'sms', address: '+41791234567' }],
      rules: [{ use: 'alert', urgencies: ['high', 'critical'] }],
    });

    await page.getByRole('button', { name: 'Delete rule: Alerts (High, Critical) to +41791234567' }).click();
    await page.getByRole('button', { name: 'Delete rule: Alerts (High, Critical) to +41791234567' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete Night shift' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('listitem', { name: 'Night shift' }).waitFor({ state: 'detached' });
  });

  it('changes account-wide settings, overrides one for a company against the account value, and falls back', async () => {
    await signedIn();
    await configure('Settings');
    const accountWide = page.getByRole('region', { name: 'Account-wide' });
    await accountWide.getByLabel('Queue alert after (minutes)').fill('30');
    await accountWide.getByRole('button', { name: 'Save' }).click();
    await accountWide.getByText('Saved.').waitFor();
    const company = page.getByRole('region', { name: 'Default' });
    await company.getByText('Queue alert after (minutes): 30 (account setting)').waitFor();

    await company.getByLabel('Language', { exact: true }).selectOption({ label: 'Deutsch' });
    await company.getByRole('button', { name: 'Override Language for Default' }).click();
    await company.getByText('Language: Deutsch for this company (account setting: English)').waitFor();
    await shot('settings');
    expect(
      requireStatus(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token }), 200, 'settings').body.overrides,
    ).toEqual({ language: 'de' });

    await company.getByRole('button', { name: 'Use account setting for Language in Default' }).click();
    await company.getByText('Language: English (account setting)').waitFor();
    expect(
      requireStatus(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token }), 200, 'settings').body.overrides,
    ).toEqual({});
    expect(requireStatus(await api.call('GET', '/v1/settings', { token: account.token }), 200, 'settings').body.queueAlertAfterMinutes).toBe(30);
  });

  it('edits a user’s role, modules and companies, deletes them, and explains why the last administrator stays', async () => {
    const sam = await createStaff(api, account);
    const branchId = await addCompany(api, account, 'Branch office');
    await signedIn();
    await configure('Users');
    await page.getByRole('button', { name: 'Delete Ada Admin' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('alert').filter({ hasText: 'The account needs at least one administrator' }).waitFor();
    await shot('last-administrator');

    await page.getByRole('button', { name: 'Edit Sam Staff' }).click();
    await page.getByLabel('Role').selectOption({ label: 'Administrator' });
    await page.getByRole('group', { name: 'Modules' }).getByRole('checkbox', { name: 'Reports' }).check();
    await page.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Branch office' }).check();
    await shot('edit-user');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listitem', { name: 'Sam Staff' }).getByText(`${sam.email} · Administrator`).waitFor();
    const stored = requireStatus(await api.call('GET', `/v1/users/${sam.id}`, { token: account.token }), 200, 'user').body;
    expect(stored.role).toBe('administrator');
    expect(stored.modules).toContain('reports');
    expect([...stored.companyIds].sort()).toEqual([account.defaultCompanyId, branchId].sort());

    await page.getByRole('button', { name: 'Delete Sam Staff' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('listitem', { name: 'Sam Staff' }).waitFor({ state: 'detached' });
    expect((await api.call('GET', `/v1/users/${sam.id}`, { token: account.token })).status).toBe(404);
  });

  it('shows the audit trail newest first, older events behind "Load more"', async () => {
    for (let minutes = 1; minutes <= 21; minutes++) {
      requireStatus(await api.call('PATCH', '/v1/settings', { token: account.token, body: { queueAlertAfterMinutes: minutes } }), 200, 'settings');
    }
    const newest = await addCompany(api, account, 'Newest branch');
    await signedIn();
    await configure('Audit trail');
    const events = page.getByRole('main').getByRole('listitem');
    // Signing in to the console is itself recorded, after the company was created.
    await events
      .first()
      .getByText(/Ada Admin signed in/)
      .waitFor();
    await events.nth(1).getByText(`Ada Admin created company ${newest}`).waitFor();
    expect(await events.count()).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => events.count()).toBeGreaterThan(20);
    await shot('audit-trail');
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
  it('shows every Configure page with no control that changes anything, and only their companies', async () => {
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

    await addPortal(api, account);
    await configure('Portals');
    await page
      .getByRole('main')
      .getByRole('link', { name: /Open Help centre/ })
      .waitFor();
    await configure('Contacts');
    await page.getByRole('main').getByText('Ada Admin').waitFor();
    await configure('Settings');
    await page.getByRole('region', { name: 'Default' }).getByText('Language: English (account setting)').waitFor();
    await configure('Audit trail');
    await page.getByText('Only administrators see the audit trail.').waitFor();
    for (const entry of ['Users', 'Portals', 'Contacts', 'Settings', 'Audit trail']) {
      await configure(entry);
      // Let the page's reads finish, then nothing in it may change anything.
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      const main = page.getByRole('main');
      const buttons = await main.getByRole('button', { includeHidden: true }).allTextContents();
      expect(buttons.filter((name) => name !== 'Load more')).toEqual([]);
      for (const role of ['textbox', 'checkbox', 'combobox', 'radio', 'spinbutton', 'switch'] as const) {
        expect(await main.getByRole(role, { includeHidden: true }).count()).toBe(0);
      }
      expect(await main.locator('form').count()).toBe(0);
      await shot(`technician-${entry.toLowerCase().replace(' ', '-')}`);
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
