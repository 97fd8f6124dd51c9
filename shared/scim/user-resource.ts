import SCIMMY from 'scimmy';
import { coerceBooleans, projection, type ResourceSchemas } from './attributes.js';
import type { EnterpriseUser } from './entities.js';
import { invalidSyntax, invalidValue, methodNotAllowed, resourceNotFound, ScimError } from './errors.js';
import { equalities, holdsAll, keyTerm, type FilterableAttribute } from './filters.js';
import { listResponse, maxIdLength, noContent, pageOf, pageOfFound, reply, type Result, type ScimRequest } from './messages.js';
import {
  createScimUser,
  deleteScimUser,
  findScimUser,
  getScimUser,
  listScimUsers,
  replaceScimUser,
  userNotFound,
  type DirectoryUser,
  type ScimUser,
  type UserLookup,
} from './users.js';

/** `/Users`: SCIM Users as RFC 7643 shapes them and Entra ID sends them, in both of its PATCH dialects. */
const userSchema = SCIMMY.Schemas.User.definition.id;
const enterpriseSchema = SCIMMY.Schemas.EnterpriseUser.definition.id;
const userSchemas: ResourceSchemas = { core: userSchema, extensions: [enterpriseSchema] };

SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false));

const enterpriseStrings = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;

/** A body's attribute by name, case-insensitively (SCIM attribute names are). */
function attributeOf(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
}

function text(value: unknown, what: string, max: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length > max || /[\u0000-\u001f\u007f]/.test(value))
    throw invalidValue(`${what} must be a one-line text of at most ${max} characters.`);
  return value;
}

/** The manager as Entra sends it: an id, `{value}`, or `[{value}]` (Microsoft's sample); null clears it. */
function managerId(value: unknown): string {
  const manager = Array.isArray(value) ? value[0] : value;
  const id = manager && typeof manager === 'object' ? (manager as { value?: unknown }).value : manager;
  return text(id, `${enterpriseSchema}:manager.value`, maxIdLength);
}

function toEnterprise(value: unknown): EnterpriseUser {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue(`${enterpriseSchema} must be an object.`);
  const body = value as Record<string, unknown>;
  const enterprise: EnterpriseUser = {};
  for (const name of enterpriseStrings) {
    const v = text(attributeOf(body, name), `${enterpriseSchema}:${name}`, 200);
    if (v) enterprise[name] = v;
  }
  const manager = managerId(attributeOf(body, 'manager'));
  if (manager) enterprise.manager = manager;
  return enterprise;
}

interface ScimEmail {
  value?: unknown;
  type?: unknown;
  primary?: unknown;
}

/** What we keep of a SCIM User body (POST, PUT, and PATCH once applied). Names come from `name` only, never from the address. */
function toDirectoryUser(value: unknown): DirectoryUser {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidSyntax('The body must be a SCIM User.');
  const body = value as Record<string, unknown>;
  const userName = attributeOf(body, 'userName');
  const externalId = attributeOf(body, 'externalId');
  const active = attributeOf(body, 'active');
  const name = (attributeOf(body, 'name') ?? {}) as Record<string, unknown>;
  if (typeof userName !== 'string' || !userName.trim()) throw invalidValue('userName is required.');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') throw invalidValue('externalId must be a string.');
  if (active !== undefined && typeof active !== 'boolean') throw invalidValue('active must be a boolean.');
  const rawEmails = attributeOf(body, 'emails');
  const emails = Array.isArray(rawEmails) ? (rawEmails as ScimEmail[]) : [];
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  const email = typeof chosen?.value === 'string' ? chosen.value : userName.includes('@') ? userName : undefined;
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw invalidValue('The User needs an email address (emails, or a userName that is one).');
  return {
    userName,
    externalId: typeof externalId === 'string' && externalId ? externalId : undefined,
    givenName: text(attributeOf(name, 'givenName'), 'name.givenName', 100),
    familyName: text(attributeOf(name, 'familyName'), 'name.familyName', 100),
    email,
    active: active ?? true,
    enterprise: toEnterprise(attributeOf(body, enterpriseSchema)),
  };
}

