import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireStatus, type TestApi } from '../support/api.js';
import { writingControls, useConsoleTest } from '../support/console.js';
import type { SignedUpAccount } from '../support/fixtures.js';
import { addCompany, createStaff } from '../support/staff.js';

const { api, shot, signedIn, configure, freshAccount } = useConsoleTest('console-devices');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

type DeviceInput = { name: string; kind?: 'workstation' | 'server' | 'mobile' | 'other'; group?: string; os?: string; companyIds?: string[] };

async function addDevice(testApi: TestApi, input: DeviceInput) {
  const body = { kind: 'workstation' as const, companyIds: [account.defaultCompanyId], ...input };
  return requireStatus(await testApi.call('POST', '/v1/devices', { token: account.token, body }), 201, 'device').body;
}

const storedDevice = async (id: string) => (await api.call('GET', `/v1/devices/${id}`, { token: account.token })).status;

describe('Each company’s devices, as an administrator', () => {
  it('adds a device to a company with its kind, system, group and companies', async () => {
    const branchId = await addCompany(api, account, 'Branch office');
    await signedIn();
    // Each company on the Companies page links to its inventory.
    await configure('Companies');
    await page.getByRole('link', { name: 'Devices of Default' }).click();
    await page.getByRole('heading', { name: 'Devices of Default' }).waitFor();
    await page.getByText('No devices in this company yet.').waitFor();
    await page.getByRole('button', { name: 'Add device' }).click();
    const form = page.getByRole('form', { name: 'Add device' });
    await form.getByLabel('Name').fill('Reception PC');
    await form.getByLabel('Kind').selectOption({ label: 'Workstation' });
    await form.getByLabel('Operating system').fill('Windows 11');
    await form.getByLabel('Group').fill('Front desk');
    await form.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Branch office' }).check();
    await shot('add-device');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Reception PC was added.').waitFor();
    const device = page.getByRole('listitem', { name: 'Reception PC' });
    await device.getByText('Workstation · Windows 11').waitFor();
    await device.getByText('also in Branch office').waitFor();
    await shot('devices');

    const devices = requireStatus(await api.call('GET', `/v1/companies/${branchId}/devices`, { token: account.token }), 200, 'devices').body.items;
    expect(devices).toMatchObject([{ name: 'Reception PC', kind: 'workstation', os: 'Windows 11', group: 'Front desk' }]);
    expect([...(devices[0]?.companyIds ?? [])].sort()).toEqual([account.defaultCompanyId, branchId].sort());
  });

  it('edits a device, explains that it keeps at least one company, and deletes it', async () => {
    const device = await addDevice(api, { name: 'Backup server', kind: 'server', os: 'Debian 13', group: 'Racks' });
    await signedIn();
    await configure('Devices');
    await page.getByRole('button', { name: 'Edit Backup server' }).click();
    const form = page.getByRole('form', { name: 'Edit Backup server' });
    expect(await form.getByLabel('Operating system').inputValue()).toBe('Debian 13');
    await form.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Default' }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('group', { name: 'Companies' }).getByText('Choose at least one company').waitFor();
    await form.getByRole('alert').filter({ hasText: 'Please check the marked fields.' }).waitFor();
    await shot('device-company-required');

    await form.getByRole('group', { name: 'Companies' }).getByRole('checkbox', { name: 'Default' }).check();
    await form.getByLabel('Name').fill('Backup server 2');
    await form.getByLabel('Kind').selectOption({ label: 'Other' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listitem', { name: 'Backup server 2' }).getByText('Other · Debian 13').waitFor();
    expect(requireStatus(await api.call('GET', `/v1/devices/${device.id}`, { token: account.token }), 200, 'device').body).toMatchObject({
      name: 'Backup server 2',
      kind: 'other',
    });

    await page.getByRole('button', { name: 'Delete Backup server 2' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Backup server 2 was deleted.').waitFor();
    expect(await storedDevice(device.id)).toBe(404);
  });

  it('shows one device group at a time, and another company’s inventory', async () => {
    const branchId = await addCompany(api, account, 'Branch office');
    await addDevice(api, { name: 'Reception PC', group: 'Front desk' });
    await addDevice(api, { name: 'Lab laptop', group: 'Lab' });
    await addDevice(api, { name: 'Branch printer', kind: 'other', companyIds: [branchId] });
    await signedIn();
    await configure('Devices');
    // The first company by name, until another is chosen.
    await page.getByRole('heading', { name: 'Devices of Branch office' }).waitFor();
    const finder = page.getByRole('search', { name: 'Find devices' });
    const devices = page.getByRole('main').getByRole('listitem');
    await finder.getByLabel('Company').selectOption({ label: 'Default' });
    await finder.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('listitem', { name: 'Lab laptop' }).waitFor();

    await finder.getByLabel('Group').fill('Front desk');
    await finder.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: 'Devices of Default in group Front desk' }).waitFor();
    await expect.poll(() => devices.allTextContents()).toEqual([expect.stringContaining('Reception PC')]);
    await shot('device-group');
    await page.getByRole('link', { name: 'Show every group' }).click();
    await page.getByRole('listitem', { name: 'Lab laptop' }).waitFor();

    await page.getByRole('listitem', { name: 'Lab laptop' }).getByRole('link', { name: 'Group Lab' }).click();
    await page.getByRole('heading', { name: 'Devices of Default in group Lab' }).waitFor();
    await expect.poll(() => devices.count()).toBe(1);

    await finder.getByLabel('Company').selectOption({ label: 'Branch office' });
    await finder.getByLabel('Group').fill('');
    await finder.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: 'Devices of Branch office' }).waitFor();
    await page.getByRole('listitem', { name: 'Branch printer' }).waitFor();
    expect(await devices.count()).toBe(1);
  });

  it('pages through a large inventory with the API’s cursors', async () => {
    for (let n = 1; n <= 60; n++) await addDevice(api, { name: `PC ${String(n).padStart(2, '0')}` });
    await signedIn();
    await configure('Devices');
    const devices = page.getByRole('main').getByRole('listitem');
    await expect.poll(() => devices.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => devices.count()).toBe(60);
    expect(await page.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);
    expect(new Set(await devices.allTextContents()).size).toBe(60);
  });
});

describe('Each company’s devices, as a technician', () => {
  it('shows the inventory of their companies only, with no control that changes anything', async () => {
    const elsewhere = await addCompany(api, account, 'Elsewhere');
    await addDevice(api, { name: 'Reception PC', group: 'Front desk' });
    await addDevice(api, { name: 'Hidden server', kind: 'server', companyIds: [elsewhere] });
    const tech = await createStaff(api, account);
    await signedIn(tech.email);
    await configure('Devices');
    await page.getByRole('listitem', { name: 'Reception PC' }).waitFor();
    const companies = await page.getByRole('search', { name: 'Find devices' }).getByLabel('Company').locator('option').allTextContents();
    expect(companies).toEqual(['Default']);
    expect(await writingControls(page)).toEqual([]);
    await shot('technician-devices');

    // Another company's inventory by its address: the API refuses it, and the page shows nothing of it.
    await page.goto(`${api.baseUrl}/console#devices/${elsewhere}`);
    await page.getByRole('heading', { name: 'Devices of Default' }).waitFor();
    expect(await page.getByText('Hidden server').count()).toBe(0);
  });
});
