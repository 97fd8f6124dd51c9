import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../config.js';
import { logger } from '../logger.js';
import type { Actor } from '../audit/audit.js';
import { addressTag, baseAddress, isReservedAddress } from '../email/addresses.js';
import { isAutomatedMail, parseInboundEmail, type InboundEmail } from '../email/inbound.js';
import { localMailArchive, type MailArchive } from '../email/mail-archive.js';
import { withEndUser } from '../end-users/end-users.js';
import { ownerOfSupportEmail, type PortalOwner } from '../portals/portals.js';
import { getEmailClaim } from '../users/emails.js';
import type { TicketRef } from './entities.js';
import { claimInboundMail, DuplicateMail, isKnownMail, ticketIdForMessageIds, ticketNamedByOurMail, ticketOfReplyToken } from './mail-ids.js';
import { appendMessage, getTicketRecord, openTicket, type Ticket } from './tickets.js';
import { acknowledgeTicket } from './acknowledgement.js';

export type IntakeOutcome =
  | { status: 'ticket_created' | 'message_added'; accountId: string; ticketId: string }
  | { status: 'duplicate' | 'ignored'; reason: string; accountId?: string };

export interface IntakeOptions {
  /** The envelope recipients (SMTP RCPT TO, the SES receipt's); the To and Cc headers otherwise. */
  recipients?: string[];
  /** The envelope sender (SMTP MAIL FROM, SES `mail.source`), `''` for the null sender of a bounce. */
  sender?: string;
  /** SES's verdicts (absent locally): a virus is dropped, spam is taken but marked `spam`. */
  verdicts?: { spam?: boolean; virus?: boolean };
  /** Where a mail too large for one message is kept whole (a temporary folder if not given). */
  archive?: MailArchive;
}

/** A ticket message holds at most this much of a mail's text; DynamoDB items end at 400 KB. */
export const maxMessageBodyBytes = 100 * 1024;

/** Where one recipient address delivers: a ticket by its reply token, or a portal's support address. */
type Route = { kind: 'reply'; ref: TicketRef } | { kind: 'support'; owner: PortalOwner; address: string };

/**
 * A `+tag` address is a reply address and must carry a live token; a plain address must be a
 * portal's support address. The platform's sender address itself is nobody's support address:
 * replies to set-password mail are refused.
 */
async function routeOf(address: string): Promise<Route | undefined> {
  let tag: string | undefined;
  let base: string;
  try {
    tag = addressTag(address);
    base = baseAddress(address);
  } catch {
    return undefined;
  }
  if (tag !== undefined) {
    const ref = await ticketOfReplyToken(tag);
    return ref && { kind: 'reply', ref };
  }
  if (isReservedAddress(base)) return undefined;
  const owner = await ownerOfSupportEmail(base);
  return owner && { kind: 'support', owner, address: base };
}

/** Whether mail to this address is ours to take: a portal's support address or a ticket's reply address. */
export async function acceptsRecipient(address: string): Promise<boolean> {
  return (await routeOf(address)) !== undefined;
}

type Target = { accountId: string; ref: TicketRef; owner?: undefined } | { accountId: string; owner: PortalOwner; ref?: undefined };

/**
 * One raw inbound email, from the SES receipt rule or the local SMTP port. Automated mail (bounces,
 * lists, autoresponders) creates nothing. Mail naming one of our tickets, by its reply address or by
 * one of our Message-IDs in In-Reply-To/References, continues that ticket in the ticket's own
 * account and goes nowhere else, whoever owns the address it was sent to now. Other mail goes to the
 * accounts whose support addresses it was sent to: there it continues the ticket of a customer
 * Message-ID it names, or opens a ticket for the sender, created as a weak end user if new. Mail from
 * our own addresses or an account's staff creates nothing. The Message-ID is claimed in the same
 * transaction as the ticket or message, so the same message delivered twice has one effect, and a
 * failure writes nothing.
 */
export async function receiveEmail(raw: Buffer, options: IntakeOptions = {}): Promise<IntakeOutcome[]> {
  if (options.verdicts?.virus) {
    logger.warn('inbound email dropped: virus');
    return [{ status: 'ignored', reason: 'virus' }];
  }
  const mail = await parseInboundEmail(raw);
  const recipients = [...new Set((options.recipients?.length ? options.recipients : [...mail.to, ...mail.cc]).map((a) => a.toLowerCase()))];
  const routes = (await Promise.all(recipients.map(routeOf))).filter((r): r is Route => r !== undefined);
  if (routes.length === 0) {
    logger.info('inbound email dropped: no known recipient', { recipients, messageId: mail.messageId });
    return [{ status: 'ignored', reason: 'unknown_recipient' }];
  }
  const supportAddresses = routes.flatMap((r) => (r.kind === 'support' ? [r.address] : []));
  if (isAutomatedMail(mail, [...supportAddresses, config.MAIL_FROM], options.sender)) {
    logger.info('inbound email ignored', { reason: 'automated', messageId: mail.messageId });
    return [{ status: 'ignored', reason: 'automated' }];
  }

  const referenced = [mail.inReplyTo, ...mail.references].filter((id): id is string => !!id);
  const replies = routes.flatMap((r) => (r.kind === 'reply' ? [r.ref] : []));
  const named = replies.length ? [] : [await ticketNamedByOurMail(referenced)].filter((r): r is TicketRef => r !== undefined);
  const targets: Target[] =
    replies.length || named.length
      ? [...replies, ...named].map((ref) => ({ accountId: ref.accountId, ref }))
      : routes.flatMap((r) => (r.kind === 'support' ? [{ accountId: r.owner.accountId, owner: r.owner }] : []));

  // A Message-ID is the message's key; a missing or absurdly long one is replaced by the mail's hash.
  const messageKey = mail.messageId && mail.messageId.length <= 250 ? mail.messageId : `<sha256-${createHash('sha256').update(raw).digest('hex')}@inbound>`;
  const body = await messageBody(mail, raw, options.archive ?? defaultArchive());
  const outcomes: IntakeOutcome[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    // One effect per account, however many of its addresses the mail was sent to.
    if (seen.has(target.accountId)) continue;
    seen.add(target.accountId);
    outcomes.push(await intoAccount(mail, { messageKey, body, referenced, spam: options.verdicts?.spam === true }, target));
  }
  return outcomes;
}

