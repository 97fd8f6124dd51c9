import { describe, expect, it } from 'vitest';
import { requireStatus, useApi } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { alertRecipients, reportRecipients } from '../../shared/contacts/contacts.js';

const api = useApi();

async function addContact(account: SignedUpAccount, name: string, companies: 'all' | string[] = 'all') {
  return requireStatus(await api.call('POST', '/v1/contacts', { token: account.token, body: { name, companies } }), 201, 'add contact').body;
}

async function addMethod(account: SignedUpAccount, contactId: string, body: Record<string, unknown>) {
  return requireStatus(await api.call('POST', `/v1/contacts/${contactId}/methods`, { token: account.token, body }), 201, 'add method').body;
}

const contactOfUser = async (account: SignedUpAccount, userId: string) => {
  const list = await api.call('GET', '/v1/contacts?limit=100', { token: account.token });
  const contact = list.body.items.find((c) => c.userId === userId);
  if (!contact) throw new Error(`no contact for user ${userId}`);
  return contact;
};

const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((c) => c.name);

describe('Adding, changing and deleting contacts', () => {
  it('adds a contact for all companies, with no methods or rules yet', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/contacts', { token: account.token, body: { name: 'Night shift', companies: 'all' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), name: 'Night shift', kind: 'contact', companies: 'all', methods: [], rules: [] });
    expect(res.body).not.toHaveProperty('userId');
    expect((await api.call('GET', `/v1/contacts/${res.body.id}`, { token: account.token })).body).toEqual(res.body);
  });

  it('adds a contact for chosen companies of the account', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const res = await api.call('POST', '/v1/contacts', { token: account.token, body: { name: 'Branch', companies: [other, other] } });
    expect(res.status).toBe(201);
    expect(res.body.companies).toEqual([other]);
  });

  it('refuses a company that does not exist, and writes nothing', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/contacts', { token: account.token, body: { name: 'Ghost', companies: ['cmp_nope'] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'companies', message: expect.stringContaining('cmp_nope') }] });
    const list = await api.call('GET', '/v1/contacts', { token: account.token });
    expect(names(list)).not.toContain('Ghost');
  });

  it('refuses a contact with no name or no companies, naming the fields', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/contacts', { token: account.token, body: { name: ' ', companies: [] } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details.map((d) => d.path).sort()).toEqual(['companies', 'name']);
  });

  it('renames a contact and moves it from all companies to one', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const contact = await addContact(account, 'Facilities');
    const res = await api.call('PATCH', `/v1/contacts/${contact.id}`, { token: account.token, body: { name: 'Building services', companies: [other] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Building services', companies: [other] });
    expect(names(await api.call('GET', `/v1/companies/${other}/contacts`, { token: account.token }))).toContain('Building services');
    expect(names(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token }))).not.toContain('Building services');
  });

  it('takes up to 40 companies, and refuses to swap more of them at once than one transaction holds (400)', async () => {
    const account = await signUpAccount(api);
    const companies = async (n: number) => Promise.all(Array.from({ length: n }, () => addCompany(api, account)));
    const first = await companies(40);
    const second = await companies(40);
    const contact = await addContact(account, 'Wide', first);
    const res = await api.call('PATCH', `/v1/contacts/${contact.id}`, { token: account.token, body: { companies: second } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details[0]?.path).toBe('companies');
    expect((await api.call('GET', `/v1/contacts/${contact.id}`, { token: account.token })).body.companies).toEqual([...first].sort());
    const tooMany = await api.call('POST', '/v1/contacts', { token: account.token, body: { name: 'Wider', companies: [...first, second[0]] } });
    expect(tooMany.status).toBe(400);
  });

  it('deletes a contact', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Temp');
    expect((await api.call('DELETE', `/v1/contacts/${contact.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/contacts/${contact.id}`, { token: account.token })).status).toBe(404);
    expect(names(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token }))).not.toContain('Temp');
  });

  it('lists the account’s contacts in name order, users’ contacts included', async () => {
    const account = await signUpAccount(api);
    await addContact(account, 'zulu');
    await addContact(account, 'Bravo');
    const res = await api.call('GET', '/v1/contacts', { token: account.token });
    expect(names(res)).toEqual(['Ada Admin', 'Bravo', 'zulu']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('records every change of a contact, its methods and rules in the audit trail', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Audited');
    const method = await addMethod(account, contact.id, { type: 'email', address: 'audited@x.test' });
    await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: method.id, use: 'report' } });
    await api.call('DELETE', `/v1/contacts/${contact.id}`, { token: account.token });
    const trail = await api.call('GET', '/v1/audit-events?resource=contact', { token: account.token });
    const mine = trail.body.items.filter((e) => e.resourceId === contact.id);
    expect(mine.map((e) => e.action)).toEqual(['delete', 'update', 'update', 'create']);
    expect(mine[2]?.fields?.methods?.to).toEqual([method]);
  });
});

