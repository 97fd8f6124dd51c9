import type { Page, PageRequest } from '../db/pagination.js';
import { publishAssigned, publishQueuePositions } from '../live/live.js';
import { transact } from '../db/transaction.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { requireCompany, visibleCompanyFilter } from '../companies/access.js';
import { activityItem } from '../activity/activity.js';
import { queueEntryEntity, ticketEntity, type QueueEntryRecord } from './entities.js';
import { getTicketRecord, requireServiceDeskSeat, waitedSince, type Ticket } from './tickets.js';

export interface QueueEntry {
  ticketId: string;
  number: number;
  subject: string;
  companyId: string;
  waitingSince: string;
}

function toEntry({ ticketId, number, subject, companyId, waitingSince }: QueueEntryRecord): QueueEntry {
  return { ticketId, number, subject, companyId, waitingSince };
}

/** Waiting items of the caller's companies (or one of them), oldest first. */
export async function listQueue(principal: StaffPrincipal, query: PageRequest & { companyId?: string | undefined }): Promise<Page<QueueEntry>> {
  const { accountId } = principal;
  let page: Page<QueueEntryRecord>;
  if (query.companyId) {
    requireCompany(principal, query.companyId);
    page = await queueEntryEntity.queryIndexPage('byCompany', { accountId, companyId: query.companyId }, query);
  } else {
    const filter = visibleCompanyFilter(principal, 'companyId');
    page = await queueEntryEntity.queryPage({ accountId }, query, filter && { filter });
  }
  return { ...page, items: page.items.map(toEntry) };
}

/** 1 = next: how many of the company's waiting items are older, plus one. */
export async function queuePosition(accountId: string, ticket: Ticket): Promise<number> {
  const older = await queueEntryEntity.queryIndexAll(
    'byCompany',
    { accountId, companyId: ticket.companyId },
    { range: { lt: queueEntryEntity.indexSort('byCompany', { waitingSince: ticket.queuedAt!, ticketId: ticket.id }) } },
  );
  return older.length + 1;
}

class AlreadyTaken extends Error {}

/**
 * Takes the oldest waiting item of the caller's companies. The entry's delete and the ticket's
 * move to `open` are one transaction conditional on both still waiting: of any number of
 * simultaneous claimers exactly one gets an item, the others go on to the next one.
 */
export async function claimNext(principal: StaffPrincipal): Promise<Ticket | undefined> {
  requireServiceDeskSeat(principal.profile);
  const { accountId } = principal;
  const filter = visibleCompanyFilter(principal, 'companyId');
  let cursor: string | undefined;
  do {
    const page = await queueEntryEntity.queryPage({ accountId }, { limit: 25, cursor }, filter && { filter });
    for (const entry of page.items) {
      const now = new Date().toISOString();
      try {
        await transact([
          queueEntryEntity.deleteAction(entry, { condition: { itemExists: true }, onFail: () => new AlreadyTaken() }),
          ticketEntity.updateAction(
            { accountId, id: entry.ticketId },
            { set: { status: 'open', assigneeId: principal.id, updatedAt: now }, remove: ['queuedAt'] },
            {
              condition: { path: 'status', eq: 'queued' },
              onFail: () => new AlreadyTaken(),
              // The entry waits since the ticket was opened: its `waitingSince` is the ticket's `createdAt`.
              indexes: { byAssignee: { accountId, assigneeId: principal.id, createdAt: entry.waitingSince, id: entry.ticketId } },
            },
          ),
          activityItem(accountId, entry.companyId, { kind: 'queue_left', ticketId: entry.ticketId, waitedMs: waitedSince(entry.waitingSince) }),
        ]);
        // The customer hears who took their ticket; everyone behind them moves up a place.
        await Promise.all([
          publishAssigned(accountId, entry.ticketId, { id: principal.id, firstName: principal.profile.firstName }),
          publishQueuePositions(accountId, entry.companyId),
        ]);
        return (await getTicketRecord(accountId, entry.ticketId, true))!;
      } catch (err) {
        if (!(err instanceof AlreadyTaken)) throw err;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}
