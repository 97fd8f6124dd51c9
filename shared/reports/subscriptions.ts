import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { db, isConditionFailure, tableName } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryAll, queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { commitChanges, guard, type Actor } from '../audit/audit.js';
import { activityBetween } from '../activity/activity.js';
import { companyKeys, toCompany, type Company } from '../companies/companies.js';
import { contactKeys } from '../contacts/keys.js';
import { reportRecipients } from '../contacts/contacts.js';
import { sendEmail } from '../clients/ses.js';
import { queueKeys } from '../tickets/tickets.js';
import { nextRunAt, periodKey, reportWindow } from './schedule.js';
import { renderReport, type CompanyReport } from './statistics.js';
import type { CreateSubscriptionInput } from './schema.js';

export interface ReportSubscription extends CreateSubscriptionInput {
  id: string;
  nextRunAt: string;
  lastPeriod?: string;
  createdAt: string;
}

/**
 * Subscriptions live in their account's partition. Finding the due ones must not read every
 * account's, so each is also indexed (gsi3) by when it next falls due, across accounts: the one
 * index partition the schedule reads, `gsi3sk <= now`. Each run moves a sent subscription's
 * position in that index to its next due time.
 */
export const subscriptionKeys = {
  item: (accountId: string, id: string) => ({ pk: accountPartition(accountId), sk: entityKey('REPORTSUB', id) }),
  prefix: () => entityPrefix('REPORTSUB'),
  due: 'REPORTS#DUE',
  dueOrder: (accountId: string, sub: Pick<ReportSubscription, 'id' | 'nextRunAt'>) => `${sub.nextRunAt}#${accountId}#${sub.id}`,
};

const toSubscription = (item: Record<string, unknown>) => {
  const { accountId: _account, ...sub } = stripKeys<ReportSubscription & { accountId: string }>(item);
  return sub;
};

export async function createSubscription(actor: Actor, input: CreateSubscriptionInput): Promise<ReportSubscription> {
  const now = new Date();
  const sub: ReportSubscription = { ...input, id: newId('rep'), nextRunAt: nextRunAt(input, now), createdAt: now.toISOString() };
  await commitChanges(
    actor,
    [
      guard(
        { ConditionCheck: { TableName: tableName, Key: contactKeys.item(actor.accountId, input.contactId), ConditionExpression: 'attribute_exists(pk)' } },
        () => new ValidationFailed('The contact does not exist.', [{ path: 'contactId', message: 'Unknown contact' }]),
      ),
      ...(input.companyId
        ? [
            guard(
              { ConditionCheck: { TableName: tableName, Key: companyKeys.item(actor.accountId, input.companyId), ConditionExpression: 'attribute_exists(pk)' } },
              () => new ValidationFailed('The company does not exist.', [{ path: 'companyId', message: 'Unknown company' }]),
            ),
          ]
        : []),
      {
        Put: {
          TableName: tableName,
          Item: {
            ...subscriptionKeys.item(actor.accountId, sub.id),
            gsi3pk: subscriptionKeys.due,
            gsi3sk: subscriptionKeys.dueOrder(actor.accountId, sub),
            type: 'report_subscription',
            accountId: actor.accountId,
            ...sub,
          },
        },
      },
    ],
    [{ resourceType: 'report_subscription', resourceId: sub.id, action: 'create', fields: { contactId: { from: null, to: sub.contactId }, frequency: { from: null, to: sub.frequency } } }],
  );
  return sub;
}

export function listSubscriptions(accountId: string, page: PageRequest): Promise<Page<ReportSubscription>> {
  return queryPage(
    {
      partition: { name: 'pk', value: accountPartition(accountId) },
      range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': subscriptionKeys.prefix() } },
    },
    page,
    toSubscription,
  );
}

export async function deleteSubscription(actor: Actor, id: string): Promise<void> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: subscriptionKeys.item(actor.accountId, id) }));
  if (!out.Item) throw new NotFound('The report subscription');
  await commitChanges(
    actor,
    [{ Delete: { TableName: tableName, Key: subscriptionKeys.item(actor.accountId, id) } }],
    [{ resourceType: 'report_subscription', resourceId: id, action: 'delete', fields: { contactId: { from: out.Item.contactId, to: null } } }],
  );
}

// --- The schedule ------------------------------------------------------------------------------

export interface ReportRun {
  due: number;
  sent: number;
  skipped: number;
  failed: number;
}

