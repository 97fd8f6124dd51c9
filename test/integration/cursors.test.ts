import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';

const api = useApi();

const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The lists these tests page through. */
type ListPath = '/v1/users' | '/v1/companies' | '/v1/tickets' | '/v1/end-users' | `/v1/companies/${string}/contacts`;

/** A real cursor of the list, from a first page of one item. */
async function realCursor(account: SignedUpAccount, path: ListPath): Promise<Record<string, unknown>> {
  const res = await api.call('GET', `${path}?limit=1`, { token: account.token });
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toEqual(expect.any(String));
  return decode(res.body.nextCursor!);
}

/** Tampered variants of a DynamoDB key cursor, by what is wrong with them. */
function tampered(key: Record<string, unknown>): Record<string, string> {
  const names = Object.keys(key);
  const sortKeys = names.filter((n) => n.endsWith('sk'));
  const partitionKeys = names.filter((n) => n.endsWith('pk'));
  const without = Object.fromEntries(names.filter((n) => n !== sortKeys.at(-1)).map((n) => [n, key[n]]));
  return {
    'not base64': '!!!not*base64~~',
    'not JSON': encode('{"pk": "A#'),
    'an extra attribute': encode({ ...key, isAdmin: 'true' }),
    'a missing sort key': encode(without),
    'a number where a string belongs': encode({ ...key, [sortKeys[0]!]: 42 }),
    'another partition': encode({ ...key, ...Object.fromEntries(partitionKeys.map((n) => [n, 'A#someone-else#USERS'])) }),
    'a key over DynamoDB size limits': encode({ ...key, [sortKeys[0]!]: 'x'.repeat(1100) }),
    'a huge value': 'A'.repeat(5000),
    'an empty key': encode({}),
    'JSON that is not a key': encode([1, 2, 3]),
  };
}

async function expectCursorRefused(account: SignedUpAccount, path: ListPath, cursors: Record<string, string>) {
  for (const [kind, cursor] of Object.entries(cursors)) {
    const res = await api.call('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { token: account.token });
    expect(res.status, `${path} with ${kind}`).toBe(400);
    expect(res.body.error?.code).toBe('validation_failed');
    expect(res.body.error?.details.map((d) => d.path)).toEqual(['cursor']);
  }
}

describe('A tampered cursor is a bad request, never a server error', () => {
  it('refuses tampered cursors on lists read from the table and from indexes', async () => {
    const account = await signUpAccount(api);
    await addStaff(api, account);
    await addCompany(api, account);
    for (const requesterEmail of ['a@x.test', 'b@x.test']) {
      await api.call('POST', '/v1/tickets', {
        token: account.token,
        body: { companyId: account.defaultCompanyId, subject: 'VPN', description: 'Down.', requesterEmail },
      });
    }
    for (const path of ['/v1/users', '/v1/companies', '/v1/tickets', '/v1/end-users'] as const) {
      await expectCursorRefused(account, path, tampered(await realCursor(account, path)));
    }
    // Users are a sort-key range of the account's partition; a position outside it is no position.
    const users = await realCursor(account, '/v1/users');
    await expectCursorRefused(account, '/v1/users', { 'a key outside the listed range': encode({ ...users, sk: '~~~' }) });
  });

  it("refuses tampered cursors on a company's contacts", async () => {
    const account = await signUpAccount(api);
    await addStaff(api, account);
    const path = `/v1/companies/${account.defaultCompanyId}/contacts` as const;
    const real = await realCursor(account, path);
    await expectCursorRefused(account, path, {
      'not base64': '!!!not*base64~~',
      'not JSON': encode('{"after'),
      'JSON null': encode('null'),
      'a number where a string belongs': encode({ ...real, after: 42 }),
      'a missing position': encode({ companyId: real.companyId }),
      'another company': encode({ ...real, companyId: 'cmp_other' }),
      'an empty position': encode({ ...real, after: '' }),
      'a position over DynamoDB size limits': encode({ ...real, after: 'x'.repeat(1100) }),
    });
  });
});
