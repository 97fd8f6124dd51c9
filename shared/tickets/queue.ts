import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client.js';
import { queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { guard, writeGuarded } from '../audit/audit.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { requireCompany, visibleCompanyFilter } from '../companies/access.js';
import { activityItem } from '../activity/activity.js';
import { getTicketRecord, queueKeys, requireServiceDeskSeat, ticketKeys, waitedSince, type Ticket } from './tickets.js';

export interface QueueEntry {
  ticketId: string;
  number: number;
  subject: string;
  companyId: string;
  waitingSince: string;
}

function toEntry(item: Record<string, unknown>): QueueEntry {
  const { ticketId, number, subject, companyId, waitingSince } = item as unknown as QueueEntry;
  return { ticketId, number, subject, companyId, waitingSince };
}

/** Waiting items of the caller's companies (or one of them), oldest first. */
export function listQueue(principal: StaffPrincipal, query: PageRequest & { companyId?: string | undefined }): Promise<Page<QueueEntry>> {
  if (query.companyId) {
    requireCompany(principal, query.companyId);
    return queryPage({ index: 'gsi1', partition: { name: 'gsi1pk', value: queueKeys.byCompany(principal.accountId, query.companyId) } }, query, toEntry);
  }
  return queryPage(
    { partition: { name: 'pk', value: queueKeys.all(principal.accountId) }, filter: visibleCompanyFilter(principal, 'companyId') },
    query,
    toEntry,
  );
}

/** 1 = next: how many of the company's waiting items are older, plus one. */
export async function queuePosition(accountId: string, ticket: Ticket): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :mine',
        ExpressionAttributeValues: { ':pk': queueKeys.byCompany(accountId, ticket.companyId), ':mine': queueKeys.order(ticket) },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count + 1;
}

class AlreadyTaken extends Error {}

/**
 * Takes the oldest waiting item of the caller's companies. The entry's delete and the ticket's
 * move to `open` are one transaction conditional on both still waiting: of any number of
 * simultaneous claimers exactly one gets an item, the others go on to the next one.
 */
export async function claimNext(principal: StaffPrincipal): Promise<Ticket | undefined> {
  requireServiceDeskSeat(principal.profile);
  const filter = visibleCompanyFilter(principal, 'companyId');
  let cursor: string | undefined;
  do {
    const page = await queryPage({ partition: { name: 'pk', value: queueKeys.all(principal.accountId) }, filter }, { limit: 25, cursor }, (item) => item);
    for (const entry of page.items) {
      const now = new Date().toISOString();
      try {
        await writeGuarded([
          guard(
            { Delete: { TableName: tableName, Key: { pk: entry.pk as string, sk: entry.sk as string }, ConditionExpression: 'attribute_exists(pk)' } },
            () => new AlreadyTaken(),
          ),
          guard(
            {
              Update: {
                TableName: tableName,
                Key: ticketKeys.item(principal.accountId, entry.ticketId as string),
                UpdateExpression: 'SET #status = :open, assigneeId = :me, updatedAt = :now REMOVE queuedAt',
                ConditionExpression: '#status = :queued',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':open': 'open', ':me': principal.id, ':now': now, ':queued': 'queued' },
              },
            },
            () => new AlreadyTaken(),
          ),
          activityItem(principal.accountId, entry.companyId as string, {
            kind: 'queue_left',
            ticketId: entry.ticketId as string,
            waitedMs: waitedSince(entry.waitingSince as string),
          }),
        ]);
        return (await getTicketRecord(principal.accountId, entry.ticketId as string, true))!;
      } catch (err) {
        if (!(err instanceof AlreadyTaken)) throw err;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}
