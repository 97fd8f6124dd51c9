import { randomUUID } from 'node:crypto';
import { conditionHeld } from '../db/entity.js';
import type { Page, PageRequest } from '../db/pagination.js';
import { NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import { activityBetween } from '../activity/activity.js';
import { companyExists, findCompany, toCompany, type Company } from '../companies/companies.js';
import { companyEntity } from '../companies/entities.js';
import { contactUnchanged, getContactRecord, reportRecipients, type Recipient } from '../contacts/contacts.js';
import { sendEmail } from '../clients/ses.js';
import { queueEntryEntity } from '../tickets/entities.js';
import { dueBy, periodSends, reportSendEntity, subscriptionEntity, type ReportEmail, type SubscriptionRecord } from './entities.js';
import { firstRunAt, nextRunAt, periodKey, reportWindow } from './schedule.js';
import { renderReport, type CompanyReport, type RenderedReport } from './statistics.js';
import type { CreateSubscriptionInput } from './schema.js';

export interface ReportSubscription extends CreateSubscriptionInput {
  id: string;
  nextRunAt: string;
  lastPeriod?: string;
  createdAt: string;
}

/** A subscription as the API shows it: without the account and the version it is stored with. */
const toSubscription = ({ accountId: _account, version: _version, ...sub }: SubscriptionRecord): ReportSubscription => sub;

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
      contactUnchanged(actor.accountId, contact),
      ...(input.companyId ? [companyExists(actor.accountId, input.companyId)] : []),
      subscriptionEntity.putAction({ ...sub, accountId: actor.accountId }),
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

export async function listSubscriptions(accountId: string, page: PageRequest): Promise<Page<ReportSubscription>> {
  const result = await subscriptionEntity.queryPage({ accountId }, page);
  return { ...result, items: result.items.map(toSubscription) };
}

export async function deleteSubscription(actor: Actor, id: string): Promise<void> {
  const current = await subscriptionEntity.get({ accountId: actor.accountId, id });
  if (!current) throw new NotFound('The report subscription');
  await commitChanges(
    actor,
    [subscriptionEntity.deleteAction({ accountId: actor.accountId, id })],
    [{ resourceType: 'report_subscription', resourceId: id, action: 'delete', fields: { contactId: { from: current.contactId, to: null } } }],
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
    queueEntryEntity.queryIndexAll('byCompany', { accountId, companyId: company.id }),
  ]);
  return {
    companyName: company.name,
    frequency: sub.frequency,
    period: { firstDay: window.firstDay, lastDay: window.lastDay, timezone: sub.timezone },
    ticketsOpened: events.filter((e) => e.kind === 'ticket_opened').length,
    ticketsSolved: events.filter((e) => e.kind === 'ticket_solved').length,
    ticketsWaiting: waiting.length,
    queueTimesMs: events.filter((e) => e.kind === 'queue_left').map((e) => e.waitedMs ?? 0),
    alertsSent: events.filter((e) => e.kind === 'alert_sent').length,
  };
}

async function companiesOf(accountId: string, sub: ReportSubscription): Promise<Company[]> {
  if (sub.companyId) {
    const company = await findCompany(accountId, sub.companyId);
    return company ? [company] : [];
  }
  return (await companyEntity.queryIndexAll('byName', { accountId })).map(toCompany);
}

/** The emails of the period recorded as sent (a consistent read: it sees every run's records). */
async function sentInPeriod(accountId: string, sub: ReportSubscription, period: string): Promise<Set<string>> {
  const sends = await reportSendEntity.queryAll(
    { accountId, subscriptionId: sub.id },
    { range: periodSends(period), filter: { path: 'sentAt', exists: true }, consistent: true },
  );
  return new Set(sends.map((s) => reportSendEntity.sortKey(s)));
}

/**
 * Takes the email for this run: a conditional write that fails while it is sent or another run's
 * lease on it holds. Answers the lease's token, or undefined.
 */
async function leaseEmail(accountId: string, sub: ReportSubscription, email: ReportEmail): Promise<string | undefined> {
  const lease = randomUUID();
  const now = Date.now();
  // A put, not an update: the record it leaves is whole (type tag included) whatever stood there.
  const taken = await conditionHeld(
    reportSendEntity.put(
      { accountId, subscriptionId: sub.id, ...email, leaseId: lease, leaseUntil: new Date(now + sendLeaseMs).toISOString() },
      {
        condition: {
          and: [
            { path: 'sentAt', exists: false },
            {
              or: [
                { path: 'leaseUntil', exists: false },
                { path: 'leaseUntil', lt: new Date(now).toISOString() },
              ],
            },
          ],
        },
        expiresAt: Math.floor(now / 1000) + sendRetentionSeconds,
      },
    ),
  );
  return taken ? lease : undefined;
}

async function markSent(accountId: string, sub: ReportSubscription, email: ReportEmail, messageId: string): Promise<void> {
  await reportSendEntity.update(
    { accountId, subscriptionId: sub.id, ...email },
    { set: { sentAt: new Date().toISOString(), messageId, leaseId: undefined, leaseUntil: undefined } },
  );
}

/** Gives a failed email back at once, so the next run need not wait for the lease to lapse. */
async function releaseEmail(accountId: string, sub: ReportSubscription, email: ReportEmail, lease: string): Promise<void> {
  // Not ours any more (lapsed and taken over): nothing to give back.
  await conditionHeld(
    reportSendEntity.update(
      { accountId, subscriptionId: sub.id, ...email },
      { remove: ['leaseId', 'leaseUntil'] },
      { condition: { path: 'leaseId', eq: lease } },
    ),
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
  const isSent = (done: Set<string>, company: Company, r: Recipient) => done.has(reportSendEntity.sortKey(emailOf(company, r)));
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
  const due = await subscriptionEntity.queryIndexAll('due', {}, { range: dueBy(now.toISOString()) });
  for (const record of due) {
    run.due++;
    const { accountId } = record;
    const sub = toSubscription(record);
    const period = periodKey(sub, now);
    // No period: indexed as due but its hour has not come in its time zone (a clock change).
    const sending = period !== undefined && sub.lastPeriod !== period;
    if (sending && !(await sendPeriod(accountId, sub, period, run))) continue;
    const next = nextRunAt(sub, now);
    const moved = await conditionHeld(
      subscriptionEntity.update(
        { accountId, id: sub.id },
        { set: { nextRunAt: next, ...(period && { lastPeriod: period }) } },
        {
          indexes: { due: { nextRunAt: next, accountId, id: sub.id } },
          // Not for a subscription deleted meanwhile (an update would create a stub of it).
          condition: { itemExists: true },
        },
      ),
    );
    if (moved && sending) run.completed++;
  }
  return run;
}
