import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireStatus } from '../support/api.js';
import { useConsoleTest } from '../support/console.js';
import type { SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';

const { api, shot, signedIn, configure, freshAccount } = useConsoleTest('console-audit');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

describe('The audit trail', () => {
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

  it('narrows the trail to one kind of resource and to one person, and pages through what it finds', async () => {
    const admin2 = await addStaff(api, account, { role: 'administrator' });
    for (let n = 1; n <= 21; n++) await addCompany(api, account, `Branch ${n}`);
    requireStatus(await api.call('PATCH', '/v1/settings', { token: admin2.token, body: { queueAlertAfterMinutes: 42 } }), 200, 'settings');
    await signedIn();
    await configure('Audit trail');
    const filters = page.getByRole('search', { name: 'Filter the audit trail' });
    const events = page.getByRole('main').getByRole('listitem');

    await filters.getByLabel('Resource').selectOption({ label: 'company' });
    await filters.getByRole('button', { name: 'Show' }).click();
    await events.first().getByText('Ada Admin created company').waitFor();
    expect(await events.count()).toBe(20);
    expect(await events.filter({ hasNotText: 'created company' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load more' }).click();
    // 21 branches and the Default company of the sign-up.
    await expect.poll(() => events.count()).toBe(22);
    expect(await page.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);
    await shot('audit-by-resource');

    await filters.getByLabel('Resource').selectOption({ label: 'Every resource' });
    await filters.getByLabel('Person').selectOption({ label: 'Sam Staff' });
    await filters.getByRole('button', { name: 'Show' }).click();
    await events.first().getByText('Sam Staff changed settings').waitFor();
    expect(await events.filter({ hasNotText: 'Sam Staff' }).count()).toBe(0);
    expect(page.url()).toContain(`#audit//${admin2.id}`);
    await shot('audit-by-person');
  });
});
