import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { setPasswordToken } from '../support/service-desk.js';
import { db } from '../../shared/db/client.js';

const api = useApi();

describe('End users of weak association', () => {
  it('creates one with the name staff give, or derives it from the address', async () => {
    const account = await signUpAccount(api);
    const named = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'cj@myorg.org', firstName: 'Claire', lastName: 'Johnson', companyId: account.defaultCompanyId },
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ firstName: 'Claire', lastName: 'Johnson', association: 'weak', groupIds: [] });
    const derived = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'anna.maria.schmidt@x.de', companyId: account.defaultCompanyId },
    });
    expect(derived.body).toMatchObject({ firstName: 'Anna', lastName: 'Maria Schmidt' });
  });

  it('keeps emails unique per account, case-insensitively, across users and end users', async () => {
    const account = await signUpAccount(api);
    await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'Someone@X.test', companyId: account.defaultCompanyId } });
    const dup = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'someone@x.test', companyId: account.defaultCompanyId } });
    expect(dup.status).toBe(409);
    const staffDup = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: account.adminEmail, companyId: account.defaultCompanyId },
    });
    expect(staffDup.status).toBe(409);
  });

  it('creates exactly one end user when ten requests for one address arrive at once', async () => {
    const account = await signUpAccount(api);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.call('POST', '/v1/end-users', {
          token: account.token,
          body: { email: i % 2 ? 'race@x.test' : 'RACE@x.test', companyId: account.defaultCompanyId },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it('finds one by address, case-insensitively', async () => {
    const account = await signUpAccount(api);
    const created = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'find.me@x.test', companyId: account.defaultCompanyId } });
    const found = await api.call('GET', '/v1/end-users?email=FIND.ME@x.test', { token: account.token });
    expect(found.body.items.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
  });

  it('creates many at once in bulk, telling new ones from existing ones', async () => {
    const account = await signUpAccount(api);
    await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'old@x.test', firstName: 'Old', lastName: 'Timer', companyId: account.defaultCompanyId },
    });
    const res = await api.call('POST', '/v1/end-users/bulk', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, items: [{ email: 'old@x.test' }, { email: 'new.person@x.test' }, { email: 'NEW.person@x.test' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.created.map((e: { email: string }) => e.email)).toEqual(['new.person@x.test']);
    expect(res.body.existing.map((e: { firstName: string }) => e.firstName)).toEqual(['Old']);
  });

  it('refuses a company or group of another account (404) and creates nothing', async () => {
    const account = await signUpAccount(api);
    const other = await signUpAccount(api);
    const group = await api.call('POST', '/v1/end-user-groups', { token: other.token, body: { name: 'Theirs' } });
    const foreignCompany = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'fc@x.test', companyId: other.defaultCompanyId } });
    expect(foreignCompany.status).toBe(404);
    expect(foreignCompany.body.error?.code).toBe('not_found');
    const foreignGroup = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'fg@x.test', companyId: account.defaultCompanyId, groupIds: [group.body.id] },
    });
    expect(foreignGroup.status).toBe(404);
    for (const email of ['fc@x.test', 'fg@x.test']) expect(await endUsersWithEmail(account, email)).toEqual([]);
  });

  it("shows technicians only their companies' end users", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const hidden = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'h@x.test', companyId: other } });
    expect((await api.call('GET', `/v1/end-users/${hidden.body.id}`, { token: tech.token })).status).toBe(404);
    expect((await api.call('GET', '/v1/end-users', { token: tech.token })).body.items).toEqual([]);
  });
});

const endUsersWithEmail = async (account: SignedUpAccount, email: string) =>
  (await api.call('GET', `/v1/end-users?email=${encodeURIComponent(email)}`, { token: account.token })).body.items as { id: string }[];

