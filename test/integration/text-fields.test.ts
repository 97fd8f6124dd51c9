import { describe, expect, it } from 'vitest';
import { useApi, type ApiResponse } from '../support/api.js';
import { password, signUpAccount, uniqueSlug } from '../support/fixtures.js';

const api = useApi();

/** 400 validation_failed naming exactly that field. */
function expectRefused(res: ApiResponse, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body?.error?.code).toBe('validation_failed');
  expect(res.body?.error?.details.map((d) => d.path)).toContain(path);
}

describe('One-line texts refuse control characters', () => {
  it('refuses a portal title carrying header lines', async () => {
    const account = await signUpAccount(api);
    const slug = uniqueSlug('portal');
    const res = await api.call('PUT', `/v1/companies/${account.defaultCompanyId}/portal`, {
      token: account.token,
      body: { slug, title: 'Help\r\nBcc: victim@evil.test', enabled: true, supportEmail: `help@${slug}.test` },
    });
    expectRefused(res, 'title');
  });

  it('refuses line breaks, escapes and DEL in names, subjects and labels', async () => {
    const account = await signUpAccount(api);
    const { token, defaultCompanyId: companyId } = account;
    expectRefused(await api.call('POST', '/v1/companies', { token, body: { name: 'Acme\x7f' } }), 'name');
    expectRefused(
      await api.call('POST', '/v1/users', {
        token,
        body: { email: `u@${account.slug}.test`, password, firstName: 'Sam\x1b[31m', lastName: 'Staff', role: 'technician', companyIds: [companyId] },
      }),
      'firstName',
    );
    expectRefused(
      await api.call('POST', '/v1/tickets', { token, body: { companyId, subject: 'VPN\ndown', description: 'Down.', requesterEmail: 'a@x.test' } }),
      'subject',
    );
    expectRefused(await api.call('POST', '/v1/devices', { token, body: { name: 'PC\x00', companyIds: [companyId], kind: 'workstation' } }), 'name');
    const contact = await api.call('POST', '/v1/contacts', { token, body: { name: 'On call', companies: 'all' } });
    expect(contact.status).toBe(201);
    expectRefused(
      await api.call('POST', `/v1/contacts/${contact.body.id}/methods`, { token, body: { type: 'email', address: 'oncall@x.test', label: 'Work\tmail' } }),
      'label',
    );
    expectRefused(await api.call('POST', '/v1/end-user-groups', { token, body: { name: 'Group\r' } }), 'name');
    expectRefused(await api.call('PATCH', '/v1/account', { token, body: { name: 'Acme\nInc' } }), 'name');
  });

  it('still accepts ordinary names with their surrounding spaces trimmed', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/companies', { token: account.token, body: { name: '  Müller & Söhne GmbH  ' } });
    expect(res).toMatchObject({ status: 201, body: { name: 'Müller & Söhne GmbH' } });
  });
});

describe('Multi-line texts allow line breaks and tabs only', () => {
  it('keeps line breaks and tabs in a ticket description and a message', async () => {
    const account = await signUpAccount(api);
    const description = 'Steps:\r\n\t1. Connect\n\t2. Fail';
    const ticket = await api.call('POST', '/v1/tickets', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, subject: 'VPN down', description, requesterEmail: 'a@x.test' },
    });
    expect(ticket.status).toBe(201);
    const added = await api.call('POST', `/v1/tickets/${ticket.body.id}/messages`, { token: account.token, body: { body: 'Line one\nLine two' } });
    expect(added).toMatchObject({ status: 201, body: { body: 'Line one\nLine two' } });
  });

  it('refuses other control characters in descriptions and bodies', async () => {
    const account = await signUpAccount(api);
    const { token, defaultCompanyId: companyId } = account;
    expectRefused(
      await api.call('POST', '/v1/tickets', { token, body: { companyId, subject: 'VPN', description: 'Bell\x07', requesterEmail: 'a@x.test' } }),
      'description',
    );
    const ticket = await api.call('POST', '/v1/tickets', { token, body: { companyId, subject: 'VPN', description: 'Down.', requesterEmail: 'a@x.test' } });
    expectRefused(await api.call('POST', `/v1/tickets/${ticket.body.id}/messages`, { token, body: { body: 'Hi\x00there' } }), 'body');
    expectRefused(await api.call('POST', '/v1/companies', { token, body: { name: 'Acme', description: 'Esc\x1b' } }), 'description');
  });
});
