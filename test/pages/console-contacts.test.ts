import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireStatus } from '../support/api.js';
import { useConsoleTest } from '../support/console.js';
import { addAlertContact } from '../support/contacts.js';
import type { SignedUpAccount } from '../support/fixtures.js';

const { api, shot, signedIn, configure, freshAccount } = useConsoleTest('console-contacts');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

const storedContacts = async () => requireStatus(await api.call('GET', '/v1/contacts', { token: account.token }), 200, 'contacts').body.items;

describe('Contacts, their methods and rules', () => {
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
    expect(await contact.getByLabel('Address').getAttribute('aria-invalid')).toBe('true');
    await shot('method-refused');
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

    expect((await storedContacts()).find((c) => c.name === 'Night shift')).toMatchObject({
      companies: [account.defaultCompanyId],
      methods: [{ type: 'sms', address: '+41791234567' }],
      rules: [{ use: 'alert', urgencies: ['high', 'critical'] }],
    });

    await page.getByRole('button', { name: 'Delete rule: Alerts (High, Critical) to +41791234567' }).click();
    // Gone once the contact is read again (the button itself is renamed "Deleting…" at once).
    await page.getByRole('listitem', { name: 'Night shift' }).getByText('Alerts (High, Critical) to +41791234567').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete Night shift' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('listitem', { name: 'Night shift' }).waitFor({ state: 'detached' });
    expect((await storedContacts()).map((c) => c.name)).not.toContain('Night shift');
  });

  it('renames a contact, edits a method in place and deletes one', async () => {
    const { contactId } = await addAlertContact(api, account, { email: 'oncall@x.test', phone: '+41791234567' });
    await signedIn();
    await configure('Contacts');
    await page.getByRole('button', { name: 'Rename On-call' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Night desk');
    await page.getByRole('button', { name: 'Save' }).click();
    const contact = page.getByRole('listitem', { name: 'Night desk' });
    await contact.getByText('Email: oncall@x.test').waitFor();

    await contact.getByRole('button', { name: 'Edit method +41791234567' }).click();
    expect(await contact.getByLabel('Address').inputValue()).toBe('+41791234567');
    await contact.getByLabel('Type').selectOption({ label: 'Phone' });
    await contact.getByLabel('Address').fill('+41797654321');
    await contact.getByLabel('Label').fill('Desk phone');
    await shot('edit-method');
    await contact.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listitem', { name: 'Night desk' }).getByText('Phone: +41797654321 (Desk phone)').waitFor();
    // The rules that sent to the method still do.
    await page.getByRole('listitem', { name: 'Night desk' }).getByText('Alerts (Critical) to +41797654321').waitFor();

    await page.getByRole('button', { name: 'Delete method oncall@x.test' }).click();
    await page.getByRole('listitem', { name: 'Night desk' }).getByText('Email: oncall@x.test').waitFor({ state: 'detached' });
    const stored = requireStatus(await api.call('GET', `/v1/contacts/${contactId}`, { token: account.token }), 200, 'contact').body;
    expect(stored).toMatchObject({ name: 'Night desk', methods: [{ type: 'phone', address: '+41797654321', label: 'Desk phone' }] });
    // A method's rules go with it.
    expect(stored.rules.map((r) => r.use)).toEqual(['alert']);
    await shot('contact-edited');
  });

  it('shows a user’s own contact with their name read-only and their own address kept', async () => {
    await signedIn();
    await configure('Contacts');
    const own = page.getByRole('listitem', { name: 'Ada Admin' });
    await own.getByText('User · All companies').waitFor();
    await own.getByText('they change them in My account').waitFor();
    // Its name and its companies are the user's: nothing here renames or deletes it.
    for (const name of ['Rename Ada Admin', 'Delete Ada Admin', `Delete method ${account.adminEmail}`]) {
      expect(await own.getByRole('button', { name, includeHidden: true }).count()).toBe(0);
    }
    await own.getByRole('button', { name: `Edit method ${account.adminEmail}` }).click();
    // Only the label of the user's own address is the administrator's to change.
    expect(await own.getByLabel('Address').count()).toBe(0);
    await own.getByLabel('Label').fill('Work');
    await own.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listitem', { name: 'Ada Admin' }).getByText(`Email: ${account.adminEmail} (Work)`).waitFor();
    await shot('user-contact');
  });
});
