import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountCollection, accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { db, tableName } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { Conflict, NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, guard, type Actor } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { companyKeys, companyRequired, getCompany, joinCompany, leaveCompany, membershipPut, type Member } from '../companies/companies.js';
import { requireCompany, sharedCompanies, visibleCompanyFilter } from '../companies/access.js';
import type * as z from 'zod';
import type { CreateDeviceInput, UpdateDeviceInput } from './schema.js';
import type { deviceSchema } from './responses.js';

/** A device as the API shows it: its response schema says what that is. */
export type Device = z.output<typeof deviceSchema>;

/**
 * A device's own item lives in the account partition. Each company it belongs to holds a copy in
 * its member partition (the company's inventory, one Query per page), indexed by group on gsi2.
 */
export const deviceKeys = {
  item: (accountId: string, deviceId: string) => ({ pk: accountPartition(accountId), sk: entityKey('DEVICE', deviceId) }),
  prefix: () => entityPrefix('DEVICE'),
  byGroup: (accountId: string, companyId: string, group: string, deviceId: string) => ({
    gsi2pk: accountCollection(accountId, 'CO', companyId, 'GROUP', group.toLowerCase()),
    gsi2sk: entityKey('DEVICE', deviceId),
  }),
};

const asMember = (accountId: string, deviceId: string): Member => ({ type: 'DEVICE', id: deviceId, key: deviceKeys.item(accountId, deviceId) });

function fromItem(item: Record<string, unknown>): Device {
  const d = stripKeys<Device & { companyIds: Set<string> }>(item);
  return {
    id: d.id,
    name: d.name,
    companyIds: [...d.companyIds].sort(),
    group: d.group,
    kind: d.kind,
    os: d.os,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The copy a company's inventory holds: the device as of its last write. */
function inventoryCopy(accountId: string, companyId: string, device: Device) {
  return { ...deviceKeys.byGroup(accountId, companyId, device.group, device.id), device: { ...device } };
}

function visibleTo(principal: Principal, device: Device): Device | undefined {
  const companyIds = sharedCompanies(principal, device.companyIds);
  return companyIds && { ...device, companyIds };
}

async function getDeviceRecord(accountId: string, deviceId: string, consistent = false): Promise<Device | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: deviceKeys.item(accountId, deviceId), ConsistentRead: consistent }));
  return out.Item ? fromItem(out.Item) : undefined;
}

export async function getDevice(principal: Principal, deviceId: string): Promise<Device> {
  const device = await getDeviceRecord(principal.accountId, deviceId);
  const visible = device && visibleTo(principal, device);
  if (!visible) throw new NotFound('The device');
  return visible;
}

export async function listDevices(principal: Principal, page: PageRequest): Promise<Page<Device>> {
  const filter = visibleCompanyFilter(principal, 'companyIds', true);
  const result = await queryPage(
    {
      partition: { name: 'pk', value: accountPartition(principal.accountId) },
      range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': deviceKeys.prefix() } },
      filter,
    },
    page,
    fromItem,
  );
  return { ...result, items: result.items.map((d) => visibleTo(principal, d)!).filter(Boolean) };
}

/** One company's inventory: its member partition, or its group index when `group` is given. */
export async function listCompanyDevices(principal: Principal, companyId: string, page: PageRequest & { group?: string | undefined }): Promise<Page<Device>> {
  requireCompany(principal, companyId);
  const toDevice = (item: Record<string, unknown>) => visibleTo(principal, item.device as Device)!;
  const result =
    page.group !== undefined
      ? await queryPage(
          { index: 'gsi2', partition: { name: 'gsi2pk', value: deviceKeys.byGroup(principal.accountId, companyId, page.group, '').gsi2pk } },
          page,
          toDevice,
        )
      : await queryPage(
          {
            partition: { name: 'pk', value: companyKeys.members(principal.accountId, companyId) },
            range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': deviceKeys.prefix() } },
          },
          page,
          toDevice,
        );
  // An empty first page may mean there is no such company: only then is it worth a second read.
  if (result.items.length === 0 && !page.cursor) await getCompany(principal, companyId);
  return result;
}