describe('Every user has a contact', () => {
  it('gives the first administrator a contact for all companies with their email address', async () => {
    const account = await signUpAccount(api);
    const contact = await contactOfUser(account, account.adminId);
    expect(contact).toMatchObject({
      name: 'Ada Admin',
      kind: 'user',
      userId: account.adminId,
      companies: 'all',
      methods: [{ id: expect.any(String), type: 'email', address: account.adminEmail, label: null }],
    });
  });

  it("gives a new technician a contact for the technician's companies", async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    expect(await contactOfUser(account, tech.id)).toMatchObject({
      name: 'Sam Staff',
      kind: 'user',
      companies: [account.defaultCompanyId],
      methods: [{ type: 'email', address: tech.email }],
    });
  });

  it('follows the user’s own change of name and email through /v1/me', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const before = await contactOfUser(account, tech.id);
    await api.call('PATCH', '/v1/me', { token: tech.token, body: { firstName: 'Aaron', email: `aaron-${tech.email}` } });
    const after = await contactOfUser(account, tech.id);
    expect(after).toMatchObject({ id: before.id, name: 'Aaron Staff', methods: [{ id: before.methods[0]!.id, address: `aaron-${tech.email}` }] });
    const list = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token });
    expect(names(list)).toEqual(['Aaron Staff', 'Ada Admin']);
  });

  it('merges an extra email method that becomes the user’s own address, keeping its rules', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const contact = await contactOfUser(account, tech.id);
    const extra = await addMethod(account, contact.id, { type: 'email', address: 'private@x.test' });
    await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: extra.id, use: 'report' } });
    await api.call('PATCH', '/v1/me', { token: tech.token, body: { email: 'Private@x.test' } });
    const after = await contactOfUser(account, tech.id);
    expect(after.methods).toEqual([{ id: contact.methods[0]!.id, type: 'email', address: 'Private@x.test', label: null }]);
    expect(after.rules).toMatchObject([{ methodId: contact.methods[0]!.id, use: 'report' }]);
  });

  it("refuses to rename, re-scope or delete a user's contact through /v1/contacts (403)", async () => {
    const account = await signUpAccount(api);
    const contact = await contactOfUser(account, account.adminId);
    for (const body of [{ name: 'Someone else' }, { companies: [account.defaultCompanyId] }]) {
      const res = await api.call('PATCH', `/v1/contacts/${contact.id}`, { token: account.token, body });
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe('forbidden');
    }
    expect((await api.call('DELETE', `/v1/contacts/${contact.id}`, { token: account.token })).status).toBe(403);
    expect((await contactOfUser(account, account.adminId)).name).toBe('Ada Admin');
  });

  it("refuses to change or delete the email method that carries the user's address (403), but lets administrators add others", async () => {
    const account = await signUpAccount(api);
    const contact = await contactOfUser(account, account.adminId);
    const own = contact.methods[0]!.id;
    const path = `/v1/contacts/${contact.id}/methods/${own}` as const;
    expect((await api.call('PATCH', path, { token: account.token, body: { address: 'other@x.test' } })).status).toBe(403);
    expect((await api.call('DELETE', path, { token: account.token })).status).toBe(403);
    expect((await api.call('PATCH', path, { token: account.token, body: { label: 'Work' } })).body).toMatchObject({ label: 'Work' });
    const sms = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type: 'sms', address: '+4915112345678' } });
    expect(sms.status).toBe(201);
  });

  it('follows a change of company access and of role', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    await api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body: { companyIds: [other] } });
    expect((await contactOfUser(account, tech.id)).companies).toEqual([other]);
    expect(names(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token }))).toEqual(['Ada Admin']);
    await api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body: { role: 'administrator' } });
    expect((await contactOfUser(account, tech.id)).companies).toBe('all');
    expect(names(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token }))).toEqual(['Ada Admin', 'Sam Staff']);
  });

  it('goes when the user is deleted', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const contact = await contactOfUser(account, tech.id);
    await api.call('DELETE', `/v1/users/${tech.id}`, { token: account.token });
    expect((await api.call('GET', `/v1/contacts/${contact.id}`, { token: account.token })).status).toBe(404);
    expect(names(await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token }))).toEqual(['Ada Admin']);
  });
});