describe('Bulk creation of end users', () => {
  it('creates all of them or none: one item that cannot be created fails the request, naming that item', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/end-users/bulk', {
      token: account.token,
      body: {
        companyId: account.defaultCompanyId,
        items: [{ email: 'first@x.test' }, { email: 'second@x.test' }, { email: account.adminEmail }, { email: 'fourth@x.test' }],
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error?.details.map((d) => d.path)).toEqual(['items.2.email']);
    for (const email of ['first@x.test', 'second@x.test', 'fourth@x.test']) expect(await endUsersWithEmail(account, email)).toEqual([]);
  });

  it('creates 100 at once, more than one transaction holds', async () => {
    const account = await signUpAccount(api);
    const items = Array.from({ length: 100 }, (_, i) => ({ email: `many${i}@x.test` }));
    const res = await api.call('POST', '/v1/end-users/bulk', { token: account.token, body: { companyId: account.defaultCompanyId, items } });
    expect(res.status).toBe(200);
    expect(res.body.created).toHaveLength(100);
    expect(await endUsersWithEmail(account, 'many99@x.test')).toHaveLength(1);
  });

  it('undoes what it wrote when a later write loses a race, and writes nothing', async () => {
    const account = await signUpAccount(api);
    const items = Array.from({ length: 60 }, (_, i) => ({ email: `racer${i}@x.test` }));
    // Someone else takes item 59's address between the first and the second transaction (the
    // handlers run in this process, with this client).
    const { send } = db;
    let transactions = 0;
    const isTransaction = (command: { input: object }) => 'TransactItems' in command.input;
    const spy = vi.spyOn(db, 'send').mockImplementation((async (command: { input: object }) => {
      if (isTransaction(command) && ++transactions === 2) {
        spy.mockRestore();
        await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'racer59@x.test', companyId: account.defaultCompanyId } });
      }
      return send(command as never);
    }) as never);
    try {
      const res = await api.call('POST', '/v1/end-users/bulk', { token: account.token, body: { companyId: account.defaultCompanyId, items } });
      expect(res.status).toBe(409);
      expect(res.body.error?.details.map((d) => d.path)).toEqual(['items.59.email']);
    } finally {
      spy.mockRestore();
    }
    expect(transactions).toBe(2);
    for (const email of ['racer0@x.test', 'racer32@x.test', 'racer40@x.test']) expect(await endUsersWithEmail(account, email)).toEqual([]);
    expect(await endUsersWithEmail(account, 'racer59@x.test')).toHaveLength(1);
    const audit = await api.call('GET', '/v1/audit-events?resource=end_user', { token: account.token });
    expect(audit.body.items).toHaveLength(1);
  });

  it("refuses another account's or an unknown company (404)", async () => {
    const account = await signUpAccount(api);
    const other = await signUpAccount(api);
    for (const companyId of [other.defaultCompanyId, 'cmp_unknown']) {
      const res = await api.call('POST', '/v1/end-users/bulk', { token: account.token, body: { companyId, items: [{ email: 'nowhere@x.test' }] } });
      expect(res.status, companyId).toBe(404);
    }
    expect(await endUsersWithEmail(account, 'nowhere@x.test')).toEqual([]);
  });
});

