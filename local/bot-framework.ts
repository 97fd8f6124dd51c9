import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import * as z from 'zod';
import { ValidationFailed } from '../shared/errors.js';
import { zodDetails } from '../shared/http/validation.js';
import { listen } from './net.js';
import type { OutboxItem, StandIn } from './stand-ins.js';

/**
 * The Bot Framework as Teams and the bot see it, on one local port: the OpenID keys (a JWKS whose
 * keys carry `endorsements`, as Microsoft's do), the token endpoint the bot gets its Bot Connector
 * token from (client credentials), and the Bot Connector itself for the member lookup and for
 * posting into conversations, which checks the bearer token its own token endpoint issued. It signs
 * the activities it delivers with its own RS256 key, so the product's real verification runs
 * offline unchanged. What the bot posts lands in the outbox (channel `teams`).
 */

const issuer = 'https://api.botframework.com';
const tokenLifetimeSeconds = 3600;

/** Which key signs a token: the Teams key, a published key endorsed for another channel, one nobody published, or that one under the Teams key's kid. */
export type SigningKey = 'endorsed' | 'unendorsed' | 'unpublished' | 'forged';

const tokenInput = z.strictObject({
  aud: z.string().optional(),
  iss: z.string().optional(),
  expiresInSeconds: z.number().int().optional(),
  serviceurl: z.string().optional(),
  key: z.enum(['endorsed', 'unendorsed', 'unpublished', 'forged']).optional(),
});

const messageInput = z.strictObject({
  tenantId: z.string().min(1),
  user: z.strictObject({
    aadObjectId: z.string().min(1),
    email: z.string().min(1),
    givenName: z.string().optional(),
    surname: z.string().optional(),
  }),
  conversationId: z.string().min(1).optional(),
  activityId: z.string().min(1).optional(),
  text: z.string(),
  locale: z.string().optional(),
});

export type TeamsMessageInput = z.infer<typeof messageInput>;

/** A user adding the app (a personal install): Teams tells the bot with a `conversationUpdate`. */
const installInput = messageInput.omit({ text: true });

export type TeamsInstallInput = z.infer<typeof installInput>;

export interface DeliveredActivity {
  /** The messaging endpoint's HTTP status. */
  status: number;
  conversationId: string;
  activityId: string;
  /** The endpoint's DynamoDB usage (its `x-local-ddb`), for the benchmark and curious people. */
  dynamodb: string | undefined;
}

export interface BotFrameworkStandIn extends StandIn {
  appId: string;
  appPassword: string;
  jwksUrl: string;
  tokenEndpoint: string;
  /** The Bot Connector's base URL: the `serviceUrl` of every activity delivered. */
  serviceUrl: string;
  /** Signs a token with these claims overridden (a valid one for `serviceUrl` by default). */
  token: (input: unknown) => Promise<{ token: string; serviceUrl: string }>;
  /** Delivers a Teams `message` activity to `{apiUrl}/api/messages` as Teams would. */
  deliver: (apiUrl: string, input: unknown) => Promise<DeliveredActivity>;
  /** Delivers the `conversationUpdate` Teams sends when a user adds the app (the bot among `membersAdded`). */
  install: (apiUrl: string, input: unknown) => Promise<DeliveredActivity>;
  messages: () => OutboxItem[];
  clear: () => void;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationFailed('The body is not valid.', zodDetails(parsed.error));
  return parsed.data;
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: await exportJWK(publicKey) };
}

