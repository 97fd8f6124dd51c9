import { randomUUID } from 'node:crypto';
import { requireStatus, type RawResponse, type TestApi } from './api.js';
import { signUpAccount, type SignedUpAccount } from './fixtures.js';

/** SCIM's URNs (RFC 7643/7644) and the request shapes Microsoft's SCIM guide shows Entra ID sending. */
export const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const enterpriseSchema = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const patchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const listSchema = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimUserBody {
  schemas: string[];
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  name: { givenName: string; familyName: string };
  emails: { value: string; type?: string; primary?: boolean }[];
  [enterpriseSchema]?: Record<string, unknown>;
  meta: { location: string; resourceType: string };
}

export interface ScimGroupBody {
  id: string;
  displayName: string;
  externalId?: string;
  members?: { value: string }[];
  meta: { location: string };
}

export interface ListBody<T> {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

export const asUser = (res: RawResponse) => res.body as ScimUserBody;
export const asGroup = (res: RawResponse) => res.body as ScimGroupBody;
export const asUsers = (res: RawResponse) => res.body as ListBody<ScimUserBody>;
export const asGroups = (res: RawResponse) => res.body as ListBody<ScimGroupBody>;
export const memberIdsOf = (res: RawResponse) => (asGroup(res).members ?? []).map((m) => m.value).sort();

export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`;

/** A SCIM client of the API: requests under `/scim/v2` with SCIM's media type. */
export function scimClient(api: TestApi) {
  const scim = (token: string, method: string, path: string, body?: unknown) =>
    api.callRaw(method, `/scim/v2${path}`, { token, ...(body !== undefined && { body, headers: { 'content-type': 'application/scim+json' } }) });

  async function scimToken(account: SignedUpAccount, companyId = account.defaultCompanyId): Promise<string> {
    const res = requireStatus(
      await api.call('POST', '/v1/scim-tokens', { token: account.token, body: { companyId, description: 'Entra ID' } }),
      201,
      'SCIM token',
    );
    return res.body.token;
  }

  const patch = (token: string, path: string, Operations: unknown[]) => scim(token, 'PATCH', path, { schemas: [patchSchema], Operations });

  async function createUser(token: string, body: unknown): Promise<ScimUserBody> {
    return asUser(requireStatus(await scim(token, 'POST', '/Users', body), 201, 'SCIM user'));
  }

  /** A fresh account with a SCIM token for its Default company and `users` provisioned Users. */
  async function directory(users = 3) {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const ids: string[] = [];
    for (let i = 0; i < users; i++) ids.push((await createUser(token, entraUser(`member${i}-${randomUUID()}@example.com`))).id);
    return { account, token, ids };
  }

  return { scim, scimToken, patch, createUser, directory };
}

/** A user as Entra ID's provisioning service creates one (Microsoft's SCIM guide, "Create User"). */
export const entraUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [userSchema, enterpriseSchema],
  externalId: `ext-${randomUUID()}`,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: userName }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'Young', givenName: 'Jenny' },
  roles: [],
  ...extra,
});

/** A group as Entra ID creates one (Microsoft's SCIM guide, "Create Group": no members yet). */
export const entraGroup = (displayName: string, members: string[] = [], externalId: string = randomUUID()) => ({
  schemas: [groupSchema, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId,
  displayName,
  members: members.map((value) => ({ value })),
  meta: { resourceType: 'Group' },
});