describe('End users of strong association', () => {
  it('sends a set-password email whose single-use link lets them sign in', async () => {
    const account = await signUpAccount(api);
    const email = 'strong.user@x.test';
    const created = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email, association: 'strong', companyId: account.defaultCompanyId },
    });
    expect(created.status).toBe(201);
    const token = await setPasswordToken(api, email);

    expect((await api.call('POST', '/v1/auth/set-password', { body: { token, password } })).status).toBe(204);
    const again = await api.call('POST', '/v1/auth/set-password', { body: { token, password: 'another password here' } });
    expect(again.status).toBe(400);

    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } });
    expect(login.status).toBe(200);
    const me = await api.call('GET', '/v1/me', { token: login.body.token });
    expect(me.body).toMatchObject({ id: created.body.id, association: 'strong' });
  });

  it('sends a new link on invitation, and earlier links die', async () => {
    const account = await signUpAccount(api);
    const email = 'invited@x.test';
    const created = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email, association: 'strong', companyId: account.defaultCompanyId },
    });
    const first = await setPasswordToken(api, email);
    const invitation = await api.call('POST', `/v1/end-users/${created.body.id}/invitation`, { token: account.token });
    expect(invitation.status).toBe(204);
    const second = await setPasswordToken(api, email);
    expect(second).not.toBe(first);
    expect((await api.call('POST', '/v1/auth/set-password', { body: { token: first, password } })).status).toBe(400);
    expect((await api.call('POST', '/v1/auth/set-password', { body: { token: second, password } })).status).toBe(204);
  });

  it('invites only strong end users (409 for a weak one)', async () => {
    const account = await signUpAccount(api);
    const weak = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'not.invited@x.test', companyId: account.defaultCompanyId } });
    const res = await api.call('POST', `/v1/end-users/${weak.body.id}/invitation`, { token: account.token });
    expect(res.status).toBe(409);
    expect((await api.call('POST', '/v1/end-users/eu_unknown/invitation', { token: account.token })).status).toBe(404);
  });

  it('kills an unused link when the end user’s email changes', async () => {
    const account = await signUpAccount(api);
    const created = await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'before@x.test', association: 'strong', companyId: account.defaultCompanyId },
    });
    const token = await setPasswordToken(api, 'before@x.test');
    await api.call('PATCH', `/v1/end-users/${created.body.id}`, { token: account.token, body: { email: 'after@x.test' } });
    expect((await api.call('POST', '/v1/auth/set-password', { body: { token, password } })).status).toBe(400);
  });

  it('refuses a forged or mangled link', async () => {
    const account = await signUpAccount(api);
    for (const token of [`${account.accountId}.forged-secret-value`, 'no-dot-at-all-here', `acc_unknown.${'x'.repeat(40)}`]) {
      expect((await api.call('POST', '/v1/auth/set-password', { body: { token, password } })).status).toBe(400);
    }
  });

  it('keeps an end user without a password out', async () => {
    const account = await signUpAccount(api);
    await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'weak@x.test', companyId: account.defaultCompanyId } });
    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: 'weak@x.test', password } });
    expect(login.status).toBe(401);
  });

  it('gives a signed-in end user no access to staff routes', async () => {
    const account = await signUpAccount(api);
    await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'portal.user@x.test', association: 'strong', companyId: account.defaultCompanyId },
    });
    await api.call('POST', '/v1/auth/set-password', { body: { token: await setPasswordToken(api, 'portal.user@x.test'), password } });
    const token = (await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: 'portal.user@x.test', password } })).body.token;
    for (const path of ['/v1/users', '/v1/companies', '/v1/end-users', '/v1/queue', '/v1/account'] as const) {
      expect((await api.call('GET', path, { token })).status, path).toBe(403);
    }
  });
});

describe('End-user groups', () => {
  it('creates groups and adds and removes members', async () => {
    const account = await signUpAccount(api);
    const group = await api.call('POST', '/v1/end-user-groups', { token: account.token, body: { name: 'VIPs' } });
    expect(group.status).toBe(201);
    const eu = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'vip@x.test', companyId: account.defaultCompanyId } });

    const added = await api.call('PUT', `/v1/end-user-groups/${group.body.id}/members/${eu.body.id}`, { token: account.token });
    expect(added.body.groupIds).toEqual([group.body.id]);
    const members = await api.call('GET', `/v1/end-user-groups/${group.body.id}/members`, { token: account.token });
    expect(members.body.items.map((m: { id: string }) => m.id)).toEqual([eu.body.id]);

    expect((await api.call('DELETE', `/v1/end-user-groups/${group.body.id}/members/${eu.body.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/end-user-groups/${group.body.id}/members`, { token: account.token })).body.items).toEqual([]);
    expect((await api.call('GET', '/v1/end-user-groups', { token: account.token })).body.items.map((g: { name: string }) => g.name)).toEqual(['VIPs']);
  });

  it('refuses an unknown group', async () => {
    const account = await signUpAccount(api);
    const eu = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'x@x.test', companyId: account.defaultCompanyId } });
    expect((await api.call('PUT', `/v1/end-user-groups/grp_nope/members/${eu.body.id}`, { token: account.token })).status).toBe(404);
  });
});