describe('Contact methods', () => {
  it('adds email, SMS and phone methods, writing numbers in E.164', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'On call');
    const email = await api.call('POST', `/v1/contacts/${contact.id}/methods`, {
      token: account.token,
      body: { type: 'email', address: 'oncall@x.test', label: 'Team' },
    });
    const sms = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type: 'sms', address: '+49 (151) 123-456.78' } });
    const phone = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type: 'phone', address: '+1 415 555 0100' } });
    expect([email.status, sms.status, phone.status]).toEqual([201, 201, 201]);
    expect(email.body).toEqual({ id: expect.any(String), type: 'email', address: 'oncall@x.test', label: 'Team' });
    expect(sms.body).toMatchObject({ type: 'sms', address: '+4915112345678', label: null });
    expect(phone.body.address).toBe('+14155550100');
    const stored = await api.call('GET', `/v1/contacts/${contact.id}`, { token: account.token });
    expect(stored.body.methods).toEqual([email.body, sms.body, phone.body]);
  });

  it.each([
    ['email', 'not-an-address'],
    ['sms', '0151 1234567'],
    ['phone', '+49 151 CALL ME'],
    ['sms', '+1234567'],
    ['phone', '+1234567890123456'],
  ])('refuses a %s method with address %s (400, naming the address)', async (type, address) => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Picky');
    const res = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type, address } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'address' }] });
  });

  it('refuses the same method twice on one contact (409), email addresses compared case-insensitively', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Twice');
    await addMethod(account, contact.id, { type: 'email', address: 'same@x.test' });
    await addMethod(account, contact.id, { type: 'sms', address: '+4915112345678' });
    const email = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type: 'email', address: 'SAME@x.test' } });
    const sms = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type: 'sms', address: '+49 151 12345678' } });
    expect([email.status, sms.status]).toEqual([409, 409]);
    const phone = await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token: account.token, body: { type: 'phone', address: '+4915112345678' } });
    expect(phone.status).toBe(201);
  });

  it('changes a method, checking the address against its type', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Changer');
    const method = await addMethod(account, contact.id, { type: 'email', address: 'old@x.test' });
    const path = `/v1/contacts/${contact.id}/methods/${method.id}` as const;
    expect((await api.call('PATCH', path, { token: account.token, body: { type: 'sms' } })).status).toBe(400);
    const res = await api.call('PATCH', path, { token: account.token, body: { type: 'phone', address: '+44 20 7946 0958', label: 'Desk' } });
    expect(res.body).toEqual({ id: method.id, type: 'phone', address: '+442079460958', label: 'Desk' });
    expect((await api.call('PATCH', `/v1/contacts/${contact.id}/methods/mth_nope`, { token: account.token, body: { label: 'x' } })).status).toBe(404);
  });

  it('deletes a method together with the rules that send to it', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Pruned');
    const email = await addMethod(account, contact.id, { type: 'email', address: 'keep@x.test' });
    const sms = await addMethod(account, contact.id, { type: 'sms', address: '+4915112345678' });
    await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: sms.id, use: 'alert', urgencies: ['critical'] } });
    const kept = await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: email.id, use: 'report' } });
    expect((await api.call('DELETE', `/v1/contacts/${contact.id}/methods/${sms.id}`, { token: account.token })).status).toBe(204);
    const after = await api.call('GET', `/v1/contacts/${contact.id}`, { token: account.token });
    expect(after.body.methods).toEqual([email]);
    expect(after.body.rules).toEqual([kept.body]);
  });
});

