import { defineEntity } from '../db/entity.js';
import { accountCollection, accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import type { SortRange } from '../db/pagination.js';
import type { ReportSubscription } from './subscriptions.js';

/** A subscription as stored: it keeps its account, for the schedule that finds it across accounts. */
export interface SubscriptionRecord extends ReportSubscription {
  accountId: string;
  version?: number;
}

/**
 * Subscriptions live in their account's partition (`REPORTSUB#<id>`). Finding the due ones must not
 * read every account's, so each is also on `due` (gsi3), by when it next falls due, across accounts:
 * the one index partition the schedule reads, up to now. Once every email of a period is sent, the
 * run moves the subscription's place on `due` to its next due time.
 */
export const subscriptionEntity = defineEntity<SubscriptionRecord>()({
  type: 'report_subscription',
  partition: (s: { accountId: string }) => accountPartition(s.accountId),
  sort: (s: { id: string }) => entityKey('REPORTSUB', s.id),
  sortPrefix: entityPrefix('REPORTSUB'),
  versioned: true,
  indexes: {
    due: {
      index: 'gsi3',
      partition: () => 'REPORTS#DUE',
      sort: (s: { nextRunAt: string; accountId: string; id: string }) => `${s.nextRunAt}#${s.accountId}#${s.id}`,
    },
  },
});

/** Subscriptions on `due` whose next run is at or before `instant`. */
export const dueBy = (instant: string): SortRange => ({ le: `${instant}#\uffff` });

/** One email of a period: the report on one company, to one method. */
export interface ReportEmail {
  period: string;
  companyId: string;
  methodId: string;
}

export interface ReportSendRecord extends ReportEmail {
  subscriptionId: string;
  /** The run sending it, until when: another run leaves it alone until then. */
  leaseId?: string;
  leaseUntil?: string;
  sentAt?: string;
  messageId?: string;
}

/**
 * Each email of a period has a send record in the subscription's own partition
 * (`A#<acc>#REPORTSUB#<id>`, `<period>#<companyId>#<methodId>`): leased before it is sent, marked
 * sent after.
 */
export const reportSendEntity = defineEntity<ReportSendRecord>()({
  type: 'report_send',
  partition: (s: { accountId: string; subscriptionId: string }) => accountCollection(s.accountId, 'REPORTSUB', s.subscriptionId),
  sort: (s: ReportEmail) => `${s.period}#${s.companyId}#${s.methodId}`,
  keyOnly: ['accountId'],
});

/** The send records of one period. */
export const periodSends = (period: string): SortRange => ({ beginsWith: `${period}#` });
