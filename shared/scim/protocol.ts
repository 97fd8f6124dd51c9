import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import SCIMMY from 'scimmy';
import { AppError } from '../errors.js';
import { logger } from '../logger.js';
import { resolveScimToken } from './tokens.js';
import {
  createScimUser,
  deleteScimUser,
  findScimUser,
  getScimUser,
  listScimUsers,
  replaceScimUser,
  ScimError,
  userNotFound,
  type DirectoryUser,
  type ScimScope,
  type ScimUser,
} from './users.js';
import { scimPathPrefix } from './routes.js';
import {
  applyGroupPatch,
  createScimGroup,
  deleteScimGroup,
  findScimGroup,
  getScimGroup,
  groupNotFound,
  listScimGroups,
  replaceScimGroup,
  toDirectoryGroup,
  type ScimGroup,
} from './groups.js';

/**
 * `/scim/v2` (RFC 7643/7644 as Entra ID's provisioning service speaks them). scimmy does the
 * protocol's generic parts: the discovery documents, filter parsing and PatchOp (applied to the
 * User as SCIM sees it). We add what Entra sends beyond the RFC (`op` in any case, `"True"`/`"False"`
 * booleans), the bearer token → company, the mapping to end users, and finding users by key reads.
 */
const userSchema = SCIMMY.Schemas.User.definition.id;
const groupSchema = SCIMMY.Schemas.Group.definition.id;
const listResponse = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';
const maxBodyBytes = 256 * 1024;
const maxCount = 100;
const maxIdLength = 128;

SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false));
SCIMMY.Resources.declare(SCIMMY.Resources.Group);
SCIMMY.Config.set({
  patch: true,
  filter: { supported: true, maxResults: maxCount },
  bulk: false,
  sort: false,
  etag: false,
  changePassword: false,
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'A SCIM token from POST /v1/scim-tokens', primary: true }],
});

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

interface ScimRequest {
  method: string;
  /** The path below `/scim/v2`, split: `['Users', '<id>']`. */
  segments: string[];
  query: Record<string, string>;
  body: unknown;
  scope: ScimScope;
  baseUrl: string;
}

const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): Result => ({
  statusCode: status,
  headers: { 'content-type': 'application/scim+json; charset=utf-8', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

const scimError = (status: number, detail: string, scimType?: string): Result =>
  reply(status, { schemas: [errorSchema], status: String(status), ...(scimType && { scimType }), detail });

const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);

/** Entra sends booleans as `"True"`/`"False"` (its "known compatibility issues"): made booleans before anything reads them. */
function coerceBooleans(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => coerceBooleans(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceBooleans(v, k)]));
  if (typeof value === 'string' && key && /(^|\.)(active|primary)$/i.test(key) && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

/** A PatchOp with Entra's dialects made RFC 7644's: `op` lower-cased, string booleans of a path made booleans. */
function normalisePatch(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { Operations?: unknown }).Operations)) return body;
  const patch = body as { Operations: { op?: unknown; path?: unknown; value?: unknown }[] };
  return {
    ...patch,
    Operations: patch.Operations.map((o) => ({
      ...o,
      ...(typeof o.op === 'string' && { op: o.op.toLowerCase() }),
      ...(typeof o.path === 'string' && { value: coerceBooleans(o.value, o.path) }),
    })),
  };
}

interface ScimEmail {
  value?: unknown;
  type?: unknown;
  primary?: unknown;
}

/** What we keep of a SCIM User body. Names come from `name` only, never from the address. */
function toDirectoryUser(body: unknown): DirectoryUser {
  if (!body || typeof body !== 'object') throw new ScimError(400, 'invalidSyntax', 'The body must be a SCIM User.');
  const b = body as { userName?: unknown; externalId?: unknown; name?: { givenName?: unknown; familyName?: unknown }; emails?: unknown; active?: unknown };
  if (typeof b.userName !== 'string' || !b.userName.trim()) throw invalidValue('userName is required.');
  if (b.externalId !== undefined && b.externalId !== null && typeof b.externalId !== 'string') throw invalidValue('externalId must be a string.');
  if (b.active !== undefined && typeof b.active !== 'boolean') throw invalidValue('active must be a boolean.');
  const emails = Array.isArray(b.emails) ? (b.emails as ScimEmail[]) : [];
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  const email = typeof chosen?.value === 'string' ? chosen.value : b.userName.includes('@') ? b.userName : undefined;
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw invalidValue('The User needs an email address (emails, or a userName that is one).');
  const text = (v: unknown, what: string) => {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string' || v.length > 100 || /[\u0000-\u001f\u007f]/.test(v))
      throw invalidValue(`${what} must be a one-line text of at most 100 characters.`);
    return v;
  };
  return {
    userName: b.userName,
    externalId: typeof b.externalId === 'string' && b.externalId ? b.externalId : undefined,
    givenName: text(b.name?.givenName, 'name.givenName'),
    familyName: text(b.name?.familyName, 'name.familyName'),
    email,
    active: b.active ?? true,
  };
}