interface Received {
  messageKey: string;
  body: string;
  referenced: string[];
  spam: boolean;
}

async function intoAccount(mail: InboundEmail, received: Received, target: Target): Promise<IntakeOutcome> {
  const { accountId } = target;
  const { messageKey, body, spam } = received;
  const ignored = (reason: string): IntakeOutcome => {
    logger.info('inbound email ignored', { accountId, reason, messageId: mail.messageId });
    return { status: 'ignored', reason, accountId };
  };
  if (!mail.from) return ignored('no_sender');
  if (isReservedAddress(mail.from) || (await ownerOfSupportEmail(baseAddress(mail.from)))) return ignored('own_address');
  const senderClaim = await getEmailClaim(accountId, mail.from);
  if (senderClaim?.ownerType === 'user') return ignored('staff_sender');
  if (await isKnownMail(accountId, messageKey)) return { status: 'duplicate', reason: 'message_id_seen', accountId };

  let threaded: Ticket | undefined;
  let companyId: string;
  if (target.ref) {
    const ticket = await getTicketRecord(accountId, target.ref.ticketId, true);
    if (!ticket) return ignored('unknown_ticket');
    // A closed ticket stays closed: writing to it again opens a new one, for the same company.
    threaded = ticket.status === 'closed' ? undefined : ticket;
    companyId = ticket.companyId;
  } else {
    threaded = await threadOf(accountId, received.referenced);
    companyId = threaded?.companyId ?? target.owner.companyId;
  }

  const actor: Actor = { accountId, actorId: null, requestId: `mail:${messageKey}`, sourceIp: 'email' };
  try {
    // A new end user is written in the same transaction as their ticket or message.
    return await withEndUser(actor, { email: mail.from, companyId }, async ({ endUser, writes }) => {
      if (threaded) {
        await appendMessage(accountId, threaded, { type: 'end_user', id: endUser.id }, body, {
          mail: { messageId: messageKey, spam },
          writes: [claimInboundMail(accountId, messageKey, threaded.id), ...writes],
        });
        return { status: 'message_added', accountId, ticketId: threaded.id };
      }
      const { ticket } = await openTicket(accountId, {
        companyId,
        endUserId: endUser.id,
        subject: mail.subject.trim().slice(0, 200) || '(no subject)',
        description: body,
        channel: 'email',
        author: { type: 'end_user', id: endUser.id },
        assigneeId: null,
        mailThread: [messageKey],
        spam,
        extraWrites: (t) => [claimInboundMail(accountId, messageKey, t.id), ...writes],
      });
      // Mail SES marks as spam gets no answer: it would be backscatter to a forged sender.
      if (!spam) await acknowledgeTicket(accountId, ticket);
      return { status: 'ticket_created', accountId, ticketId: ticket.id };
    });
  } catch (err) {
    if (err instanceof DuplicateMail) return { status: 'duplicate', reason: 'message_id_seen', accountId };
    throw err;
  }
}

/** The account's open ticket that one of the customer's own Message-IDs this mail names belongs to. */
async function threadOf(accountId: string, referenced: string[]): Promise<Ticket | undefined> {
  const ticketId = await ticketIdForMessageIds(accountId, referenced);
  const ticket = ticketId ? await getTicketRecord(accountId, ticketId, true) : undefined;
  return ticket && ticket.status !== 'closed' ? ticket : undefined;
}

/**
 * The text a ticket message keeps of the mail. Beyond `maxMessageBodyBytes` it is cut, with a note,
 * and the whole raw mail is kept first: if keeping fails, nothing is written and the mail is retried.
 */
async function messageBody(mail: InboundEmail, raw: Buffer, archive: MailArchive): Promise<string> {
  const text = mail.text.trim() || '(no text)';
  if (Buffer.byteLength(text) <= maxMessageBodyBytes) return text;
  const keptAs = await archive.keep(raw);
  // A multi-byte character cut in half decodes to U+FFFD: drop it.
  const cut = Buffer.from(text)
    .subarray(0, maxMessageBodyBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}\n\n[This email was too long for one message and has been shortened here. The complete email is kept (${keptAs}).]`;
}

const defaultArchive = () => localMailArchive(join(tmpdir(), 'desk-admin-mail-archive'));