function putDevice(accountId: string, device: Device, condition: 'new' | { seen: string }) {
  return guard(
    {
      Put: {
        TableName: tableName,
        Item: { ...deviceKeys.item(accountId, device.id), type: 'device', ...device, companyIds: new Set(device.companyIds) },
        ...(condition === 'new'
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'updatedAt = :seen', ExpressionAttributeValues: { ':seen': condition.seen } }),
      },
    },
    () => new Conflict('The device changed meanwhile; try again.'),
  );
}

export async function createDevice(actor: Actor, input: CreateDeviceInput): Promise<Device> {
  const companyIds = [...new Set(input.companyIds)].sort();
  if (companyIds.length === 0) throw companyRequired();
  const now = new Date().toISOString();
  const device: Device = { id: newId('dev'), name: input.name, companyIds, group: input.group, kind: input.kind, os: input.os, createdAt: now, updatedAt: now };
  await commitChanges(
    actor,
    [
      putDevice(actor.accountId, device, 'new'),
      ...companyIds.flatMap((cid) => joinCompany(actor.accountId, cid, asMember(actor.accountId, device.id), inventoryCopy(actor.accountId, cid, device))),
    ],
    [
      {
        resourceType: 'device',
        resourceId: device.id,
        action: 'create',
        fields: changedFields({} as Device, device, ['name', 'companyIds', 'group', 'kind', 'os']),
      },
    ],
  );
  return device;
}

/** Updates the device and every company's copy of it in one transaction. */
export async function updateDevice(actor: Actor, deviceId: string, input: UpdateDeviceInput): Promise<Device> {
  const current = await getDeviceRecord(actor.accountId, deviceId, true);
  if (!current) throw new NotFound('The device');
  const next: Device = {
    ...current,
    ...input,
    companyIds: input.companyIds ? [...new Set(input.companyIds)].sort() : current.companyIds,
    updatedAt: new Date().toISOString(),
  };
  if (next.companyIds.length === 0) throw companyRequired();
  const fields = changedFields(current, next, ['name', 'companyIds', 'group', 'kind', 'os']);
  if (Object.keys(fields).length === 0) return current;
  const removed = current.companyIds.filter((id) => !next.companyIds.includes(id));
  const added = next.companyIds.filter((id) => !current.companyIds.includes(id));
  const kept = next.companyIds.filter((id) => current.companyIds.includes(id));
  const member = asMember(actor.accountId, deviceId);
  await commitChanges(
    actor,
    [
      putDevice(actor.accountId, next, { seen: current.updatedAt }),
      ...added.flatMap((cid) => joinCompany(actor.accountId, cid, member, inventoryCopy(actor.accountId, cid, next))),
      ...removed.flatMap((cid) => leaveCompany(actor.accountId, cid, member)),
      ...kept.map((cid) => membershipPut(actor.accountId, cid, member, inventoryCopy(actor.accountId, cid, next))),
    ],
    [{ resourceType: 'device', resourceId: deviceId, action: 'update', fields }],
  );
  return next;
}

export async function deleteDevice(actor: Actor, deviceId: string): Promise<void> {
  const current = await getDeviceRecord(actor.accountId, deviceId, true);
  if (!current) throw new NotFound('The device');
  await commitChanges(
    actor,
    [
      guard(
        {
          Delete: {
            TableName: tableName,
            Key: deviceKeys.item(actor.accountId, deviceId),
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeValues: { ':seen': current.updatedAt },
          },
        },
        () => new Conflict('The device changed meanwhile; try again.'),
      ),
      ...current.companyIds.flatMap((cid) => leaveCompany(actor.accountId, cid, { type: 'DEVICE', id: deviceId })),
    ],
    [{ resourceType: 'device', resourceId: deviceId, action: 'delete', fields: { name: { from: current.name, to: null } } }],
  );
}
