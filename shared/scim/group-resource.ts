import SCIMMY from 'scimmy';
import { projection, returnsAttribute, type ResourceSchemas } from './attributes.js';
import { invalidSyntax, invalidValue, methodNotAllowed, resourceNotFound, ScimError } from './errors.js';
import { equalities, holdsAll, keyTerm, type FilterableAttribute } from './filters.js';
import { listResponse, maxIdLength, noContent, pageOf, pageOfFound, reply, type Result, type ScimRequest } from './messages.js';
import {
  changeScimGroup,
  createScimGroup,
  deleteScimGroup,
  findScimGroup,
  getScimGroup,
  groupNotFound,
  hasMembers,
  listScimGroups,
  type DirectoryGroup,
  type GroupChange,
  type GroupLookup,
  type ScimGroup,
} from './groups.js';

/** `/Groups`: SCIM Groups are the account's end-user groups, changed in every form Entra ID sends. */
const groupSchema = SCIMMY.Schemas.Group.definition.id;
const groupSchemas: ResourceSchemas = { core: groupSchema, extensions: [] };
const corePrefix = `${groupSchema.toLowerCase()}:`;

SCIMMY.Resources.declare(SCIMMY.Resources.Group);

function toScimGroup({ group, externalId, members }: ScimGroup, baseUrl: string) {
  return {
    schemas: [groupSchema],
    id: group.id,
    ...(externalId && { externalId }),
    displayName: group.name,
    ...(members && { members: members.map((value) => ({ value, $ref: `${baseUrl}/Users/${value}` })) }),
    meta: { resourceType: 'Group', created: group.createdAt, location: `${baseUrl}/Groups/${group.id}` },
  };
}

/** `[{value}]`, `{value}` or a bare id: the member value shapes Entra sends. */
function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((m) => {
    const id = typeof m === 'string' ? m : m && typeof m === 'object' ? (m as { value?: unknown }).value : undefined;
    if (typeof id !== 'string' || !id) throw invalidValue('Each member needs a "value" (a User id).');
    return id;
  });
}

function displayNameOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 200 || /[\u0000-\u001f\u007f]/.test(value))
    throw invalidValue('displayName must be a one-line text of 1 to 200 characters.');
  return value;
}

function externalIdOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 256 || /[\u0000-\u001f\u007f]/.test(value)) throw invalidValue('externalId must be a one-line text.');
  return value;
}

/** A Group body (POST, PUT): `displayName`, `externalId` and `members`; other attributes are not kept. */
function toDirectoryGroup(body: unknown): DirectoryGroup {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidSyntax('The body must be a SCIM Group.');
  const b = body as { displayName?: unknown; externalId?: unknown; members?: unknown };
  return { displayName: displayNameOf(b.displayName), externalId: externalIdOf(b.externalId), members: memberIds(b.members) };
}

/** PUT: the Group is replaced, members and `externalId` included. */
function replacementOf(next: DirectoryGroup): GroupChange {
  const members = new Set(next.members);
  return { displayName: next.displayName, externalId: next.externalId ?? null, replaceWith: members, add: new Set(), remove: new Set(), named: members };
}

interface Operation {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

const memberFilter = /^members\[\s*value\s+eq\s+"?([^"\]]*)"?\s*\]$/i;

/**
 * A PatchOp as a change of the Group, in both of Entra's dialects: `op` in any case; `add`, `replace`
 * and `remove` on `members` with a value list; `remove` by `members[value eq "…"]`; `displayName` and
 * `externalId` by path or in a path-less value (which may hold several attributes, `members` among
 * them). The operations apply in order.
 */
function groupChangeOf(body: unknown): GroupChange {
  const ops = body && typeof body === 'object' ? (body as { Operations?: unknown }).Operations : undefined;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax('A PatchOp needs Operations.');
  const change: GroupChange = { add: new Set(), remove: new Set(), named: new Set() };
  // Members an add or a remove names: after a replace they change its list; otherwise the last word on each member wins.
  const move = (ids: string[], joining: boolean) => {
    const [into, outOf] = joining ? [change.add, change.remove] : [change.remove, change.add];
    for (const id of ids) {
      change.named.add(id);
      if (!change.replaceWith) {
        into.add(id);
        outOf.delete(id);
      } else if (joining) change.replaceWith.add(id);
      else change.replaceWith.delete(id);
    }
  };
  const set = (attribute: string, op: string, value: unknown) => {
    const name = attribute.toLowerCase().startsWith(corePrefix) ? attribute.slice(corePrefix.length) : attribute;
    switch (name.toLowerCase()) {
      case 'displayname':
        if (op === 'remove') throw new ScimError(400, 'mutability', 'displayName is required.');
        change.displayName = displayNameOf(value);
        return;
      case 'externalid':
        change.externalId = op === 'remove' ? null : (externalIdOf(value) ?? null);
        return;
      case 'members': {
        if (op === 'remove' && (value === undefined || value === null)) {
          change.replaceWith = new Set();
          return;
        }
        const ids = memberIds(value);
        if (op === 'add') move(ids, true);
        else if (op === 'remove') move(ids, false);
        else {
          for (const id of ids) change.named.add(id);
          change.replaceWith = new Set(ids);
          change.add.clear();
          change.remove.clear();
        }
        return;
      }
      case 'id':
      case 'schemas':
      case 'meta':
        // Not the directory's to change: ignored, as Entra sends them along.
        return;
      default:
        throw new ScimError(400, 'invalidPath', `Unknown Group attribute "${attribute}".`);
    }
  };
  for (const o of ops as Operation[]) {
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw invalidSyntax('op must be add, replace or remove.');
    if (typeof o.path === 'string' && o.path.trim()) {
      const byValue = memberFilter.exec(o.path.trim());
      if (!byValue) set(o.path.trim(), op, o.value);
      else if (op === 'remove') move([byValue[1]!], false);
      else throw new ScimError(400, 'invalidPath', 'A members filter path is only for remove.');
      continue;
    }
    if (op === 'remove') throw new ScimError(400, 'noTarget', 'remove needs a path.');
    if (!o.value || typeof o.value !== 'object' || Array.isArray(o.value)) throw invalidValue('A path-less operation needs an object value.');
    for (const [attribute, value] of Object.entries(o.value)) set(attribute, op, value);
  }
  return change;
}