function toScimUser({ endUser, link }: ScimUser, baseUrl: string) {
  const displayName = [endUser.firstName, endUser.lastName].filter(Boolean).join(' ');
  const { manager, ...enterprise } = link.enterprise ?? {};
  const extended = link.enterprise !== undefined;
  return {
    schemas: extended ? [userSchema, enterpriseSchema] : [userSchema],
    id: endUser.id,
    ...(link.externalId && { externalId: link.externalId }),
    userName: link.userName,
    name: { givenName: endUser.firstName, familyName: endUser.lastName, formatted: displayName },
    displayName,
    emails: [{ value: endUser.email, type: 'work', primary: true }],
    active: link.active,
    ...(extended && { [enterpriseSchema]: { ...enterprise, ...(manager && { manager: { value: manager, $ref: `${baseUrl}/Users/${manager}` } }) } }),
    meta: { resourceType: 'User', created: endUser.createdAt, lastModified: endUser.updatedAt, location: `${baseUrl}/Users/${endUser.id}` },
  };
}

// --- PATCH -----------------------------------------------------------------------------------------

/** The User attributes kept; PATCH operations on the schema's other attributes (phone numbers, addresses, title…) change nothing. */
const keptAttributes = new Set(['schemas', 'id', 'externalid', 'meta', 'username', 'name', 'displayname', 'emails', 'active']);
const notKept = new Set(
  SCIMMY.Schemas.User.definition.attributes.map((a: { name: string }) => a.name.toLowerCase()).filter((n: string) => !keptAttributes.has(n)),
);
const corePrefix = `${userSchema.toLowerCase()}:`;
const managerPath = `${enterpriseSchema}:manager`;

/**
 * A PatchOp path as scimmy applies it, or undefined for one that changes nothing we keep: the core
 * schema's URN dropped; the manager's forms (`manager`, `…:manager.value`) made `…:manager`; an email
 * other than the work address (Entra's `emails[type eq "other"]`), and attributes not kept, left out.
 */
function userPath(path: string): string | undefined {
  const trimmed = path.trim();
  const unqualified = trimmed.toLowerCase().startsWith(corePrefix) ? trimmed.slice(corePrefix.length) : trimmed;
  if (/^manager(\.value)?$/i.test(unqualified) || unqualified.toLowerCase() === `${managerPath}.value`.toLowerCase()) return managerPath;
  const top = unqualified.split(/[.[]/)[0]!.toLowerCase();
  if (top === 'emails' && unqualified.includes('[') && !/^emails\[\s*type\s+eq\s+"?work"?\s*\]/i.test(unqualified)) return undefined;
  return notKept.has(top) ? undefined : unqualified;
}

/** The manager as scimmy's complex attribute: `{value}` (Entra sends the bare id). */
const managerValue = (value: unknown) => (value === null || value === undefined ? value : { value: managerId(value) });

/** A path-less value with its attributes as `userPath` makes them (an extension object's manager too). */
function userValue(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = userPath(key);
    if (path === undefined) continue;
    if (path === managerPath) out[path] = managerValue(v);
    else if (path.toLowerCase() === enterpriseSchema.toLowerCase() && v && typeof v === 'object' && !Array.isArray(v)) {
      const extension = v as Record<string, unknown>;
      const manager = Object.keys(extension).find((k) => k.toLowerCase() === 'manager');
      out[path] = manager === undefined ? extension : { ...extension, [manager]: managerValue(extension[manager]) };
    } else out[path] = v;
  }
  return out;
}

interface Operation {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

/**
 * A PatchOp with Entra's dialects made RFC 7644's: `op` lower-cased, `"True"`/`"False"` made
 * booleans, paths and path-less values as scimmy applies them; operations on what we do not keep
 * dropped. Undefined when nothing we keep is touched.
 */
function normaliseUserPatch(body: unknown): { schemas?: unknown; Operations: Operation[] } | undefined {
  const operations = body && typeof body === 'object' ? (body as { Operations?: unknown }).Operations : undefined;
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax('A PatchOp needs Operations.');
  const normalised: Operation[] = [];
  for (const o of operations as Operation[]) {
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : o.op;
    if (typeof o.path === 'string' && o.path.trim()) {
      const path = userPath(o.path);
      if (path === undefined) continue;
      const value = coerceBooleans(o.value, path);
      normalised.push({ op, path, ...(o.value !== undefined && { value: path === managerPath ? managerValue(value) : value }) });
    } else if (o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
      const value = userValue(o.value as Record<string, unknown>);
      if (Object.keys(value).length > 0) normalised.push({ op, value });
    } else normalised.push({ ...o, op });
  }
  return normalised.length > 0 ? { schemas: (body as { schemas?: unknown }).schemas, Operations: normalised } : undefined;
}

/** Applies a PatchOp to the User as SCIM sees it (scimmy), then replaces what changed. */
async function patchUser(req: ScimRequest, current: ScimUser): Promise<ScimUser> {
  const patch = normaliseUserPatch(req.body);
  if (!patch) return current;
  let patched: unknown;
  try {
    const resource = new SCIMMY.Schemas.User(toScimUser(current, req.baseUrl), 'out');
    patched = await new SCIMMY.Messages.PatchOp(patch as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0]).apply(resource);
  } catch (err) {
    if (err instanceof SCIMMY.Types.Error) throw new ScimError(err.status, err.scimType, err.message);
    throw invalidSyntax((err as Error).message);
  }
  // PatchOp.apply answers undefined when nothing changed.
  return patched === undefined ? current : replaceScimUser(req.scope, current, toDirectoryUser(coerceBooleans(patched)));
}

