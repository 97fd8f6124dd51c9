import { defineEntity } from '../db/entity.js';
import { accountCollection } from '../db/keys.js';
import type { SortRange } from '../db/pagination.js';
import type { ActivityEvent } from './activity.js';

/**
 * A company's events in time order (`A#<acc>#ACTIVITY#<companyId>` / `<at>#<eventId>`); neither the
 * company nor the event id is stored on the item.
 */
export const activityEntity = defineEntity<ActivityEvent>()({
  type: 'activity',
  partition: (e: { accountId: string; companyId: string }) => accountCollection(e.accountId, 'ACTIVITY', e.companyId),
  sort: (e: { at: string; eventId: string }) => `${e.at}#${e.eventId}`,
  keyOnly: ['accountId', 'companyId', 'eventId'],
});

/** Events from `start` up to `end` (inclusive: sort keys start with the instant; callers cut at `end` themselves). */
export const happenedBetween = (start: string, end: string): SortRange => ({ between: [start, end] });