describe('Notification rules', () => {
  it('sends alerts of chosen urgencies to one method and reports to another', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Ruled');
    const email = await addMethod(account, contact.id, { type: 'email', address: 'ruled@x.test' });
    const sms = await addMethod(account, contact.id, { type: 'sms', address: '+4915112345678' });
    const alert = await api.call('POST', `/v1/contacts/${contact.id}/rules`, {
      token: account.token,
      body: { methodId: sms.id, use: 'alert', urgencies: ['critical', 'high', 'critical'] },
    });
    const report = await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: email.id, use: 'report' } });
    expect(alert.status).toBe(201);
    expect(alert.body).toEqual({ id: expect.any(String), methodId: sms.id, use: 'alert', urgencies: ['high', 'critical'] });
    expect(report.body).toEqual({ id: expect.any(String), methodId: email.id, use: 'report', urgencies: [] });
  });

  it('needs urgencies for an alert rule and none for a report rule', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Strict');
    const email = await addMethod(account, contact.id, { type: 'email', address: 'strict@x.test' });
    for (const body of [
      { methodId: email.id, use: 'alert' },
      { methodId: email.id, use: 'alert', urgencies: [] },
      { methodId: email.id, use: 'report', urgencies: ['low'] },
      { methodId: email.id, use: 'alert', urgencies: ['urgent'] },
    ]) {
      const res = await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body });
      expect(res.status).toBe(400);
      expect(res.body.error?.details[0]?.path).toMatch(/^urgencies/);
    }
  });

  it("refuses a rule that names another contact's method (400)", async () => {
    const account = await signUpAccount(api);
    const mine = await addContact(account, 'Mine');
    const theirs = await addContact(account, 'Theirs');
    const foreign = await addMethod(account, theirs.id, { type: 'email', address: 'theirs@x.test' });
    const res = await api.call('POST', `/v1/contacts/${mine.id}/rules`, { token: account.token, body: { methodId: foreign.id, use: 'report' } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details).toEqual([{ path: 'methodId', message: expect.any(String) }]);
  });

  it('deletes a rule', async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Unruled');
    const email = await addMethod(account, contact.id, { type: 'email', address: 'unruled@x.test' });
    const rule = await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: email.id, use: 'report' } });
    expect((await api.call('DELETE', `/v1/contacts/${contact.id}/rules/${rule.body.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/contacts/${contact.id}`, { token: account.token })).body.rules).toEqual([]);
    expect((await api.call('DELETE', `/v1/contacts/${contact.id}/rules/${rule.body.id}`, { token: account.token })).status).toBe(404);
  });
});