// --- Lookups ---------------------------------------------------------------------------------------

const filterableAttributes: Record<string, FilterableAttribute<ScimGroup>> = {
  id: { values: (g) => [g.group.id], caseExact: true },
  displayname: { values: (g) => [g.group.name], caseExact: false },
  externalid: { values: (g) => [g.externalId], caseExact: true },
};
/** Membership terms (`members eq "<user id>"`) are checked by key reads of those members. */
const memberTerms = new Set(['members', 'members.value']);

const supportedFilters = 'Groups are filtered by id, displayName or externalId with eq, optionally joined with and to other eq terms (members eq too).';

function lookupOf({ attribute, value }: { attribute: string; value: string }): GroupLookup {
  if (attribute === 'id') return { id: value };
  if (attribute === 'displayname') return { displayName: value };
  return { externalId: value };
}

async function filteredGroup(req: ScimRequest, filter: string, members: boolean): Promise<ScimGroup | undefined> {
  const terms = equalities(filter, [groupSchema], supportedFilters);
  const own = terms.filter((t) => !memberTerms.has(t.attribute));
  const key = keyTerm(own, ['id', 'displayname', 'externalid'], filterableAttributes, supportedFilters);
  if (key.attribute === 'id' && key.value.length > maxIdLength) return undefined;
  const found = await findScimGroup(req.scope, lookupOf(key), members);
  if (!found || !holdsAll(found, own, filterableAttributes)) return undefined;
  const wanted = terms.filter((t) => memberTerms.has(t.attribute)).map((t) => t.value);
  return wanted.length === 0 || (await hasMembers(req.scope, found.group.id, wanted)) ? found : undefined;
}

async function listGroups(req: ScimRequest): Promise<Result> {
  const page = pageOf(req.query);
  const members = returnsAttribute(req.query, groupSchemas, 'members');
  const { total, items } = req.query.filter
    ? pageOfFound(await filteredGroup(req, req.query.filter, members), page)
    : await listScimGroups(req.scope, page.startIndex, page.count, members).then(({ total, groups }) => ({ total, items: groups }));
  const shape = projection(req.query, groupSchemas);
  return listResponse(
    total,
    page.startIndex,
    items.map((g) => shape(toScimGroup(g, req.baseUrl))),
  );
}

async function existingGroup(req: ScimRequest, id: string, members: boolean): Promise<ScimGroup> {
  const found = id.length <= maxIdLength ? await getScimGroup(req.scope, id, members, true) : undefined;
  if (!found) throw groupNotFound();
  return found;
}

/** `/Groups` and `/Groups/{id}`. A PATCH answers 204, as Microsoft's guide asks (members are not sent back). */
export async function groupsEndpoint(req: ScimRequest): Promise<Result> {
  const [, id, extra] = req.segments;
  if (extra !== undefined) throw resourceNotFound();
  const shaped = (group: ScimGroup) => projection(req.query, groupSchemas)(toScimGroup(group, req.baseUrl));
  if (id === undefined) {
    if (req.method === 'GET') return listGroups(req);
    if (req.method !== 'POST') throw methodNotAllowed();
    const created = await createScimGroup(req.scope, toDirectoryGroup(req.body));
    return reply(201, shaped(created), { location: toScimGroup(created, req.baseUrl).meta.location });
  }
  switch (req.method) {
    case 'GET':
      return reply(200, shaped(await existingGroup(req, id, returnsAttribute(req.query, groupSchemas, 'members'))));
    case 'PUT': {
      const change = replacementOf(toDirectoryGroup(req.body));
      return reply(200, shaped(await changeScimGroup(req.scope, await existingGroup(req, id, false), change)));
    }
    case 'PATCH': {
      const change = groupChangeOf(req.body);
      await changeScimGroup(req.scope, await existingGroup(req, id, false), change);
      return noContent();
    }
    case 'DELETE':
      await deleteScimGroup(req.scope, await existingGroup(req, id, false));
      return noContent();
    default:
      throw methodNotAllowed();
  }
}
