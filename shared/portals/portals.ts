import { batchGetRecords } from '../db/entity.js';
import { publishAssigned } from '../live/live.js';
import type { Condition } from '../db/expressions.js';
import type { WriteAction } from '../db/transaction.js';
import { Conflict, NotFound } from '../errors.js';
import { changedFields, commitChanges, type Actor } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { companyExists, getCompany, toCompany, type Company } from '../companies/companies.js';
import { companyEntity } from '../companies/entities.js';
import { liveCandidates as availableForLive, takeTurn, TurnTaken, type LiveCandidate } from '../availability/availability.js';
import { issueChatToken } from '../auth/chat-tokens.js';
import { effectiveSettings } from '../settings/settings.js';
import type { Settings } from '../settings/schema.js';
import { StaffAddress, withEndUser, type EndUser } from '../end-users/end-users.js';
import { getUserRecord, type User } from '../users/users.js';
import { deliverAlert, recordAlert, type Alert, type AlertInput } from '../alerts/alerts.js';
import { logger } from '../logger.js';
import { stableId } from '../ids.js';
import { consumeRateLimit } from '../http/rate-limit.js';
import { openTicket, type Channel, type Ticket, type TicketMessage } from '../tickets/tickets.js';
import { acknowledgeTicket } from '../tickets/acknowledgement.js';
import { queuePosition } from '../tickets/queue.js';
import type { PortalRequestInput } from '../tickets/schema.js';
import type { PutPortalInput } from './schema.js';
import { alertWindowEntity, portalEntity, slugClaimEntity, supportAddressClaimEntity, type AlertWindowRecord } from './entities.js';
import { isReservedAddress } from '../email/addresses.js';

export interface Portal {
  companyId: string;
  slug: string;
  title: string;
  enabled: boolean;
  supportEmail: string;
  updatedAt: string;
}

/** Public requests are throttled per portal, per client address and per sender (each within the portal). */
export const portalRequestLimits = { perPortalPerMinute: 60, perClientPerMinute: 20, perSenderPerMinute: 5 };

export interface PortalOwner {
  accountId: string;
  companyId: string;
}

/** A claim is free, or already this portal's. */
const claimable = (owner: PortalOwner): { condition: Condition } => ({
  condition: {
    or: [
      { itemExists: false },
      {
        and: [
          { path: 'accountId', eq: owner.accountId },
          { path: 'companyId', eq: owner.companyId },
        ],
      },
    ],
  },
});

const taken = (field: string) => () =>
  new Conflict(`This ${field} is already used by another portal.`, 'conflict', [{ path: field, message: 'Already taken' }]);

const toPortal = ({ companyId, slug, title, enabled, supportEmail, updatedAt }: Portal): Portal => ({
  companyId,
  slug,
  title,
  enabled,
  supportEmail,
  updatedAt,
});

export async function getPortalRecord(accountId: string, companyId: string, consistent = false): Promise<Portal | undefined> {
  const record = await portalEntity.get({ accountId, companyId }, { consistent });
  return record && toPortal(record);
}

export async function getCompanyPortal(principal: Principal, companyId: string): Promise<Portal> {
  await getCompany(principal, companyId);
  const portal = await getPortalRecord(principal.accountId, companyId);
  if (!portal) throw new NotFound('The portal');
  return portal;
}

/**
 * Sets a company's portal. A new slug or support address is claimed (and the old one released) in
 * the same transaction, so two portals can never hold the same one, even when set at once.
 */
export async function putPortal(actor: Actor, companyId: string, input: PutPortalInput): Promise<Portal> {
  // The platform's sender address carries set-password mail and portal-less tickets' replies.
  if (isReservedAddress(input.supportEmail)) {
    throw new Conflict('This address is reserved for the platform.', 'conflict', [{ path: 'supportEmail', message: 'Reserved' }]);
  }
  const current = await portalEntity.get({ accountId: actor.accountId, companyId }, { consistent: true });
  const next: Portal = { companyId, ...input, updatedAt: new Date().toISOString() };
  const owner = { accountId: actor.accountId, companyId };
  const slugChanged = current?.slug !== next.slug;
  const emailChanged = current?.supportEmail.toLowerCase() !== next.supportEmail.toLowerCase();
  await commitChanges(
    actor,
    [
      companyExists(actor.accountId, companyId),
      portalEntity.putAction(
        { ...next, accountId: actor.accountId },
        {
          ...(current ? { ifVersion: current.version ?? 0, condition: { itemExists: true } } : { ifNew: true }),
          onFail: () => new Conflict('The portal changed meanwhile; try again.'),
        },
      ),
      ...(slugChanged ? [slugClaimEntity.putAction({ slug: next.slug, ...owner }, { ...claimable(owner), onFail: taken('slug') })] : []),
      ...(slugChanged && current ? [slugClaimEntity.deleteAction({ slug: current.slug })] : []),
      ...(emailChanged
        ? [supportAddressClaimEntity.putAction({ address: next.supportEmail, ...owner }, { ...claimable(owner), onFail: taken('supportEmail') })]
        : []),
      ...(emailChanged && current ? [supportAddressClaimEntity.deleteAction({ address: current.supportEmail })] : []),
    ],
    [
      {
        resourceType: 'portal',
        resourceId: companyId,
        action: current ? 'update' : 'create',
        fields: changedFields(current ? toPortal(current) : ({} as Portal), next, ['slug', 'title', 'enabled', 'supportEmail']),
      },
    ],
  );
  return next;
}

