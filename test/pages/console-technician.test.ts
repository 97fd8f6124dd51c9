import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { writingControls, useConsoleTest } from '../support/console.js';
import { addAlertContact } from '../support/contacts.js';
import type { SignedUpAccount } from '../support/fixtures.js';
import { addPortal } from '../support/service-desk.js';
import { addCompany, createStaff } from '../support/staff.js';

const { api, shot, signedIn, configure, freshAccount } = useConsoleTest('console-technician');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

describe('The console for a technician', () => {
  it('shows every Configure page with no control that changes anything, and only their companies', async () => {
    const elsewhere = await addCompany(api, account, 'Elsewhere');
    await addPortal(api, account);
    await addAlertContact(api, account, { companies: [account.defaultCompanyId] });
    await api.call('POST', '/v1/devices', {
      token: account.token,
      body: { name: 'Reception PC', kind: 'workstation', companyIds: [account.defaultCompanyId] },
    });
    await api.call('POST', '/v1/devices', { token: account.token, body: { name: 'Hidden server', kind: 'server', companyIds: [elsewhere] } });
    const tech = await createStaff(api, account);
    await signedIn(tech.email);

    await configure('Users');
    await page.getByRole('main').getByText('Sam Staff').waitFor();
    await page.getByRole('main').getByText('Ada Admin').waitFor();
    // Absent, not hidden: nothing a technician could reveal.
    expect(await page.getByRole('button', { name: 'Add user', includeHidden: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Give|Take/, includeHidden: true }).count()).toBe(0);

    await configure('Companies');
    await page.getByRole('listitem', { name: 'Default' }).waitFor();
    expect(await page.getByText('Elsewhere').count()).toBe(0);

    await configure('Devices');
    await page.getByRole('listitem', { name: 'Reception PC' }).waitFor();
    expect(await page.getByText('Hidden server').count()).toBe(0);

    await configure('Portals');
    await page
      .getByRole('main')
      .getByRole('link', { name: /Open Help centre/ })
      .waitFor();

    await configure('Contacts');
    await page.getByRole('main').getByText('Ada Admin').waitFor();
    const onCall = page.getByRole('listitem', { name: 'On-call' });
    await onCall.getByText('Email: oncall@x.test').waitFor();
    for (const name of ['Rename On-call', 'Edit method oncall@x.test', 'Add contact method']) {
      expect(await onCall.getByRole('button', { name, includeHidden: true }).count()).toBe(0);
    }

    await configure('Settings');
    await page.getByRole('region', { name: 'Default' }).getByText('Language: English (account setting)').waitFor();
    await configure('Audit trail');
    await page.getByText('Only administrators see the audit trail.').waitFor();

    for (const entry of ['Users', 'Companies', 'Devices', 'Portals', 'Contacts', 'Settings', 'My account', 'Audit trail']) {
      await configure(entry);
      const writing = await writingControls(page);
      // Their own name, email and password are theirs to change, and only there.
      if (entry === 'My account') expect(writing).toEqual(['button Save', 'button Change password', '5 textbox', '2 form']);
      else expect(writing, entry).toEqual([]);
      await shot(`technician-${entry.toLowerCase().replace(' ', '-')}`);
    }
  });
});
