import { randomUUID } from 'node:crypto';
import type { OutboxItem } from '../../local/stand-ins.js';
import type { SigningKey, TeamsMessageInput } from '../../local/bot-framework.js';
import { requireStatus, type TestApi } from './api.js';
import { uniqueSlug, type SignedUpAccount } from './fixtures.js';

/** A Microsoft 365 tenant id nobody has linked yet. */
export const newTenantId = () => randomUUID();

/** Links a (new) tenant to the company and returns its id. */
export async function linkTeamsTenant(api: TestApi, account: SignedUpAccount, companyId = account.defaultCompanyId, tenantId = newTenantId()) {
  requireStatus(await api.call('PUT', `/v1/companies/${companyId}/teams`, { token: account.token, body: { tenantId } }), 200, 'link tenant');
  return tenantId;
}

export type TeamsUser = TeamsMessageInput['user'];

/** A Teams user of a tenant, as Entra knows them. */
export const teamsUser = (overrides: Partial<TeamsUser> = {}): TeamsUser => ({
  aadObjectId: randomUUID(),
  email: `${uniqueSlug('megan')}@contoso.test`,
  givenName: 'Megan',
  surname: 'Bowen',
  ...overrides,
});

export interface Delivered {
  /** The messaging endpoint's status. */
  status: number;
  conversationId: string;
  activityId: string;
  /** The messaging endpoint's DynamoDB cost (`roundTrips=…; rcu=…; wcu=…`). */
  dynamodb: string | null;
}

/** The Bot Framework stand-in delivers a chat message to the messaging endpoint, signed as Teams signs it. */
export async function sendTeamsMessage(api: TestApi, input: TeamsMessageInput): Promise<Delivered> {
  const res = await api.callRaw('POST', '/_local/teams/messages', { body: input });
  const body = requireStatus(res, 200, 'deliver a Teams message').body as Omit<Delivered, 'dynamodb'>;
  return { ...body, dynamodb: res.headers.get('x-local-ddb') };
}

/** The Bot Framework stand-in tells the messaging endpoint that a user added the app (a personal install). */
export async function installTeamsApp(api: TestApi, input: Omit<TeamsMessageInput, 'text'>): Promise<Delivered> {
  const res = await api.callRaw('POST', '/_local/teams/install', { body: input });
  const body = requireStatus(res, 200, 'install the Teams app').body as Omit<Delivered, 'dynamodb'>;
  return { ...body, dynamodb: res.headers.get('x-local-ddb') };
}

export interface TokenOverrides {
  aud?: string;
  iss?: string;
  expiresInSeconds?: number;
  serviceurl?: string;
  key?: SigningKey;
}

/** A token signed by the stand-in with these claims overridden, and the connector's serviceUrl it is for by default. */
export async function botFrameworkToken(api: TestApi, overrides: TokenOverrides = {}): Promise<{ token: string; serviceUrl: string }> {
  return requireStatus(await api.callRaw('POST', '/_local/teams/token', { body: overrides }), 200, 'token').body as { token: string; serviceUrl: string };
}

/** What the bot posted into a conversation, newest first. */
export async function postedTo(api: TestApi, conversationId: string): Promise<OutboxItem[]> {
  const { items } = (await api.callRaw('GET', '/_local/outbox')).body as { items: OutboxItem[] };
  return items.filter((m) => m.channel === 'teams' && m.to.includes(conversationId));
}