const ownerOf = (claim: PortalOwner | undefined): PortalOwner | undefined => claim && { accountId: claim.accountId, companyId: claim.companyId };

/** The account and company a support address belongs to (inbound email), if any. */
export async function ownerOfSupportEmail(address: string): Promise<PortalOwner | undefined> {
  return ownerOf(await supportAddressClaimEntity.get({ address }));
}

/** A company deleted: its portal goes with it, and its slug and support address are free again. */
export async function portalDeletionParts(accountId: string, companyId: string): Promise<WriteAction[]> {
  const portal = await portalEntity.get({ accountId, companyId }, { consistent: true });
  if (!portal) return [];
  return [
    portalEntity.deleteAction({ accountId, companyId }),
    slugClaimEntity.deleteAction({ slug: portal.slug }),
    supportAddressClaimEntity.deleteAction({ address: portal.supportEmail }),
  ];
}

/** An enabled portal with its company, by slug; unknown, disabled or orphaned portals are 404. */
export async function resolvePortal(slug: string): Promise<{ owner: PortalOwner; portal: Portal; company: Company }> {
  const owner = ownerOf(await slugClaimEntity.get({ slug }));
  if (!owner) throw new NotFound('The portal');
  const records = await batchGetRecords(
    [portalEntity.key({ accountId: owner.accountId, companyId: owner.companyId }), companyEntity.key({ accountId: owner.accountId, id: owner.companyId })],
    false,
  );
  const portalRecord = records.find((r) => portalEntity.owns(r));
  const companyRecord = records.find((r) => companyEntity.owns(r));
  const portal = portalRecord && toPortal(portalEntity.parse(portalRecord));
  if (!portal || !companyRecord || !portal.enabled || portal.slug !== slug) throw new NotFound('The portal');
  return { owner, portal, company: toCompany(companyEntity.parse(companyRecord)) };
}

/**
 * Who a request made now would be connected to, in turn order: the one function behind both the
 * public count and the connection, so the two always agree. None where the company's
 * `portalLiveConnect` is off (its customers always queue).
 */
async function liveCandidates(owner: PortalOwner, settings: Settings): Promise<LiveCandidate[]> {
  return settings.portalLiveConnect ? availableForLive(owner.accountId, owner.companyId) : [];
}

export async function publicPortal(slug: string) {
  const { owner, portal, company } = await resolvePortal(slug);
  const settings = await effectiveSettings(owner.accountId, owner.companyId);
  return { title: portal.title, companyName: company.name, language: settings.language, techniciansAvailable: (await liveCandidates(owner, settings)).length };
}

function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  if (!name) return {};
  const [first, ...rest] = name.split(/\s+/);
  return { firstName: first!, lastName: rest.join(' ') || first! };
}

export interface PortalRequestResult {
  ticket: Ticket;
  queue: { position: number } | null;
  liveTechnician: { id: string; firstName: string } | null;
  chatToken: string;
}