function toScimUser({ endUser, link }: ScimUser, baseUrl: string) {
  const displayName = [endUser.firstName, endUser.lastName].filter(Boolean).join(' ');
  return {
    schemas: [userSchema],
    id: endUser.id,
    ...(link.externalId && { externalId: link.externalId }),
    userName: link.userName,
    name: { givenName: endUser.firstName, familyName: endUser.lastName, formatted: displayName },
    displayName,
    emails: [{ value: endUser.email, type: 'work', primary: true }],
    active: link.active,
    meta: { resourceType: 'User', created: endUser.createdAt, lastModified: endUser.updatedAt, location: `${baseUrl}/Users/${endUser.id}` },
  };
}

/**
 * RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes`, on top-level attributes (sub-attributes name
 * their parent); `id`, `schemas` and `meta` are always returned.
 */
function projection(query: Record<string, string>): <T extends Record<string, unknown>>(resource: T) => Partial<T> {
  const names = (value: string | undefined) =>
    new Set(
      (value ?? '')
        .split(',')
        .map((a) => a.trim().split('.')[0]!.toLowerCase())
        .filter(Boolean),
    );
  const only = names(query.attributes);
  const excluded = names(query.excludedAttributes);
  const always = new Set(['id', 'schemas', 'meta']);
  return (resource) =>
    Object.fromEntries(
      Object.entries(resource).filter(([k]) => always.has(k) || (only.size ? only.has(k.toLowerCase()) : !excluded.has(k.toLowerCase()))),
    ) as Partial<typeof resource>;
}

/** A filter of one `attribute eq "value"` comparison (the lookups a directory makes), or undefined. */
function equalityOf(filter: string): { attribute: string; value: string } | undefined {
  let parsed: Record<string, unknown>[];
  try {
    parsed = [...new SCIMMY.Types.Filter(filter)] as Record<string, unknown>[];
  } catch (err) {
    throw new ScimError(400, 'invalidFilter', (err as Error).message);
  }
  const only = parsed.length === 1 ? Object.entries(parsed[0]!) : [];
  const [attribute, comparison] = only.length === 1 ? only[0]! : [];
  return attribute && Array.isArray(comparison) && comparison[0] === 'eq' && typeof comparison[1] === 'string'
    ? { attribute: attribute.toLowerCase(), value: comparison[1] }
    : undefined;
}

/** `userName eq "…"` or `externalId eq …` (quoted or not): each one key read. */
function lookupOf(filter: string): { userName: string } | { externalId: string } {
  const eq = equalityOf(filter);
  if (eq?.attribute === 'username') return { userName: eq.value };
  if (eq?.attribute === 'externalid') return { externalId: eq.value };
  throw new ScimError(400, 'invalidFilter', 'Filters supported: userName eq "…" and externalId eq "…".');
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^-?\d+$/.test(value)) throw invalidValue(`${name} must be an integer.`);
  return Number(value);
}

async function listUsers(req: ScimRequest): Promise<Result> {
  const startIndex = Math.max(1, positiveInt(req.query.startIndex, 1, 'startIndex'));
  const count = Math.min(maxCount, Math.max(0, positiveInt(req.query.count, maxCount, 'count')));
  let total: number;
  let users: ScimUser[];
  if (req.query.filter) {
    const found = await findScimUser(req.scope, lookupOf(req.query.filter));
    total = found ? 1 : 0;
    users = found && startIndex === 1 ? [found].slice(0, count) : [];
  } else {
    ({ total, users } = await listScimUsers(req.scope, startIndex, count));
  }
  return reply(200, {
    schemas: [listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: users.length,
    Resources: users.map((u) => projection(req.query)(toScimUser(u, req.baseUrl))),
  });
}

async function existingUser(req: ScimRequest, id: string): Promise<ScimUser> {
  // Ids are at most 128 characters (api.md): a longer one names nothing.
  const found = id.length <= maxIdLength ? await getScimUser(req.scope, id, true) : undefined;
  if (!found) throw userNotFound();
  return found;
}

async function patchUser(req: ScimRequest, current: ScimUser): Promise<ScimUser> {
  const patch = normalisePatch(req.body) as { schemas?: string[]; Operations?: unknown[] };
  let patched: unknown;
  try {
    const resource = new SCIMMY.Schemas.User(toScimUser(current, req.baseUrl), 'out');
    patched = await new SCIMMY.Messages.PatchOp(patch as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0]).apply(resource);
  } catch (err) {
    if (err instanceof SCIMMY.Types.Error) throw new ScimError(err.status, err.scimType, err.message);
    throw new ScimError(400, 'invalidSyntax', (err as Error).message);
  }
  // PatchOp.apply answers undefined when nothing changed.
  return patched === undefined ? current : replaceScimUser(req.scope, current, toDirectoryUser(coerceBooleans(patched)));
}

