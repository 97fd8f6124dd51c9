import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireStatus } from '../support/api.js';
import { useConsoleTest } from '../support/console.js';
import { password, type SignedUpAccount } from '../support/fixtures.js';
import { addPortal } from '../support/service-desk.js';
import { addCompany, createStaff } from '../support/staff.js';

const { api, shot, signedIn, configure, freshAccount } = useConsoleTest('console-configure');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

/** The message the field's description points to last: what the API said about it. */
async function fieldMessage(label: string) {
  const describedBy = (await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby')) ?? '';
  return page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent();
}

describe('Users and seats', () => {
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
    expect((await fieldMessage('Email'))?.length).toBeGreaterThan(0);
    await shot('field-refused');
  });

  it('says next to the email field that another user already has that address', async () => {
    const taken = await createStaff(api, account);
    await signedIn();
    await configure('Users');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Email').fill(taken.email.toUpperCase());
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Default' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await fieldMessage('Email')).toBe('Already in use');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBeNull();
    await shot('email-taken');
  });

  it('edits a user’s role, modules and companies, deletes them, and explains why the last administrator stays', async () => {
    const sam = await createStaff(api, account);
    const branchId = await addCompany(api, account, 'Branch office');
    await signedIn();
    await configure('Users');
    await page.getByRole('button', { name: 'Edit Ada Admin' }).click();
    await page.getByLabel('Role').selectOption({ label: 'Technician' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByLabel('Role').getAttribute('aria-invalid')).toBe('true');
    expect(await fieldMessage('Role')).toBe('The account needs at least one administrator: make another user an administrator first.');
    await shot('last-administrator');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete Ada Admin' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('alert').filter({ hasText: 'You cannot delete yourself.' }).waitFor();
    await shot('delete-yourself');

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

  it('explains next to the companies that a user keeps at least one', async () => {
    await createStaff(api, account);
    await signedIn();
    await configure('Users');
    await page.getByRole('button', { name: 'Edit Sam Staff' }).click();
    const companies = page.getByRole('group', { name: 'Companies' });
    await companies.getByRole('checkbox', { name: 'Default' }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await companies.getByText('Choose at least one company').waitFor();
    await page.getByRole('alert').filter({ hasText: 'Please check the marked fields.' }).waitFor();
  });
});

describe('Companies and portals', () => {
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
});

describe('Settings and My account', () => {
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

  it('lets staff change their own name', async () => {
    await signedIn();
    await configure('My account');
    await page.getByLabel('First name').fill('Adele');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('Signed in as Adele Admin').waitFor();
    await shot('my-account');
  });

  it('says next to the field that the current password is wrong, and keeps the session', async () => {
    await signedIn();
    await configure('My account');
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill(`${password} 2`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    expect(await fieldMessage('Current password')).toBe('This is not your current password.');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
});