/** The report of one company for a period, from its activity and its queue as it is now. */
async function companyReport(accountId: string, company: Company, sub: ReportSubscription, period: string): Promise<CompanyReport> {
  const window = reportWindow(sub, period);
  const [events, waiting] = await Promise.all([
    activityBetween(accountId, company.id, window.start, window.end),
    db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': queueKeys.byCompany(accountId, company.id) },
        Select: 'COUNT',
      }),
    ),
  ]);
  return {
    companyName: company.name,
    frequency: sub.frequency,
    period: { firstDay: window.firstDay, lastDay: window.lastDay, timezone: sub.timezone },
    ticketsOpened: events.filter((e) => e.kind === 'ticket_opened').length,
    ticketsSolved: events.filter((e) => e.kind === 'ticket_solved').length,
    ticketsWaiting: waiting.Count ?? 0,
    queueTimesMs: events.filter((e) => e.kind === 'queue_left').map((e) => e.waitedMs ?? 0),
    alertsSent: events.filter((e) => e.kind === 'alert_sent').length,
  };
}

async function companiesOf(accountId: string, sub: ReportSubscription): Promise<Company[]> {
  if (sub.companyId) {
    const out = await db.send(new GetCommand({ TableName: tableName, Key: companyKeys.item(accountId, sub.companyId) }));
    return out.Item ? [toCompany(out.Item)] : [];
  }
  const items = await queryAll({ index: 'gsi1', partition: { name: 'gsi1pk', value: companyKeys.byName(accountId, { id: '', name: '' }).gsi1pk } });
  return items.map(toCompany);
}

/** Emails a subscription's report for the period: one email per company, to each report method. */
async function sendReport(accountId: string, sub: ReportSubscription, period: string): Promise<void> {
  const recipients = (await reportRecipients(accountId, sub.contactId)).filter((r) => r.type === 'email');
  if (recipients.length === 0) return;
  for (const company of await companiesOf(accountId, sub)) {
    const report = renderReport(await companyReport(accountId, company, sub, period));
    await sendEmail({ from: config.MAIL_FROM, to: recipients.map((r) => r.address), subject: report.subject, text: report.text, html: report.html, autoSubmitted: 'auto-generated' });
  }
}

/**
 * One run of the report schedule. Each due subscription's period is claimed by a conditional write
 * before anything is sent, so two runs (the schedule firing twice, a retried Lambda) send a period
 * once; a failed send releases the claim for the next run.
 */
export async function runReports(now = new Date()): Promise<ReportRun> {
  const run: ReportRun = { due: 0, sent: 0, skipped: 0, failed: 0 };
  const due = await queryAll({
    index: 'gsi3',
    partition: { name: 'gsi3pk', value: subscriptionKeys.due },
    range: { expression: '#sk <= :now', names: { '#sk': 'gsi3sk' }, values: { ':now': `${now.toISOString()}#\uffff` } },
  });
  for (const item of due) {
    run.due++;
    const accountId = item.accountId as string;
    const sub = toSubscription(item);
    const period = periodKey(sub, now);
    const next = nextRunAt(sub, now);
    const key = subscriptionKeys.item(accountId, sub.id);
    const reschedule = { ':next': next, ':order': subscriptionKeys.dueOrder(accountId, { id: sub.id, nextRunAt: next }) };
    if (!period) {
      // Indexed as due but its hour has not come in its time zone (a clock change): move it on.
      await db.send(new UpdateCommand({ TableName: tableName, Key: key, UpdateExpression: 'SET nextRunAt = :next, gsi3sk = :order', ExpressionAttributeValues: reschedule }));
      run.skipped++;
      continue;
    }
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET lastPeriod = :period, nextRunAt = :next, gsi3sk = :order',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastPeriod) OR lastPeriod <> :period)',
          ExpressionAttributeValues: { ':period': period, ...reschedule },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      run.skipped++;
      continue;
    }
    try {
      await sendReport(accountId, sub, period);
      run.sent++;
    } catch (err) {
      run.failed++;
      logger.error('report failed; released for the next run', { subscriptionId: sub.id, period, error: (err as Error).message });
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: sub.lastPeriod ? 'SET lastPeriod = :previous, nextRunAt = :now, gsi3sk = :order' : 'REMOVE lastPeriod SET nextRunAt = :now, gsi3sk = :order',
          ConditionExpression: 'lastPeriod = :period',
          ExpressionAttributeValues: {
            ':period': period,
            ':now': now.toISOString(),
            ':order': subscriptionKeys.dueOrder(accountId, { id: sub.id, nextRunAt: now.toISOString() }),
            ...(sub.lastPeriod ? { ':previous': sub.lastPeriod } : {}),
          },
        }),
      );
    }
  }
  return run;
}
