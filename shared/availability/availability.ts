import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../db/batch.js';
import { accountCollection, entityKey } from '../db/keys.js';
import { db, tableName } from '../db/client.js';
import { queryAll } from '../db/pagination.js';
import { fromUserItem, toUser, userKeys, type User } from '../users/users.js';
import type { StaffPrincipal } from '../auth/principal.js';

/** `available` lapses by itself after this long without a renewing PUT. */
export const availabilityLapseSeconds = 10 * 60;

/**
 * Who is available lives in one small partition per account: an item per available staff member
 * with the time their availability lapses (also its TTL, so DynamoDB clears it away). Reads compare
 * that time with now, so a lapse takes effect to the second, not when TTL gets round to it.
 */
const availabilityKeys = {
  all: (accountId: string) => accountCollection(accountId, 'AVAILABLE'),
  item: (accountId: string, userId: string) => ({ pk: availabilityKeys.all(accountId), sk: entityKey('USER', userId) }),
};

export type Availability = 'available' | 'away';

const now = () => Math.floor(Date.now() / 1000);

export async function setAvailability(principal: StaffPrincipal, status: Availability): Promise<{ status: Availability; until: string | null }> {
  const key = availabilityKeys.item(principal.accountId, principal.id);
  if (status === 'away') {
    await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    return { status, until: null };
  }
  const until = now() + availabilityLapseSeconds;
  await db.send(new PutCommand({ TableName: tableName, Item: { ...key, type: 'availability', userId: principal.id, until, ttl: until } }));
  return { status, until: new Date(until * 1000).toISOString() };
}

/**
 * Staff available right now with access to the company, as they are now (role, companies and
 * seats read fresh, so a seat taken back counts at once).
 */
export async function availableStaff(accountId: string, companyId: string): Promise<User[]> {
  const items = await queryAll({
    partition: { name: 'pk', value: availabilityKeys.all(accountId) },
    filter: { expression: '#until > :now', names: { '#until': 'until' }, values: { ':now': now() } },
  });
  if (items.length === 0) return [];
  const users = (await batchGet(items.map((item) => userKeys.item(accountId, item.userId as string)))).map((item) => toUser(fromUserItem(item)));
  return users.filter((u) => u.role === 'administrator' || u.companyIds.includes(companyId));
}
