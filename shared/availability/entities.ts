import { defineEntity } from '../db/entity.js';
import { accountCollection, entityKey } from '../db/keys.js';

export interface AvailabilityRecord {
  userId: string;
  /** When availability lapses, in seconds since the epoch. */
  until: number;
  /** Since when they have waited for a live customer: their turn (absent on items older than turns). */
  waitingSince?: string;
}

/**
 * Who is available lives in one small partition per account (`A#<acc>#AVAILABLE`): an item per
 * available staff member (`USER#<id>`) with the time their availability lapses (also its TTL, so
 * DynamoDB clears it away) and since when they have waited for a live customer (`waitingSince`, the
 * order of live connection). Reads compare `until` with now, so a lapse takes effect to the second,
 * not when TTL gets round to it.
 */
export const availabilityEntity = defineEntity<AvailabilityRecord>()({
  type: 'availability',
  partition: (a: { accountId: string }) => accountCollection(a.accountId, 'AVAILABLE'),
  sort: (a: { userId: string }) => entityKey('USER', a.userId),
  keyOnly: ['accountId'],
});