async function users(req: ScimRequest): Promise<Result> {
  const [, id, extra] = req.segments;
  if (extra !== undefined) throw new ScimError(404, undefined, 'The resource was not found.');
  if (id === undefined) {
    if (req.method === 'GET') return listUsers(req);
    if (req.method === 'POST') {
      const created = await createScimUser(req.scope, toDirectoryUser(req.body));
      const body = toScimUser(created, req.baseUrl);
      return reply(201, body, { location: body.meta.location });
    }
    throw new ScimError(405, undefined, 'The method is not allowed here.');
  }
  switch (req.method) {
    case 'GET':
      return reply(200, projection(req.query)(toScimUser(await existingUser(req, id), req.baseUrl)));
    case 'PUT':
      return reply(200, toScimUser(await replaceScimUser(req.scope, await existingUser(req, id), toDirectoryUser(req.body)), req.baseUrl));
    case 'PATCH':
      return reply(200, toScimUser(await patchUser(req, await existingUser(req, id)), req.baseUrl));
    case 'DELETE':
      await deleteScimUser(req.scope, await existingUser(req, id));
      return { statusCode: 204, headers: {}, body: '' };
    default:
      throw new ScimError(405, undefined, 'The method is not allowed here.');
  }
}

function toScimGroup({ group, members }: ScimGroup, baseUrl: string) {
  return {
    schemas: [groupSchema],
    id: group.id,
    displayName: group.name,
    ...(members && { members: members.map((value) => ({ value, $ref: `${baseUrl}/Users/${value}` })) }),
    meta: { resourceType: 'Group', created: group.createdAt, location: `${baseUrl}/Groups/${group.id}` },
  };
}

/** Whether the response carries `members` (Entra asks `excludedAttributes=members`: then they are not even read). */
function wantsMembers(query: Record<string, string>): boolean {
  const names = (v: string | undefined) => (v ?? '').split(',').map((a) => a.trim().split('.')[0]!.toLowerCase());
  return query.attributes ? names(query.attributes).includes('members') : !names(query.excludedAttributes).includes('members');
}

/** `displayName eq "…"`: the lookup a directory makes for a Group, one index read (case-insensitive). */
function groupLookupOf(filter: string): string {
  const eq = equalityOf(filter);
  if (eq?.attribute === 'displayname') return eq.value;
  throw new ScimError(400, 'invalidFilter', 'Filter supported: displayName eq "…".');
}

