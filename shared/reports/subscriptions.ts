import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { accountCollection, accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { db, isConditionFailure, tableName, writeIfCondition } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryAll, queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { Conflict, NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { commitChanges, guard, type Actor } from '../audit/audit.js';
import { activityBetween } from '../activity/activity.js';
import { companyKeys, toCompany, type Company } from '../companies/companies.js';
import { contactKeys } from '../contacts/keys.js';
import { getContactRecord, reportRecipients, type Recipient } from '../contacts/contacts.js';
import { sendEmail } from '../clients/ses.js';
import { queueKeys } from '../tickets/tickets.js';
import { firstRunAt, nextRunAt, periodKey, reportWindow } from './schedule.js';
import { renderReport, type CompanyReport, type RenderedReport } from './statistics.js';
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
 * index partition the schedule reads, `gsi3sk <= now`. Once every email of a period is sent, the
 * run moves the subscription's position in that index to its next due time.
 *
 * Each email of a period (one per company reported on and report method) has a send record in the
 * subscription's own partition: leased before it is sent, marked sent after.
 */
export const subscriptionKeys = {
  item: (accountId: string, id: string) => ({ pk: accountPartition(accountId), sk: entityKey('REPORTSUB', id) }),
  prefix: () => entityPrefix('REPORTSUB'),
  due: 'REPORTS#DUE',
  dueOrder: (accountId: string, sub: Pick<ReportSubscription, 'id' | 'nextRunAt'>) => `${sub.nextRunAt}#${accountId}#${sub.id}`,
  sends: (accountId: string, id: string) => accountCollection(accountId, 'REPORTSUB', id),
  send: (accountId: string, id: string, email: ReportEmail) => ({
    pk: subscriptionKeys.sends(accountId, id),
    sk: `${email.period}#${email.companyId}#${email.methodId}`,
  }),
  periodPrefix: (period: string) => `${period}#`,
};

/** One email of a period: the report on one company, to one method. */
interface ReportEmail {
  period: string;
  companyId: string;
  methodId: string;
}

const toSubscription = (item: Record<string, unknown>) => {
  const { accountId: _account, ...sub } = stripKeys<ReportSubscription & { accountId: string }>(item);
  return sub;
};

/**
 * The contact must receive the reports of the subscription's company: a contact of that company,
 * or of all companies (the only kind that may subscribe to the whole account, `companyId: null`).
 */
export async function createSubscription(actor: Actor, input: CreateSubscriptionInput): Promise<ReportSubscription> {
  const contact = await getContactRecord(actor.accountId, input.contactId, true);
  if (!contact) throw new NotFound('The contact');
  if (input.companyId && !(await findCompany(actor.accountId, input.companyId))) throw new NotFound('The company');
  if (!contact.allCompanies && !(input.companyId && contact.companyIds.includes(input.companyId))) {
    throw new ValidationFailed(
      input.companyId ? 'The contact has no access to the company.' : 'A report on the whole account needs a contact of all companies.',
      [{ path: 'contactId', message: input.companyId ? 'No access to the company' : 'Not a contact of all companies' }],
    );
  }
  const now = new Date();
  const sub: ReportSubscription = { ...input, id: newId('rep'), nextRunAt: firstRunAt(input, now), createdAt: now.toISOString() };
  await commitChanges(
    actor,
    [
      // Its access was checked on this version of the contact.
      guard(
        {
          ConditionCheck: {
            TableName: tableName,
            Key: contactKeys.item(actor.accountId, input.contactId),
            ConditionExpression: 'version = :seen',
            ExpressionAttributeValues: { ':seen': contact.version },
          },
        },
        () => new Conflict('The contact changed meanwhile; try again.'),
      ),
      ...(input.companyId
        ? [
            guard(
              {
                ConditionCheck: { TableName: tableName, Key: companyKeys.item(actor.accountId, input.companyId), ConditionExpression: 'attribute_exists(pk)' },
              },
              () => new NotFound('The company'),
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
    [
      {
        resourceType: 'report_subscription',
        resourceId: sub.id,
        action: 'create',
        fields: { contactId: { from: null, to: sub.contactId }, frequency: { from: null, to: sub.frequency } },
      },
    ],
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
  /** Subscriptions found due. */
  due: number;
  /** Subscriptions whose period has every email sent, moved on to their next period. */
  completed: number;
  /** Emails sent, failed, and left to another run that holds them. */
  sent: number;
  failed: number;
  skipped: number;
}

/** A run holds an email this long; should it die, the next run after that sends the email again. */
const sendLeaseMs = 5 * 60_000;

/** Send records matter during their period only (a week at most); then DynamoDB's TTL drops them. */
const sendRetentionSeconds = 60 * 24 * 3600;

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

async function findCompany(accountId: string, companyId: string): Promise<Company | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: companyKeys.item(accountId, companyId) }));
  return out.Item ? toCompany(out.Item) : undefined;
}

async function companiesOf(accountId: string, sub: ReportSubscription): Promise<Company[]> {
  if (sub.companyId) {
    const company = await findCompany(accountId, sub.companyId);
    return company ? [company] : [];
  }
  const items = await queryAll({ index: 'gsi1', partition: { name: 'gsi1pk', value: companyKeys.byName(accountId, { id: '', name: '' }).gsi1pk } });
  return items.map(toCompany);
}

/** The emails of the period recorded as sent (a consistent read: it sees every run's records). */
async function sentInPeriod(accountId: string, sub: ReportSubscription, period: string): Promise<Set<string>> {
  const items = await queryAll({
    partition: { name: 'pk', value: subscriptionKeys.sends(accountId, sub.id) },
    range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': subscriptionKeys.periodPrefix(period) } },
    filter: { expression: 'attribute_exists(sentAt)', values: {} },
    consistent: true,
  });
  return new Set(items.map((i) => i.sk as string));
}

/**
 * Takes the email for this run: a conditional write that fails while it is sent or another run's
 * lease on it holds. Answers the lease's token, or undefined.
 */
async function leaseEmail(accountId: string, sub: ReportSubscription, email: ReportEmail): Promise<string | undefined> {
  const lease = randomUUID();
  const now = Date.now();
  const taken = await writeIfCondition(
    new UpdateCommand({
      TableName: tableName,
      Key: subscriptionKeys.send(accountId, sub.id, email),
      UpdateExpression:
        'SET #type = :type, subscriptionId = :sub, period = :period, companyId = :company, methodId = :method, leaseId = :lease, leaseUntil = :until, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(sentAt) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
      ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':type': 'report_send',
        ':sub': sub.id,
        ':period': email.period,
        ':company': email.companyId,
        ':method': email.methodId,
        ':lease': lease,
        ':until': new Date(now + sendLeaseMs).toISOString(),
        ':now': new Date(now).toISOString(),
        ':ttl': Math.floor(now / 1000) + sendRetentionSeconds,
      },
    }),
  );
  return taken ? lease : undefined;
}

async function markSent(accountId: string, sub: ReportSubscription, email: ReportEmail, messageId: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: subscriptionKeys.send(accountId, sub.id, email),
      UpdateExpression: 'SET sentAt = :at, messageId = :messageId REMOVE leaseId, leaseUntil',
      ExpressionAttributeValues: { ':at': new Date().toISOString(), ':messageId': messageId },
    }),
  );
}