// --- Lookups ---------------------------------------------------------------------------------------

const filterableAttributes: Record<string, FilterableAttribute<ScimUser>> = {
  id: { values: (u) => [u.endUser.id], caseExact: true },
  username: { values: (u) => [u.link.userName], caseExact: false },
  externalid: { values: (u) => [u.link.externalId], caseExact: true },
  emails: { values: (u) => [u.endUser.email], caseExact: false },
  'emails.value': { values: (u) => [u.endUser.email], caseExact: false },
  'emails.type': { values: () => ['work'], caseExact: false },
  'manager.value': { values: (u) => [u.link.enterprise?.manager], caseExact: true },
  manager: { values: (u) => [u.link.enterprise?.manager], caseExact: true },
  ...Object.fromEntries(enterpriseStrings.map((name) => [name.toLowerCase(), { values: (u: ScimUser) => [u.link.enterprise?.[name]], caseExact: false }])),
};

const lookupKeys = ['id', 'username', 'externalid', 'emails.value', 'emails'] as const;
const supportedFilters =
  'Users are filtered by id, userName, externalId or emails[type eq "work"].value with eq, optionally joined with and to other eq terms.';

function lookupOf({ attribute, value }: { attribute: string; value: string }): UserLookup {
  if (attribute === 'id') return { id: value };
  if (attribute === 'username') return { userName: value };
  if (attribute === 'externalid') return { externalId: value };
  return { email: value };
}

/** A filter's User: one key read by its key term, then its other terms checked on that one User. */
async function filteredUser(req: ScimRequest, filter: string): Promise<ScimUser | undefined> {
  const terms = equalities(filter, [userSchema, enterpriseSchema], supportedFilters);
  const key = keyTerm(terms, lookupKeys, filterableAttributes, supportedFilters);
  if (key.attribute === 'id' && key.value.length > maxIdLength) return undefined;
  const found = await findScimUser(req.scope, lookupOf(key));
  return found && holdsAll(found, terms, filterableAttributes) ? found : undefined;
}

async function listUsers(req: ScimRequest): Promise<Result> {
  const page = pageOf(req.query);
  const { total, items } = req.query.filter
    ? pageOfFound(await filteredUser(req, req.query.filter), page)
    : await listScimUsers(req.scope, page.startIndex, page.count).then(({ total, users }) => ({ total, items: users }));
  const shape = projection(req.query, userSchemas);
  return listResponse(
    total,
    page.startIndex,
    items.map((u) => shape(toScimUser(u, req.baseUrl))),
  );
}

async function existingUser(req: ScimRequest, id: string): Promise<ScimUser> {
  const found = id.length <= maxIdLength ? await getScimUser(req.scope, id, true) : undefined;
  if (!found) throw userNotFound();
  return found;
}

/** `/Users` and `/Users/{id}`. */
export async function usersEndpoint(req: ScimRequest): Promise<Result> {
  const [, id, extra] = req.segments;
  if (extra !== undefined) throw resourceNotFound();
  const shaped = (user: ScimUser) => projection(req.query, userSchemas)(toScimUser(user, req.baseUrl));
  if (id === undefined) {
    if (req.method === 'GET') return listUsers(req);
    if (req.method !== 'POST') throw methodNotAllowed();
    const created = await createScimUser(req.scope, toDirectoryUser(req.body));
    return reply(201, shaped(created), { location: toScimUser(created, req.baseUrl).meta.location });
  }
  switch (req.method) {
    case 'GET':
      return reply(200, shaped(await existingUser(req, id)));
    case 'PUT':
      return reply(200, shaped(await replaceScimUser(req.scope, await existingUser(req, id), toDirectoryUser(req.body))));
    case 'PATCH':
      return reply(200, shaped(await patchUser(req, await existingUser(req, id))));
    case 'DELETE':
      await deleteScimUser(req.scope, await existingUser(req, id));
      return noContent();
    default:
      throw methodNotAllowed();
  }
}
