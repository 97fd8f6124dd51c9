import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { effectiveSettings } from '../../shared/settings/settings.js';

const api = useApi();

const defaults = {
  sessionRecording: false,
  language: 'en',
  timezone: 'UTC',
  queueAlertAfterMinutes: 15,
  portalLiveConnect: true,
  ticketAutoCloseDays: 7,
};

describe('Account settings', () => {
  it('start with the defaults, readable by every staff member', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const res = await api.call('GET', '/v1/settings', { token: tech.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(defaults);
  });

  it('change only the settings an administrator names, time zones written canonically', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('PATCH', '/v1/settings', { token: account.token, body: { language: 'de', timezone: 'europe/berlin', sessionRecording: true } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...defaults, language: 'de', timezone: 'Europe/Berlin', sessionRecording: true });
    const again = await api.call('PATCH', '/v1/settings', { token: account.token, body: { queueAlertAfterMinutes: 1440 } });
    expect(again.body).toEqual({ ...res.body, queueAlertAfterMinutes: 1440 });
    expect((await api.call('GET', '/v1/settings', { token: account.token })).body).toEqual(again.body);
  });

  it.each([
    [{ language: 'xx' }, 'language'],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ timezone: '+01:00' }, 'timezone'],
    [{ queueAlertAfterMinutes: 0 }, 'queueAlertAfterMinutes'],
    [{ queueAlertAfterMinutes: 1441 }, 'queueAlertAfterMinutes'],
    [{ queueAlertAfterMinutes: 2.5 }, 'queueAlertAfterMinutes'],
    [{ queueAlertAfterMinutes: '15' }, 'queueAlertAfterMinutes'],
    [{ sessionRecording: 'yes' }, 'sessionRecording'],
    [{ colourScheme: 'dark' }, 'colourScheme'],
  ])('refuses %j (400, naming %s) and changes nothing', async (body, path) => {
    const account = await signUpAccount(api);
    const res = await api.call('PATCH', '/v1/settings', { token: account.token, body: { language: 'fr', ...body } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path, message: expect.any(String) }] });
    expect((await api.call('GET', '/v1/settings', { token: account.token })).body).toEqual(defaults);
  });

  it('are changed by administrators only (403 for technicians)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    expect((await api.call('PATCH', '/v1/settings', { token: tech.token, body: { language: 'de' } })).status).toBe(403);
  });

  it('record every change in the audit trail', async () => {
    const account = await signUpAccount(api);
    await api.call('PATCH', '/v1/settings', { token: account.token, body: { language: 'ja' } });
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { language: 'zh' } });
    const trail = await api.call('GET', '/v1/audit-events?resource=settings', { token: account.token });
    expect(trail.body.items).toMatchObject([
      { resourceId: account.defaultCompanyId, action: 'update', fields: { language: { from: null, to: 'zh' } } },
      { resourceId: account.accountId, action: 'update', fields: { language: { from: 'en', to: 'ja' } } },
    ]);
  });
});

describe('Company overrides', () => {
  it("start empty: a company's effective settings are the account's", async () => {
    const account = await signUpAccount(api);
    const res = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ overrides: {}, effective: defaults });
  });

  it('lie on top of the account settings for that company only', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const res = await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, {
      token: account.token,
      body: { sessionRecording: true, timezone: 'America/New_York' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      overrides: { sessionRecording: true, timezone: 'America/New_York' },
      effective: { ...defaults, sessionRecording: true, timezone: 'America/New_York' },
    });
    expect((await api.call('GET', `/v1/companies/${other}/settings`, { token: account.token })).body.effective).toEqual(defaults);
  });

  it('let a change of an account setting reach every company that does not override it', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    await api.call('PATCH', `/v1/companies/${other}/settings`, { token: account.token, body: { language: 'it' } });
    await api.call('PATCH', '/v1/settings', { token: account.token, body: { language: 'nl', queueAlertAfterMinutes: 30 } });
    const plain = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token });
    const overridden = await api.call('GET', `/v1/companies/${other}/settings`, { token: account.token });
    expect(plain.body.effective).toMatchObject({ language: 'nl', queueAlertAfterMinutes: 30 });
    expect(overridden.body.effective).toMatchObject({ language: 'it', queueAlertAfterMinutes: 30 });
    expect(await effectiveSettings(account.accountId, other)).toEqual(overridden.body.effective);
  });

  it("fall back to the account's value when set to null", async () => {
    const account = await signUpAccount(api);
    const path = `/v1/companies/${account.defaultCompanyId}/settings` as const;
    await api.call('PATCH', path, { token: account.token, body: { language: 'pt', portalLiveConnect: false } });
    const res = await api.call('PATCH', path, { token: account.token, body: { language: null } });
    expect(res.body).toEqual({ overrides: { portalLiveConnect: false }, effective: { ...defaults, portalLiveConnect: false } });
    const cleared = await api.call('PATCH', path, { token: account.token, body: { portalLiveConnect: null } });
    expect(cleared.body).toEqual({ overrides: {}, effective: defaults });
  });

  it.each([
    [{ ticketAutoCloseDays: 3 }, 'ticketAutoCloseDays', 'account-wide'],
    [{ language: 'klingon' }, 'language', ''],
    [{ queueAlertAfterMinutes: -5 }, 'queueAlertAfterMinutes', ''],
    [{ nightMode: true }, 'nightMode', 'Unknown'],
  ])('refuse %j (400, naming %s) and change nothing', async (body, path, message) => {
    const account = await signUpAccount(api);
    const url = `/v1/companies/${account.defaultCompanyId}/settings` as const;
    const res = await api.call('PATCH', url, { token: account.token, body: { sessionRecording: true, ...body } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path, message: expect.stringContaining(message) }] });
    expect((await api.call('GET', url, { token: account.token })).body.overrides).toEqual({});
  });

  it("are hidden (404) for a company outside a technician's access, another account's, or none at all", async () => {
    const account = await signUpAccount(api);
    const stranger = await signUpAccount(api);
    const hidden = await addCompany(api, account);
    const tech = await addStaff(api, account);
    expect((await api.call('GET', `/v1/companies/${account.defaultCompanyId}/settings`, { token: tech.token })).status).toBe(200);
    expect((await api.call('GET', `/v1/companies/${hidden}/settings`, { token: tech.token })).status).toBe(404);
    expect((await api.call('GET', `/v1/companies/${stranger.defaultCompanyId}/settings`, { token: account.token })).status).toBe(404);
    expect((await api.call('GET', '/v1/companies/cmp_nope/settings', { token: account.token })).status).toBe(404);
    const write = await api.call('PATCH', `/v1/companies/${stranger.defaultCompanyId}/settings`, { token: account.token, body: { language: 'de' } });
    expect(write.status).toBe(404);
  });

  it('go with a deleted company', async () => {
    const account = await signUpAccount(api);
    const doomed = await addCompany(api, account);
    await api.call('PATCH', `/v1/companies/${doomed}/settings`, { token: account.token, body: { language: 'es' } });
    expect((await api.call('DELETE', `/v1/companies/${doomed}`, { token: account.token })).status).toBe(204);
    expect((await effectiveSettings(account.accountId, doomed)).language).toBe('en');
  });
});