export async function startBotFrameworkStandIn(port = 0): Promise<BotFrameworkStandIn> {
  const appId = randomUUID();
  const appPassword = randomBytes(24).toString('base64url');
  const [teams, webchat, unpublished] = await Promise.all([keyPair('local-msteams'), keyPair('local-webchat'), keyPair('local-unpublished')]);
  const jwks: { keys: (JWK & { endorsements: string[] })[] } = {
    keys: [
      { ...teams.publicJwk, kid: teams.kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] },
      { ...webchat.publicJwk, kid: webchat.kid, use: 'sig', alg: 'RS256', endorsements: ['webchat'] },
    ],
  };
  const signers: Record<SigningKey, { kid: string; privateKey: CryptoKey }> = {
    endorsed: teams,
    unendorsed: webchat,
    unpublished,
    forged: { kid: teams.kid, privateKey: unpublished.privateKey },
  };

  const outbox: OutboxItem[] = [];
  /** Bot Connector tokens the token endpoint issued, with their expiry (ms). */
  const issued = new Map<string, number>();
  /** Members of conversations, by their Teams user id (`29:<aadObjectId>`), as delivered messages introduced them. */
  const members = new Map<string, TeamsMessageInput['user']>();

  const authorised = (req: IncomingMessage) => {
    const token = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const expiry = token ? issued.get(token) : undefined;
    return expiry !== undefined && expiry > Date.now();
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/keys') return sendJson(res, 200, jwks);
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = new URLSearchParams(await readText(req));
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== appId || form.get('client_secret') !== appPassword) {
          return sendJson(res, 401, { error: 'invalid_client' });
        }
        const accessToken = randomBytes(24).toString('base64url');
        issued.set(accessToken, Date.now() + tokenLifetimeSeconds * 1000);
        return sendJson(res, 200, { token_type: 'Bearer', expires_in: tokenLifetimeSeconds, ext_expires_in: tokenLifetimeSeconds, access_token: accessToken });
      }
      const connector = url.pathname.match(/^\/connector\/v3\/conversations\/([^/]+)\/(members\/([^/]+)|activities)$/);
      if (connector) {
        if (!authorised(req)) return sendJson(res, 401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
        const conversationId = decodeURIComponent(connector[1]!);
        if (connector[3] && req.method === 'GET') {
          const userId = decodeURIComponent(connector[3]);
          const member = members.get(userId);
          if (!member) return sendJson(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' } });
          return sendJson(res, 200, {
            id: userId,
            name: [member.givenName, member.surname].filter(Boolean).join(' ') || member.email,
            aadObjectId: member.aadObjectId,
            objectId: member.aadObjectId,
            email: member.email,
            userPrincipalName: member.email,
            ...(member.givenName !== undefined ? { givenName: member.givenName } : {}),
            ...(member.surname !== undefined ? { surname: member.surname } : {}),
            userRole: 'user',
          });
        }
        if (connector[2] === 'activities' && req.method === 'POST') {
          const activity = JSON.parse(await readText(req)) as { text?: string };
          const id = `${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`;
          // Newest first, as the outbox lists them (posts within one millisecond keep their order).
          outbox.unshift({ id, channel: 'teams', to: [conversationId], body: activity.text ?? '', sentAt: new Date().toISOString() });
          return sendJson(res, 201, { id });
        }
      }
      sendJson(res, 404, { error: { code: 'NotFound', message: 'Not found.' } });
    } catch (err) {
      sendJson(res, 500, { error: { code: 'ServiceError', message: (err as Error).message } });
    }
  });
  const actual = await listen(server, port);
  const base = `http://127.0.0.1:${actual}`;
  // Teams' service URLs end with a slash; so does this one.
  const serviceUrl = `${base}/connector/`;

  const sign = async (input: z.output<typeof tokenInput>) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (input.expiresInSeconds ?? tokenLifetimeSeconds);
    const signer = signers[input.key ?? 'endorsed'];
    return new SignJWT({ serviceurl: input.serviceurl ?? serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
      .setIssuer(input.iss ?? issuer)
      .setAudience(input.aud ?? appId)
      .setIssuedAt(Math.min(now, exp - 60))
      .setNotBefore(Math.min(now, exp - 60))
      .setExpirationTime(exp)
      .sign(signer.privateKey);
  };

  const botId = `28:${appId}`;
  /** Signs and posts an activity of this user's (new or given) conversation to the messaging endpoint, as Teams would. */
  const post = async (apiUrl: string, from: TeamsInstallInput, content: Record<string, unknown>): Promise<DeliveredActivity> => {
    const userId = `29:${from.user.aadObjectId}`;
    members.set(userId, from.user);
    const conversationId = from.conversationId ?? `a:${randomBytes(24).toString('base64url')}`;
    const activityId = from.activityId ?? `${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`;
    const activity = {
      ...content,
      id: activityId,
      timestamp: new Date().toISOString(),
      serviceUrl,
      channelId: 'msteams',
      from: { id: userId, name: [from.user.givenName, from.user.surname].filter(Boolean).join(' '), aadObjectId: from.user.aadObjectId },
      conversation: { conversationType: 'personal', tenantId: from.tenantId, id: conversationId },
      recipient: { id: botId, name: 'Desk Admin' },
      locale: from.locale ?? 'en-US',
      channelData: { tenant: { id: from.tenantId } },
    };
    const res = await fetch(`${apiUrl}/api/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sign({})}`, 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await res.arrayBuffer();
    return { status: res.status, conversationId, activityId, dynamodb: res.headers.get('x-local-ddb') ?? undefined };
  };

  return {
    endpoint: base,
    appId,
    appPassword,
    jwksUrl: `${base}/keys`,
    tokenEndpoint: `${base}/token`,
    serviceUrl,
    token: async (input) => ({ token: await sign(parse(tokenInput, input ?? {})), serviceUrl }),
    deliver: async (apiUrl, input) => {
      const message = parse(messageInput, input);
      return post(apiUrl, message, { type: 'message', textFormat: 'plain', text: message.text });
    },
    install: async (apiUrl, input) =>
      post(apiUrl, parse(installInput, input), { type: 'conversationUpdate', membersAdded: [{ id: botId }], membersRemoved: [] }),
    messages: () => [...outbox],
    clear: () => void outbox.splice(0),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