/** The sender as the throttle counts it: without case and without a `+tag`, so variants of one mailbox share its limit. */
function senderIdentity(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at).split('+')[0]}${email.slice(at)}`.toLowerCase();
}

/** A burst of portal requests pages a company once per window: the first raises the alert, the rest count on it. */
const portalAlertWindowSeconds = 5 * 60;

class AlertWindowMoved extends Error {}

async function openAlertWindow(owner: PortalOwner, now: number): Promise<AlertWindowRecord | undefined> {
  const window = await alertWindowEntity.get(owner, { consistent: true });
  return window && window.until > now ? window : undefined;
}

/**
 * The alert writes of one portal request: in an open window, one more request counted on the
 * window's alert (no new alert, no delivery); otherwise a new alert and a new window. Both are
 * conditional, so requests racing for a window agree on it (the loser tries again).
 */
function portalAlertWrites(
  owner: PortalOwner,
  window: AlertWindowRecord | undefined,
  now: number,
  input: AlertInput,
): { alert?: Alert; writes: WriteAction[] } {
  const moved = () => new AlertWindowMoved();
  if (window) {
    return {
      writes: [
        alertWindowEntity.updateAction(
          owner,
          { add: { requests: 1 }, set: { lastTicketId: input.ticketId } },
          {
            condition: {
              and: [
                { path: 'alertId', eq: window.alertId },
                { path: 'until', gt: now },
              ],
            },
            onFail: moved,
          },
        ),
      ],
    };
  }
  const { alert, write } = recordAlert(owner.accountId, input);
  const until = now + portalAlertWindowSeconds;
  return {
    alert,
    writes: [
      write,
      alertWindowEntity.putAction(
        { ...owner, alertId: alert.id, until, requests: 1, lastTicketId: input.ticketId },
        { condition: { or: [{ itemExists: false }, { path: 'until', le: now }] }, expiresAt: until, onFail: moved },
      ),
    ],
  };
}

/** Who asks: an end user (found, or new and written with the ticket), or a staff member of the account. */
export interface Requester {
  endUserId: string;
  author: TicketMessage['author'];
  label: string;
  writes: WriteAction[];
}

/**
 * A staff member's own address on the portal (trying their company's portal is a real case) is
 * answered like any other, so the answer never tells whether an address is staff. It must not
 * become a second identity for that address (emails are unique per account across users and end
 * users), so no end user is created: the ticket is the staff member's, its first message authored
 * by them (staff can see who asked). Its `endUserId` is a stable stand-in derived from the staff
 * member's id, shaped like an end user's id (a `usr_` id in the public answer would tell); it names
 * no end user, so staff replies are not mailed and no end user can sign in to it.
 */
function staffRequester(accountId: string, user: User): Requester {
  return {
    endUserId: stableId('eu', `portal-requester:${accountId}:${user.id}`),
    author: { type: 'staff', id: user.id },
    label: `${user.firstName} ${user.lastName} <${user.email}> (staff)`,
    writes: [],
  };
}

function endUserRequester({ endUser, writes }: { endUser: EndUser; writes: WriteAction[] }): Requester {
  return {
    endUserId: endUser.id,
    author: { type: 'end_user', id: endUser.id },
    label: `${endUser.firstName} ${endUser.lastName} <${endUser.email}>`,
    writes,
  };
}

/** A customer as a request names them: already known (by their Teams identity), or by address (found, or created weak). */
export type Customer = { endUser: EndUser } | { email: string; firstName?: string | undefined; lastName?: string | undefined };

/** A customer's question, by whichever channel it came, as it becomes a ticket. */
export interface CustomerRequest {
  owner: PortalOwner;
  /** The company's effective settings (whether its customers are connected live). */
  settings: Settings;
  actor: Actor;
  channel: Extract<Channel, 'portal' | 'teams'>;
  subject: string;
  description: string;
  customer: Customer;
  /** Writes that must land with the ticket or not at all (Teams: the conversation and the activity's claim). */
  extraWrites?: (ticket: Ticket, requester: Requester) => WriteAction[];
}

export interface OpenedCustomerTicket {
  ticket: Ticket;
  requester: Requester;
  /** The technician the customer was connected to live, if any. */
  liveTechnician: User | undefined;
}

/** How a request is named in the company's alert, and the alert's source. */
const requestKinds = {
  portal: { name: 'portal', source: 'portal_request' },
  teams: { name: 'Teams', source: 'teams_request' },
} as const satisfies Record<CustomerRequest['channel'], { name: string; source: AlertInput['source'] }>;

/**
 * A customer's question (through the portal, or a first Teams message): finds or creates the end
 * user (weak), opens the ticket connected live with the technician whose turn it is (see
 * `liveCandidates`; assigned without a service desk seat, since the ticket is the live session's
 * record), or puts it in the company's queue. The company's `low` alert is written in the ticket's
 * own transaction, once per burst (see `portalAlertWindowSeconds`), and delivered after it.
 *
 * Taking the turn is conditional and in the ticket's transaction: of simultaneous requests, only
 * one gets a technician's turn; the others look again and get the next turn, i.e. another
 * technician while one is free. A connected technician stays available (at the back of the
 * order), so with more requests than technicians the extra ones go, in turn, to technicians
 * already connected: a request only queues when nobody is available.
 */
export async function openCustomerTicket(request: CustomerRequest): Promise<OpenedCustomerTicket> {
  const { owner, settings, actor, channel, subject, description, customer } = request;
  const open = async (requester: Requester, live: LiveCandidate | undefined) => {
    const now = Math.floor(Date.now() / 1000);
    const window = await openAlertWindow(owner, now);
    let alert: Alert | undefined;
    const { ticket } = await openTicket(owner.accountId, {
      companyId: owner.companyId,
      endUserId: requester.endUserId,
      subject,
      description,
      channel,
      author: requester.author,
      assigneeId: live?.user.id ?? null,
      extraWrites: (t) => {
        const planned = portalAlertWrites(owner, window, now, {
          companyId: owner.companyId,
          urgency: 'low',
          title: `New ${requestKinds[channel].name} request #${t.number}: ${t.subject}`,
          body: `${requester.label} asked: ${description}`,
          source: requestKinds[channel].source,
          ticketId: t.id,
        });
        alert = planned.alert;
        return [...requester.writes, ...planned.writes, ...(live ? [takeTurn(owner.accountId, live)] : []), ...(request.extraWrites?.(t, requester) ?? [])];
      },
    });
    return { ticket, alert, requester };
  };

  // Each failed attempt means another request got through meanwhile, so a few rounds suffice within the portal's throttle.
  // A staff address is learnt from the end-user lookup's refusal, so a customer's request reads the address's claim once.
  let staffUserId: string | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const live = (await liveCandidates(owner, settings))[0];
      const staff = staffUserId ? await getUserRecord(owner.accountId, staffUserId, true) : undefined;
      // The end user, if new, is written in the ticket's transaction: no end user without their ticket.
      const { ticket, alert, requester } = staff
        ? await open(staffRequester(owner.accountId, staff), live)
        : 'endUser' in customer
          ? await open(endUserRequester({ endUser: customer.endUser, writes: [] }), live)
          : await withEndUser(actor, { ...customer, companyId: owner.companyId }, (found) => open(endUserRequester(found), live));
      // Only a new alert is delivered; a failed delivery never fails the customer's request.
      if (alert) await deliverAlert(owner.accountId, alert).catch((err: Error) => logger.error('portal alert delivery failed', { error: err.message }));
      // The live technician's console is told at once that a customer was connected to them.
      if (live && ticket.assigneeId === live.user.id) await publishAssigned(owner.accountId, ticket.id, live.user);
      return { ticket, requester, liveTechnician: live?.user };
    } catch (err) {
      // A staff address, or another request took the alert window or the technician's turn: look again.
      if (err instanceof StaffAddress) staffUserId = err.staffUserId;
      else if (!(err instanceof AlertWindowMoved || err instanceof TurnTaken)) throw err;
    }
  }
  throw new Conflict('Too many requests at once; try again.');
}

