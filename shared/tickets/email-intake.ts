import { createHash } from 'node:crypto';
import { config } from '../config.js';
import { logger } from '../logger.js';
import type { Actor } from '../audit/audit.js';
import { baseAddress, ticketIdFromAddress, ticketIdFromMessageId } from '../email/addresses.js';
import { isAutomatedMail, parseInboundEmail, type InboundEmail } from '../email/inbound.js';
import { withEndUser } from '../end-users/end-users.js';
import { ownerOfSupportEmail, type PortalOwner } from '../portals/portals.js';
import { getEmailClaim } from '../users/emails.js';
import { claimInboundMail, DuplicateMail, isKnownMail, ticketIdForMessageIds } from './mail-ids.js';
import { appendMessage, getTicketRecord, openTicket } from './tickets.js';

export type IntakeOutcome =
  | { status: 'ticket_created' | 'message_added'; accountId: string; ticketId: string }
  | { status: 'duplicate' | 'ignored'; reason: string; accountId?: string };

/** Whether mail to this address is ours to take: a portal's support address or a ticket's reply address. */
export async function acceptsRecipient(address: string): Promise<boolean> {
  try {
    return (await ownerOfSupportEmail(baseAddress(address))) !== undefined;
  } catch {
    return false;
  }
}

/**
 * One raw inbound email, from the SES receipt rule or the local SMTP port. Per account it reaches
 * (by the support addresses among its recipients): automated mail, mail from our own addresses and
 * mail from the account's staff create nothing; a reply (by reply address, or by In-Reply-To /
 * References naming any email of a ticket) continues that ticket; anything else opens a ticket for
 * the sender, created as a weak end user if new. The Message-ID is claimed in the same transaction
 * as the ticket or message, so the same message delivered twice has one effect.
 */
export async function receiveEmail(raw: Buffer, envelopeRecipients?: string[]): Promise<IntakeOutcome[]> {
  const mail = await parseInboundEmail(raw);
  const recipients = [...new Set((envelopeRecipients?.length ? envelopeRecipients : [...mail.to, ...mail.cc]).map((a) => a.toLowerCase()))];
  const byAccount = new Map<string, { owner: PortalOwner; supportAddresses: string[]; replyTicketIds: string[] }>();
  for (const recipient of recipients) {
    const owner = await ownerOfSupportEmail(baseAddress(recipient));
    if (!owner) continue;
    const entry = byAccount.get(owner.accountId) ?? { owner, supportAddresses: [], replyTicketIds: [] };
    entry.supportAddresses.push(baseAddress(recipient));
    const replyTo = ticketIdFromAddress(recipient);
    if (replyTo) entry.replyTicketIds.push(replyTo);
    byAccount.set(owner.accountId, entry);
  }
  if (byAccount.size === 0) {
    logger.info('inbound email dropped: no known recipient', { recipients, messageId: mail.messageId });
    return [{ status: 'ignored', reason: 'unknown_recipient' }];
  }
  const messageKey = mail.messageId ?? `<sha256-${createHash('sha256').update(raw).digest('hex')}@inbound>`;
  const outcomes: IntakeOutcome[] = [];
  for (const { owner, supportAddresses, replyTicketIds } of byAccount.values()) {
    outcomes.push(await intoAccount(mail, messageKey, owner, supportAddresses, replyTicketIds));
  }
  return outcomes;
}

async function intoAccount(
  mail: InboundEmail,
  messageKey: string,
  owner: PortalOwner,
  supportAddresses: string[],
  replyTicketIds: string[],
): Promise<IntakeOutcome> {
  const { accountId } = owner;
  const ignored = (reason: string): IntakeOutcome => {
    logger.info('inbound email ignored', { accountId, reason, messageId: mail.messageId });
    return { status: 'ignored', reason, accountId };
  };
  if (!mail.from) return ignored('no_sender');
  if (isAutomatedMail(mail, [...supportAddresses, config.MAIL_FROM])) return ignored('automated');
  if (await ownerOfSupportEmail(baseAddress(mail.from))) return ignored('own_address');
  const senderClaim = await getEmailClaim(accountId, mail.from);
  if (senderClaim?.ownerType === 'user') return ignored('staff_sender');
  if (await isKnownMail(accountId, messageKey)) return { status: 'duplicate', reason: 'message_id_seen', accountId };

  const actor: Actor = { accountId, actorId: null, requestId: `mail:${messageKey}`, sourceIp: 'email' };
  const threaded = await threadOf(accountId, mail, replyTicketIds);
  const body = mail.text.trim() || '(no text)';
  try {
    // A new end user is written in the same transaction as their ticket or message.
    return await withEndUser(actor, { email: mail.from, companyId: threaded?.companyId ?? owner.companyId }, async ({ endUser, writes }) => {
      if (threaded) {
        await appendMessage(accountId, threaded, { type: 'end_user', id: endUser.id }, body, {
          messageId: messageKey,
          writes: [claimInboundMail(accountId, messageKey, threaded.id), ...writes],
        });
        return { status: 'message_added', accountId, ticketId: threaded.id };
      }
      const { ticket } = await openTicket(accountId, {
        companyId: owner.companyId,
        endUserId: endUser.id,
        subject: mail.subject.trim().slice(0, 200) || '(no subject)',
        description: body,
        channel: 'email',
        author: { type: 'end_user', id: endUser.id },
        assigneeId: null,
        mailThread: [messageKey],
        extraWrites: (t) => [claimInboundMail(accountId, messageKey, t.id), ...writes],
      });
      return { status: 'ticket_created', accountId, ticketId: ticket.id };
    });
  } catch (err) {
    if (err instanceof DuplicateMail) return { status: 'duplicate', reason: 'message_id_seen', accountId };
    throw err;
  }
}

/** The account's ticket this mail continues: by reply address, then by the ids it replies to. */
async function threadOf(accountId: string, mail: InboundEmail, replyTicketIds: string[]) {
  const referenced = [mail.inReplyTo, ...mail.references].filter((id): id is string => !!id);
  const candidates = [
    ...replyTicketIds,
    await ticketIdForMessageIds(accountId, referenced),
    ...referenced.map(ticketIdFromMessageId),
  ].filter((id): id is string => !!id);
  for (const ticketId of candidates) {
    const ticket = await getTicketRecord(accountId, ticketId, true);
    // A closed ticket stays closed: writing to it again opens a new one.
    if (ticket && ticket.status !== 'closed') return ticket;
  }
  return undefined;
}