async function listGroups(req: ScimRequest): Promise<Result> {
  const startIndex = Math.max(1, positiveInt(req.query.startIndex, 1, 'startIndex'));
  const count = Math.min(maxCount, Math.max(0, positiveInt(req.query.count, maxCount, 'count')));
  const members = wantsMembers(req.query);
  let total: number;
  let groups: ScimGroup[];
  if (req.query.filter) {
    const found = await findScimGroup(req.scope, groupLookupOf(req.query.filter), members);
    total = found ? 1 : 0;
    groups = found && startIndex === 1 ? [found].slice(0, count) : [];
  } else {
    ({ total, groups } = await listScimGroups(req.scope, startIndex, count, members));
  }
  return reply(200, {
    schemas: [listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: groups.length,
    Resources: groups.map((g) => projection(req.query)(toScimGroup(g, req.baseUrl))),
  });
}

async function existingGroup(req: ScimRequest, id: string, members = true): Promise<ScimGroup> {
  const found = id.length <= maxIdLength ? await getScimGroup(req.scope, id, members, true) : undefined;
  if (!found) throw groupNotFound();
  return found;
}

async function groups(req: ScimRequest): Promise<Result> {
  const [, id, extra] = req.segments;
  if (extra !== undefined) throw new ScimError(404, undefined, 'The resource was not found.');
  if (id === undefined) {
    if (req.method === 'GET') return listGroups(req);
    if (req.method === 'POST') {
      const body = toScimGroup(await createScimGroup(req.scope, toDirectoryGroup(req.body)), req.baseUrl);
      return reply(201, body, { location: body.meta.location });
    }
    throw new ScimError(405, undefined, 'The method is not allowed here.');
  }
  switch (req.method) {
    case 'GET':
      return reply(200, projection(req.query)(toScimGroup(await existingGroup(req, id, wantsMembers(req.query)), req.baseUrl)));
    case 'PUT':
      return reply(200, toScimGroup(await replaceScimGroup(req.scope, await existingGroup(req, id), toDirectoryGroup(req.body)), req.baseUrl));
    case 'PATCH': {
      const current = await existingGroup(req, id);
      const next = applyGroupPatch({ displayName: current.group.name, members: current.members ?? [] }, req.body);
      return reply(200, toScimGroup(await replaceScimGroup(req.scope, current, next), req.baseUrl));
    }
    case 'DELETE':
      await deleteScimGroup(req.scope, await existingGroup(req, id, false));
      return { statusCode: 204, headers: {}, body: '' };
    default:
      throw new ScimError(405, undefined, 'The method is not allowed here.');
  }
}

async function discovery(req: ScimRequest, read: () => Promise<unknown>): Promise<Result> {
  if (req.method !== 'GET') throw new ScimError(405, undefined, 'The method is not allowed here.');
  if (req.segments.length > 1) throw new ScimError(404, undefined, 'The resource was not found.');
  return reply(200, await read());
}

async function route(req: ScimRequest): Promise<Result> {
  switch (req.segments[0]) {
    case 'ServiceProviderConfig':
      return discovery(req, () => new SCIMMY.Resources.ServiceProviderConfig().read());
    case 'ResourceTypes':
      return discovery(req, () => new SCIMMY.Resources.ResourceType().read());
    case 'Schemas':
      return discovery(req, () => new SCIMMY.Resources.Schema().read());
    case 'Users':
      return users(req);
    case 'Groups':
      return groups(req);
    default:
      throw new ScimError(404, undefined, 'The resource was not found.');
  }
}

function parseBody(event: Event): unknown {
  if (!event.body) return undefined;
  const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/scim+json' && type !== 'application/json') throw new ScimError(415, undefined, 'Send application/scim+json.');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > maxBodyBytes) throw new ScimError(413, undefined, 'The body is too large.');
  try {
    return coerceBooleans(JSON.parse(text));
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'The body is not valid JSON.');
  }
}

/** Serves one `/scim/v2` request: token → company, then the SCIM operation; every error in SCIM's shape. */
export async function handleScimRequest(event: Event): Promise<Result> {
  try {
    const path = event.rawPath.startsWith(scimPathPrefix) ? event.rawPath.slice(scimPathPrefix.length) : event.rawPath;
    const segments = path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const bearer = /^Bearer\s+(\S+)$/i.exec(event.headers.authorization ?? '')?.[1];
    const resolved = bearer ? await resolveScimToken(bearer) : undefined;
    if (!resolved) return scimError(401, 'A valid SCIM token is required.');
    const body = parseBody(event);
    const host = event.headers.host ?? event.requestContext.domainName;
    const proto = event.headers['x-forwarded-proto'] ?? (/^(localhost|127\.)/.test(host) ? 'http' : 'https');
    return await route({
      method: event.requestContext.http.method.toUpperCase(),
      segments,
      query: Object.fromEntries(new URLSearchParams(event.rawQueryString)),
      body,
      baseUrl: `${proto}://${host}${scimPathPrefix}`,
      scope: {
        companyId: resolved.token.companyId,
        actor: {
          accountId: resolved.accountId,
          actorId: resolved.token.id,
          requestId: event.requestContext.requestId,
          sourceIp: event.requestContext.http.sourceIp,
        },
      },
    });
  } catch (err) {
    if (err instanceof ScimError) return scimError(err.status, err.message, err.scimType);
    if (err instanceof URIError) return scimError(400, 'Malformed percent-encoding.', 'invalidPath');
    if (err instanceof AppError) return scimError(err.status, err.message, err.status === 409 ? 'uniqueness' : err.status === 400 ? 'invalidValue' : undefined);
    logger.error('scim request failed', { error: (err as Error).message, stack: (err as Error).stack });
    return scimError(500, 'Internal error.');
  }
}
