import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../db/batch.js';
import { accountCollection, entityKey } from '../db/keys.js';
import { db, isConditionFailure, tableName } from '../db/client.js';
import { queryAll } from '../db/pagination.js';
import { fromUserItem, toUser, userKeys, type User } from '../users/users.js';
import { asViewer, canSeeCompany } from '../companies/access.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { guard, type GuardedWrite } from '../audit/audit.js';
import { Conflict } from '../errors.js';
import { SeatRequired } from '../tickets/tickets.js';

/** `available` lapses by itself after this long without a renewing PUT. */
export const availabilityLapseSeconds = 10 * 60;

/**
 * Who is available lives in one small partition per account: an item per available staff member
 * with the time their availability lapses (also its TTL, so DynamoDB clears it away) and since when
 * they have waited for a live customer (`waitingSince`, the order of live connection). Reads compare
 * `until` with now, so a lapse takes effect to the second, not when TTL gets round to it.
 */
const availabilityKeys = {
  all: (accountId: string) => accountCollection(accountId, 'AVAILABLE'),
  item: (accountId: string, userId: string) => ({ pk: availabilityKeys.all(accountId), sk: entityKey('USER', userId) }),
};

export type Availability = 'available' | 'away';

const now = () => Math.floor(Date.now() / 1000);

export async function setAvailability(principal: StaffPrincipal, status: Availability): Promise<{ status: Availability; until: string | null }> {
  const key = availabilityKeys.item(principal.accountId, principal.id);
  // Available means a customer may be connected live, which needs a remote support seat; away never does.
  if (status === 'available' && !principal.profile.seats.includes('remote_support')) throw new SeatRequired('remote_support');
  if (status === 'away') {
    await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    return { status, until: null };
  }
  // Renew, else start afresh; a few rounds settle a race with the member's own other session (another tab).
  for (let attempt = 0; attempt < 3; attempt++) {
    const at = now();
    const until = at + availabilityLapseSeconds;
    try {
      // Still available: a renewal moves the lapse only, so renewing never costs a technician their turn.
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET #until = :until, #ttl = :until',
          ConditionExpression: '#until > :now',
          ExpressionAttributeNames: { '#until': 'until', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':until': until, ':now': at },
        }),
      );
      return { status, until: new Date(until * 1000).toISOString() };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    try {
      // Back from away (or a lapse): they start waiting now. Conditional, so a renewal at the same moment is not undone.
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, type: 'availability', userId: principal.id, until, ttl: until, waitingSince: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': at },
        }),
      );
      return { status, until: new Date(until * 1000).toISOString() };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
  throw new Conflict('Your availability changed meanwhile; try again.');
}

/** A technician who may be connected live now, with the turn the connection is conditional on. */
export interface LiveCandidate {
  user: User;
  waitingSince: string;
}

/**
 * Who a live customer of the company would be connected to, in turn order: available now, with
 * access to the company (administrators: all) and a remote support seat, read fresh (a seat taken
 * back counts at once); the longest waiting first (ties by id, so every reader agrees). Consistent,
 * so a turn just taken is seen by the next request.
 */
export async function liveCandidates(accountId: string, companyId: string): Promise<LiveCandidate[]> {
  const items = await queryAll({
    partition: { name: 'pk', value: availabilityKeys.all(accountId) },
    filter: { expression: '#until > :now', names: { '#until': 'until' }, values: { ':now': now() } },
    consistent: true,
  });
  if (items.length === 0) return [];
  // An item written before turns were kept has none: it has waited since its availability began, i.e. longest.
  const waiting = new Map(items.map((item) => [item.userId as string, (item.waitingSince as string | undefined) ?? '']));
  const users = (await batchGet(items.map((item) => userKeys.item(accountId, item.userId as string)))).map((item) => toUser(fromUserItem(item)));
  return users
    .filter((u) => canSeeCompany(asViewer(u), companyId) && u.seats.includes('remote_support'))
    .map((user) => ({ user, waitingSince: waiting.get(user.id)! }))
    .sort((a, b) => a.waitingSince.localeCompare(b.waitingSince) || a.user.id.localeCompare(b.user.id));
}

/** The technician's turn went to another request meanwhile (or they went away or lapsed). */
export class TurnTaken extends Error {}

/**
 * Gives the candidate a live customer, for the customer's ticket transaction: they stay available
 * and go to the back of the turn order. Conditional on their turn being unchanged and their
 * availability current, so two requests racing for one turn never both get it (the loser fails
 * with `TurnTaken` and looks again).
 */
export function takeTurn(accountId: string, candidate: LiveCandidate): GuardedWrite {
  return guard(
    {
      Update: {
        TableName: tableName,
        Key: availabilityKeys.item(accountId, candidate.user.id),
        UpdateExpression: 'SET waitingSince = :now',
        ConditionExpression: candidate.waitingSince ? 'waitingSince = :seen AND #until > :at' : 'attribute_not_exists(waitingSince) AND #until > :at',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': new Date().toISOString(), ':at': now(), ...(candidate.waitingSince ? { ':seen': candidate.waitingSince } : {}) },
      },
    },
    () => new TurnTaken(),
  );
}
