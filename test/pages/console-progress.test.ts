import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { holdRequests, useConsoleTest } from '../support/console.js';
import type { SignedUpAccount } from '../support/fixtures.js';
import { addPortal, portalRequest } from '../support/service-desk.js';
import { createStaff } from '../support/staff.js';

const { api, shot, signedIn, configure, work, freshAccount } = useConsoleTest('console-progress');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

describe('Long work shows progress', () => {
  it('says a list is loading while the API reads it, and stops saying so once it is there', async () => {
    await signedIn();
    const slow = await holdRequests(page, 'GET', '/v1/users');
    await page.getByRole('navigation', { name: 'Configure' }).getByRole('link', { name: 'Users' }).click();
    await slow.arrived;
    const loading = page.getByRole('main').getByRole('status').filter({ hasText: 'Loading…' });
    await loading.waitFor();
    expect(await page.getByRole('main').getByRole('list').getAttribute('aria-busy')).toBe('true');
    await shot('list-loading');

    slow.release();
    await page.getByRole('listitem', { name: 'Ada Admin' }).waitFor();
    await loading.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('main').getByRole('list').getAttribute('aria-busy')).toBeNull();
  });

  it('disables the button that saves and says it is saving, until the API has answered', async () => {
    await signedIn();
    await configure('Companies');
    await page.getByRole('button', { name: 'Add company' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Branch office');
    const slow = await holdRequests(page, 'POST', '/v1/companies');
    await page.getByRole('button', { name: 'Save' }).click();
    await slow.arrived;
    const saving = page.getByRole('button', { name: 'Saving…' });
    await saving.waitFor();
    expect(await saving.isDisabled()).toBe(true);
    expect(await saving.getAttribute('aria-busy')).toBe('true');
    // The rest of the form waits with it: no second request, no cancel half-way.
    expect(await page.getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);
    await shot('saving');

    slow.release();
    await page.getByText('Branch office was added.').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Saving…' }).count()).toBe(0);
  });

  it('says a claim is under way while the queue is asked for the next customer', async () => {
    const { slug } = await addPortal(api, account);
    await portalRequest(api, slug);
    const tech = await createStaff(api, account, { seats: ['service_desk'] });
    await signedIn(tech.email);
    await work('Queue');
    const slow = await holdRequests(page, 'POST', '/v1/queue/claim');
    await page.getByRole('button', { name: 'Claim next' }).click();
    await slow.arrived;
    const claiming = page.getByRole('button', { name: 'Claiming…' });
    expect(await claiming.isDisabled()).toBe(true);
    slow.release();
    await page.getByRole('heading', { name: '#1 My printer is on fire' }).waitFor();
  });
});