describe("A company's contacts", () => {
  it('lists the contacts with access to the company and every user with access to it, by name', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    await addContact(account, 'Everyone');
    await addContact(account, 'Only here', [account.defaultCompanyId]);
    await addContact(account, 'Only there', [other]);
    await addStaff(api, account, { companyIds: [other] });
    const tech = await addStaff(api, account);
    await api.call('PATCH', '/v1/me', { token: tech.token, body: { firstName: 'Bea', lastName: 'Tech' } });
    const res = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts`, { token: account.token });
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['Ada Admin', 'Bea Tech', 'Everyone', 'Only here']);
    expect(res.body.items.map((c) => c.kind)).toEqual(['user', 'user', 'contact', 'contact']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('includes contacts for all companies in a company created after them', async () => {
    const account = await signUpAccount(api);
    await addContact(account, 'Early bird');
    const later = await addCompany(api, account);
    expect(names(await api.call('GET', `/v1/companies/${later}/contacts`, { token: account.token }))).toEqual(['Ada Admin', 'Early bird']);
  });

  it('pages through the list with no repeats and no gaps', async () => {
    const account = await signUpAccount(api);
    const everywhere = ['b all', 'd all', 'f all', 'h all'];
    const here = ['a here', 'c here', 'e here', 'g here'];
    await Promise.all([...everywhere.map((n) => addContact(account, n)), ...here.map((n) => addContact(account, n, [account.defaultCompanyId]))]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { name: string }[]; nextCursor: string | null } } = await api.call(
        'GET',
        `/v1/companies/${account.defaultCompanyId}/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: account.token },
      );
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...names(res));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['a here', 'Ada Admin', 'b all', 'c here', 'd all', 'e here', 'f all', 'g here', 'h all']);
    expect(pages).toBe(3);
  });

  it("refuses a cursor from another company's list", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    await addContact(account, 'One');
    const first = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/contacts?limit=1`, { token: account.token });
    const res = await api.call('GET', `/v1/companies/${other}/contacts?cursor=${first.body.nextCursor}`, { token: account.token });
    expect(res.status).toBe(400);
  });

  it('is 404 for a company that does not exist or belongs to another account', async () => {
    const account = await signUpAccount(api);
    const stranger = await signUpAccount(api);
    expect((await api.call('GET', '/v1/companies/cmp_nope/contacts', { token: account.token })).status).toBe(404);
    expect((await api.call('GET', `/v1/companies/${stranger.defaultCompanyId}/contacts`, { token: account.token })).status).toBe(404);
  });

  it('loses a deleted company from the contacts scoped to it', async () => {
    const account = await signUpAccount(api);
    const doomed = await addCompany(api, account);
    const kept = await addCompany(api, account);
    const both = await addContact(account, 'Both', [doomed, kept]);
    const only = await addContact(account, 'Only doomed', [doomed]);
    const tech = await addStaff(api, account, { companyIds: [doomed, kept] });
    expect((await api.call('DELETE', `/v1/companies/${doomed}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/contacts/${both.id}`, { token: account.token })).body.companies).toEqual([kept]);
    expect((await api.call('GET', `/v1/contacts/${only.id}`, { token: account.token })).body.companies).toEqual([]);
    expect((await contactOfUser(account, tech.id)).companies).toEqual([kept]);
    expect(names(await api.call('GET', `/v1/companies/${kept}/contacts`, { token: account.token }))).toEqual(['Ada Admin', 'Both', 'Sam Staff']);
  });
});

describe('Technicians read contacts', () => {
  it('see contacts for all companies or one of theirs, and only the companies they share; others are 404', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const everywhere = await addContact(account, 'Everywhere');
    const shared = await addContact(account, 'Shared', [account.defaultCompanyId, other]);
    const hidden = await addContact(account, 'Hidden', [other]);
    const list = await api.call('GET', '/v1/contacts', { token: tech.token });
    expect(names(list)).toEqual(['Ada Admin', 'Everywhere', 'Sam Staff', 'Shared']);
    expect((await api.call('GET', `/v1/contacts/${shared.id}`, { token: tech.token })).body.companies).toEqual([account.defaultCompanyId]);
    expect((await api.call('GET', `/v1/contacts/${everywhere.id}`, { token: tech.token })).status).toBe(200);
    expect((await api.call('GET', `/v1/contacts/${hidden.id}`, { token: tech.token })).status).toBe(404);
    expect((await api.call('GET', `/v1/companies/${other}/contacts`, { token: tech.token })).status).toBe(404);
  });

  it('cannot change contacts (403)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const contact = await addContact(account, 'Untouchable');
    expect((await api.call('POST', '/v1/contacts', { token: tech.token, body: { name: 'Mine', companies: 'all' } })).status).toBe(403);
    expect((await api.call('PATCH', `/v1/contacts/${contact.id}`, { token: tech.token, body: { name: 'Mine' } })).status).toBe(403);
    const own = await contactOfUser(account, tech.id);
    const res = await api.call('POST', `/v1/contacts/${own.id}/methods`, { token: tech.token, body: { type: 'sms', address: '+4915112345678' } });
    expect(res.status).toBe(403);
  });
});

describe('Who receives alerts and reports', () => {
  it('sends an alert to the methods whose rules match its urgency, among everyone with access to the company', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const techContact = await contactOfUser(account, tech.id);
    const pager = await addContact(account, 'Pager', [account.defaultCompanyId]);
    const pagerSms = await addMethod(account, pager.id, { type: 'sms', address: '+4915112345678' });
    const elsewhere = await addContact(account, 'Elsewhere', [other]);
    const elsewhereSms = await addMethod(account, elsewhere.id, { type: 'sms', address: '+4915187654321' });
    const rule = (contactId: string, methodId: string, urgencies: string[]) =>
      api.call('POST', `/v1/contacts/${contactId}/rules`, { token: account.token, body: { methodId, use: 'alert', urgencies } });
    await rule(pager.id, pagerSms.id, ['critical']);
    await rule(techContact.id, techContact.methods[0]!.id, ['high', 'critical']);
    await rule(elsewhere.id, elsewhereSms.id, ['critical']);

    const critical = await alertRecipients(account.accountId, account.defaultCompanyId, 'critical');
    expect(critical).toEqual([
      { contactId: pager.id, methodId: pagerSms.id, type: 'sms', address: '+4915112345678' },
      { contactId: techContact.id, methodId: techContact.methods[0]!.id, type: 'email', address: tech.email },
    ]);
    expect(await alertRecipients(account.accountId, account.defaultCompanyId, 'low')).toEqual([]);
  });

  it('follows changes of rules, methods and company access', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const techContact = await contactOfUser(account, tech.id);
    const rule = await api.call('POST', `/v1/contacts/${techContact.id}/rules`, {
      token: account.token,
      body: { methodId: techContact.methods[0]!.id, use: 'alert', urgencies: ['critical'] },
    });
    const pager = await addContact(account, 'Pager');
    const pagerSms = await addMethod(account, pager.id, { type: 'sms', address: '+4915112345678' });
    await api.call('POST', `/v1/contacts/${pager.id}/rules`, { token: account.token, body: { methodId: pagerSms.id, use: 'alert', urgencies: ['critical'] } });
    const recipients = async (companyId: string) => (await alertRecipients(account.accountId, companyId, 'critical')).map((r) => r.contactId);

    expect(await recipients(other)).toEqual([pager.id]);
    await api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body: { companyIds: [account.defaultCompanyId, other] } });
    expect(await recipients(other)).toEqual([pager.id, techContact.id]);

    await api.call('DELETE', `/v1/contacts/${techContact.id}/rules/${rule.body.id}`, { token: account.token });
    await api.call('DELETE', `/v1/contacts/${pager.id}/methods/${pagerSms.id}`, { token: account.token });
    expect(await recipients(other)).toEqual([]);
    expect(await recipients(account.defaultCompanyId)).toEqual([]);
  });

  it("sends a contact's reports to the methods with a report rule", async () => {
    const account = await signUpAccount(api);
    const contact = await addContact(account, 'Reader');
    const email = await addMethod(account, contact.id, { type: 'email', address: 'reader@x.test' });
    const sms = await addMethod(account, contact.id, { type: 'sms', address: '+4915112345678' });
    await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: email.id, use: 'report' } });
    await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token: account.token, body: { methodId: sms.id, use: 'alert', urgencies: ['low'] } });
    expect(await reportRecipients(account.accountId, contact.id)).toEqual([
      { contactId: contact.id, methodId: email.id, type: 'email', address: 'reader@x.test' },
    ]);
  });
});
