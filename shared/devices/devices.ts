import type { Page, PageRequest } from '../db/pagination.js';
import type { WriteAction } from '../db/transaction.js';
import { Conflict, NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, type Actor } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { companyRequired, getCompany, joinCompany, leaveCompany, membershipPut, type Member } from '../companies/companies.js';
import { companyMemberEntity, type MemberRecord } from '../companies/entities.js';
import { requireCompany, sharedCompanies, visibleCompanyFilter } from '../companies/access.js';
import { deviceEntity, type DeviceRecord } from './entities.js';
import type * as z from 'zod';
import type { CreateDeviceInput, UpdateDeviceInput } from './schema.js';
import type { deviceSchema } from './responses.js';

/** A device as the API shows it: its response schema says what that is. */
export type Device = z.output<typeof deviceSchema>;

const asMember = (accountId: string, deviceId: string): Member => ({ type: 'DEVICE', id: deviceId, key: deviceEntity.key({ accountId, id: deviceId }) });

const changedMeanwhile = () => new Conflict('The device changed meanwhile; try again.');

/** Sets → sorted arrays: the shape the API returns. */
function fromRecord(record: DeviceRecord): Device {
  const { id, name, companyIds, group, kind, os, createdAt, updatedAt } = record;
  return { id, name, companyIds: [...companyIds].sort(), group, kind, os, createdAt, updatedAt };
}

const toRecord = (device: Device) => ({ ...device, companyIds: new Set(device.companyIds) });

/** What a company's inventory holds of the device: a copy as of its last write. */
const inventoryCopy = (device: Device) => ({ device: { ...device } });

function visibleTo(principal: Principal, device: Device): Device | undefined {
  const companyIds = sharedCompanies(principal, device.companyIds);
  return companyIds && { ...device, companyIds };
}

async function getDeviceRecord(accountId: string, deviceId: string, consistent = false): Promise<{ device: Device; version: number } | undefined> {
  const record = await deviceEntity.get({ accountId, id: deviceId }, { consistent });
  return record && { device: fromRecord(record), version: record.version ?? 0 };
}

export async function getDevice(principal: Principal, deviceId: string): Promise<Device> {
  const found = await getDeviceRecord(principal.accountId, deviceId);
  const visible = found && visibleTo(principal, found.device);
  if (!visible) throw new NotFound('The device');
  return visible;
}

export async function listDevices(principal: Principal, page: PageRequest): Promise<Page<Device>> {
  const filter = visibleCompanyFilter(principal, 'companyIds', true);
  const result = await deviceEntity.queryPage({ accountId: principal.accountId }, page, { filter });
  return { ...result, items: result.items.flatMap((r) => visibleTo(principal, fromRecord(r)) ?? []) };
}

/** One company's inventory: its member partition, or its group index when `group` is given. */
export async function listCompanyDevices(principal: Principal, companyId: string, page: PageRequest & { group?: string | undefined }): Promise<Page<Device>> {
  requireCompany(principal, companyId);
  const { accountId } = principal;
  const result =
    page.group !== undefined
      ? await companyMemberEntity.queryIndexPage('byGroup', { accountId, companyId, device: { group: page.group } }, page)
      : await companyMemberEntity.queryPage({ accountId, companyId }, page, {
          range: { beginsWith: companyMemberEntity.sortKey({ memberType: 'DEVICE', memberId: '' }) },
        });
  // An empty first page may mean there is no such company: only then is it worth a second read.
  if (result.items.length === 0 && !page.cursor) await getCompany(principal, companyId);
  return { ...result, items: result.items.flatMap((entry) => (entry.device && visibleTo(principal, entry.device)) ?? []) };
}

export async function createDevice(actor: Actor, input: CreateDeviceInput): Promise<Device> {
  const companyIds = [...new Set(input.companyIds)].sort();
  if (companyIds.length === 0) throw companyRequired();
  const now = new Date().toISOString();
  const device: Device = { id: newId('dev'), name: input.name, companyIds, group: input.group, kind: input.kind, os: input.os, createdAt: now, updatedAt: now };
  await commitChanges(
    actor,
    [
      deviceEntity.putAction({ ...toRecord(device), accountId: actor.accountId }, { ifNew: true, onFail: changedMeanwhile }),
      ...companyIds.flatMap((cid) => joinCompany(actor.accountId, cid, asMember(actor.accountId, device.id), inventoryCopy(device))),
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
  const found = await getDeviceRecord(actor.accountId, deviceId, true);
  if (!found) throw new NotFound('The device');
  const current = found.device;
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
      deviceEntity.putAction({ ...toRecord(next), accountId: actor.accountId }, { ifVersion: found.version, onFail: changedMeanwhile }),
      ...added.flatMap((cid) => joinCompany(actor.accountId, cid, member, inventoryCopy(next))),
      ...removed.flatMap((cid) => leaveCompany(actor.accountId, cid, member)),
      ...kept.map((cid) => membershipPut(actor.accountId, cid, member, inventoryCopy(next))),
    ],
    [{ resourceType: 'device', resourceId: deviceId, action: 'update', fields }],
  );
  return next;
}

export async function deleteDevice(actor: Actor, deviceId: string): Promise<void> {
  const found = await getDeviceRecord(actor.accountId, deviceId, true);
  if (!found) throw new NotFound('The device');
  await commitChanges(
    actor,
    [
      deviceEntity.deleteAction({ accountId: actor.accountId, id: deviceId }, { ifVersion: found.version, onFail: changedMeanwhile }),
      ...found.device.companyIds.flatMap((cid) => leaveCompany(actor.accountId, cid, { type: 'DEVICE', id: deviceId })),
    ],
    [{ resourceType: 'device', resourceId: deviceId, action: 'delete', fields: { name: { from: found.device.name, to: null } } }],
  );
}

/**
 * A company deleted: the device leaves it (refused, 409 company_required, when it is the device's
 * only company), and its copies in its other companies list the companies it keeps. `entry` is the
 * device's member entry in the deleted company.
 */
export function deviceLosesCompany(accountId: string, entry: MemberRecord): WriteAction[] {
  const { memberId: deviceId, companyId } = entry;
  const remaining = (entry.device?.companyIds ?? []).filter((id) => id !== companyId);
  return [
    deviceEntity.updateAction(
      { accountId, id: deviceId },
      { delete: { companyIds: new Set([companyId]) }, set: { updatedAt: new Date().toISOString() } },
      {
        condition: {
          and: [
            { path: 'companyIds', contains: companyId },
            { path: 'companyIds', sizeGt: 1 },
          ],
        },
        onFail: () => companyRequired(`The company is the only company of a device (${deviceId}).`),
      },
    ),
    ...remaining.map((cid) =>
      companyMemberEntity.updateAction({ accountId, companyId: cid, memberType: 'DEVICE', memberId: deviceId }, { set: { 'device.companyIds': remaining } }),
    ),
  ];
}