/** Gives a failed email back at once, so the next run need not wait for the lease to lapse. */
async function releaseEmail(accountId: string, sub: ReportSubscription, email: ReportEmail, lease: string): Promise<void> {
  // Not ours any more (lapsed and taken over): nothing to give back.
  await writeIfCondition(
    new UpdateCommand({
      TableName: tableName,
      Key: subscriptionKeys.send(accountId, sub.id, email),
      UpdateExpression: 'REMOVE leaseId, leaseUntil',
      ConditionExpression: 'leaseId = :lease',
      ExpressionAttributeValues: { ':lease': lease },
    }),
  );
}

/**
 * Sends the period's emails not sent yet: the report on each company to each report method, each
 * under its own lease, recorded once it is out. Answers whether every email of the period is now
 * recorded as sent.
 */
async function sendPeriod(accountId: string, sub: ReportSubscription, period: string, run: ReportRun): Promise<boolean> {
  const [recipients, companies, sent] = await Promise.all([
    reportRecipients(accountId, sub.contactId).then((all) => all.filter((r) => r.type === 'email')),
    companiesOf(accountId, sub),
    sentInPeriod(accountId, sub, period),
  ]);
  const emailOf = (company: Company, r: Recipient): ReportEmail => ({ period, companyId: company.id, methodId: r.methodId });
  const isSent = (done: Set<string>, company: Company, r: Recipient) => done.has(subscriptionKeys.send(accountId, sub.id, emailOf(company, r)).sk);
  let failed = false;
  let skipped = false;
  for (const company of companies) {
    let report: RenderedReport | undefined;
    for (const recipient of recipients.filter((r) => !isSent(sent, company, r))) {
      const email = emailOf(company, recipient);
      const lease = await leaseEmail(accountId, sub, email);
      if (!lease) {
        skipped = true;
        run.skipped++;
        continue;
      }
      try {
        report ??= renderReport(await companyReport(accountId, company, sub, period));
        const messageId = await sendEmail({
          from: config.MAIL_FROM,
          to: [recipient.address],
          subject: report.subject,
          text: report.text,
          html: report.html,
          autoSubmitted: 'auto-generated',
        });
        await markSent(accountId, sub, email, messageId);
        run.sent++;
      } catch (err) {
        failed = true;
        run.failed++;
        logger.error('report email failed; the next run sends it again', {
          subscriptionId: sub.id,
          period,
          companyId: company.id,
          methodId: recipient.methodId,
          error: (err as Error).message,
        });
        await releaseEmail(accountId, sub, email, lease);
      }
    }
  }
  if (failed) return false;
  if (!skipped) return true;
  // Another run held some: complete if it has recorded them by now (of two such runs, the later sees all).
  const done = await sentInPeriod(accountId, sub, period);
  return companies.every((company) => recipients.every((r) => isSent(done, company, r)));
}

/**
 * One run of the report schedule. Each email of a due period is sent, then recorded; a run skips the
 * emails recorded already, and a short lease taken before each send keeps two runs at once from
 * both sending it. A subscription moves on to its next period only once every email of this one is
 * recorded, so a failed or interrupted email is sent by a later run (again, should a run die
 * between sending and recording: at least once, never lost).
 */
export async function runReports(now = new Date()): Promise<ReportRun> {
  const run: ReportRun = { due: 0, completed: 0, sent: 0, failed: 0, skipped: 0 };
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
    // No period: indexed as due but its hour has not come in its time zone (a clock change).
    const sending = period !== undefined && sub.lastPeriod !== period;
    if (sending && !(await sendPeriod(accountId, sub, period, run))) continue;
    const next = nextRunAt(sub, now);
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: subscriptionKeys.item(accountId, sub.id),
          UpdateExpression: period ? 'SET lastPeriod = :period, nextRunAt = :next, gsi3sk = :order' : 'SET nextRunAt = :next, gsi3sk = :order',
          // Not for a subscription deleted meanwhile (an update would create a stub of it).
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':next': next,
            ':order': subscriptionKeys.dueOrder(accountId, { id: sub.id, nextRunAt: next }),
            ...(period ? { ':period': period } : {}),
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      continue;
    }
    if (sending) run.completed++;
  }
  return run;
}