/**
 * A customer's question through the portal, throttled per client address, per sender and per
 * portal, opened as any customer request is (`openCustomerTicket`) and acknowledged by email.
 */
export async function submitPortalRequest(
  slug: string,
  input: PortalRequestInput,
  request: { requestId: string; sourceIp: string },
): Promise<PortalRequestResult> {
  const { owner } = await resolvePortal(slug);
  // The narrowest scope first: one client or one sender cannot use up the portal's own budget.
  await consumeRateLimit(owner.accountId, `portal-client:${owner.companyId}:${request.sourceIp}`, portalRequestLimits.perClientPerMinute, 60);
  await consumeRateLimit(owner.accountId, `portal-sender:${owner.companyId}:${senderIdentity(input.email)}`, portalRequestLimits.perSenderPerMinute, 60);
  await consumeRateLimit(owner.accountId, `portal:${owner.companyId}`, portalRequestLimits.perPortalPerMinute, 60);

  const settings = await effectiveSettings(owner.accountId, owner.companyId);
  const { ticket, liveTechnician } = await openCustomerTicket({
    owner,
    settings,
    actor: { accountId: owner.accountId, actorId: null, ...request },
    channel: 'portal',
    subject: input.subject,
    description: input.description,
    customer: { email: input.email, ...splitName(input.name) },
  });
  await acknowledgeTicket(owner.accountId, ticket, settings.language);
  return {
    ticket,
    queue: ticket.status === 'queued' ? { position: await queuePosition(owner.accountId, ticket) } : null,
    liveTechnician: liveTechnician ? { id: liveTechnician.id, firstName: liveTechnician.firstName } : null,
    chatToken: await issueChatToken({ accountId: owner.accountId, ticketId: ticket.id, endUserId: ticket.endUserId }),
  };
}
