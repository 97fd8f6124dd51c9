import { config } from '../config.js';
import { loadSecret } from '../clients/secrets.js';
import type { ConversationReference } from './entities.js';

/**
 * The Bot Connector API, as the bot calls it: its own token (client credentials at Microsoft's token
 * endpoint, cached until shortly before it expires), a conversation member's profile, and posting
 * a message into a conversation. Every call has a deadline: Teams waits 15 s for our answer.
 */

const botScope = 'https://api.botframework.com/.default';
const callTimeoutMs = 5_000;
/** A token is renewed this long before it expires, so none runs out in flight. */
const renewalMarginMs = 5 * 60_000;

export function teamsAppId(): string {
  if (!config.TEAMS_APP_ID) throw new Error('Teams is not configured: set TEAMS_APP_ID');
  return config.TEAMS_APP_ID;
}

let passwordPromise: Promise<string> | undefined;

/** The app's client secret, read once per cold start (a failed read is tried again by the next call, not remembered). */
function appPassword(): Promise<string> {
  if (!passwordPromise) {
    const { TEAMS_APP_PASSWORD: password, TEAMS_APP_PASSWORD_ARN: arn } = config;
    passwordPromise = password
      ? Promise.resolve(password)
      : arn
        ? loadSecret(arn)
        : Promise.reject(new Error('Teams is not configured: set TEAMS_APP_PASSWORD or TEAMS_APP_PASSWORD_ARN'));
    passwordPromise.catch(() => {
      passwordPromise = undefined;
    });
  }
  return passwordPromise;
}

let cachedToken: { value: string; renewAt: number } | undefined;
let tokenPromise: Promise<string> | undefined;

async function requestToken(): Promise<string> {
  const res = await fetch(config.TEAMS_TOKEN_ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: teamsAppId(), client_secret: await appPassword(), scope: botScope }),
    signal: AbortSignal.timeout(callTimeoutMs),
  });
  if (!res.ok) throw new Error(`The Bot Framework token endpoint answered ${res.status}`);
  const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
  if (typeof body.access_token !== 'string') throw new Error('The Bot Framework token endpoint gave no token');
  const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || 3600) * 1000;
  cachedToken = { value: body.access_token, renewAt: Date.now() + Math.max(0, lifetimeMs - renewalMarginMs) };
  return body.access_token;
}

/** The bot's bearer token for the Bot Connector, fetched once and shared until it is due for renewal. */
function botToken(): Promise<string> {
  if (cachedToken && Date.now() < cachedToken.renewAt) return Promise.resolve(cachedToken.value);
  tokenPromise ??= requestToken().finally(() => {
    tokenPromise = undefined;
  });
  return tokenPromise;
}

/** `{serviceUrl}/v3/conversations/{id}/…`, whether or not the serviceUrl ends with a slash (Teams' do). */
function conversationUrl(serviceUrl: string, conversationId: string, rest: string): string {
  return `${serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(conversationId)}/${rest}`;
}

async function callConnector(url: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<Response> {
  const res = await fetch(url, {
    method: init.method,
    headers: { authorization: `Bearer ${await botToken()}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(callTimeoutMs),
  });
  // A token the connector no longer takes is not offered again.
  if (res.status === 401) cachedToken = undefined;
  return res;
}

/** A conversation member's profile as the connector reports it (activities carry no email). */
export interface TeamsMember {
  email?: string | undefined;
  userPrincipalName?: string | undefined;
  givenName?: string | undefined;
  surname?: string | undefined;
  objectId?: string | undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** `GET {serviceUrl}/v3/conversations/{id}/members/{userId}`; undefined when the connector does not know the member. */
export async function getMember(serviceUrl: string, conversationId: string, userId: string): Promise<TeamsMember | undefined> {
  const res = await callConnector(conversationUrl(serviceUrl, conversationId, `members/${encodeURIComponent(userId)}`), { method: 'GET' });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`The Bot Connector answered ${res.status} for a member`);
  const member = (await res.json()) as Record<string, unknown>;
  return {
    email: text(member.email),
    userPrincipalName: text(member.userPrincipalName),
    givenName: text(member.givenName),
    surname: text(member.surname),
    objectId: text(member.objectId),
  };
}

/** Posts a plain-text message from the bot into a conversation: `POST {serviceUrl}/v3/conversations/{id}/activities`. */
export async function postToConversation(conversation: ConversationReference, message: string): Promise<void> {
  const res = await callConnector(conversationUrl(conversation.serviceUrl, conversation.conversationId, 'activities'), {
    method: 'POST',
    body: { type: 'message', text: message, textFormat: 'plain', from: { id: conversation.botId }, conversation: { id: conversation.conversationId } },
  });
  if (!res.ok) throw new Error(`The Bot Connector answered ${res.status} to a message`);
}
