import { config } from '../config.js';
import { logger } from '../logger.js';
import type { Principal } from '../auth/principal.js';
import { sendEmail, type OutgoingEmail } from '../clients/ses.js';
import { escapeHtml } from '../email/html.js';
import { outboundMessageId, ticketReplyAddress } from '../email/addresses.js';
import { getEndUserRecord, type EndUserRecord } from '../end-users/end-users.js';
import { getPortalRecord, type Portal } from '../portals/portals.js';
import { postReplyToTeams } from '../teams/replies.js';
import { rememberSentMail, replyTokenOf } from './mail-ids.js';
import { ticketEntity } from './entities.js';
import { appendMessage, getTicket, type Ticket, type TicketMessage } from './tickets.js';

/**
 * Adds a message to a ticket; a staff message also goes to the end user: into the Teams conversation
 * of a Teams ticket, by email otherwise.
 */
export async function addMessage(principal: Principal, ticketId: string, body: string): Promise<TicketMessage> {
  const ticket = await getTicket(principal, ticketId);
  const author = { type: principal.role === 'end_user' ? ('end_user' as const) : ('staff' as const), id: principal.id };
  const { message, reachedCustomerLive } = await appendMessage(principal.accountId, ticket, author, body);
  if (author.type === 'staff') {
    if (ticket.channel === 'teams') await postReplyToTeams(principal.accountId, ticket, message);
    // A customer connected live has the message already: an email too would say it twice.
    else if (!reachedCustomerLive) await emailToEndUser(principal.accountId, ticket, message);
  }
  return message;
}

/**
 * Emails a staff message to the ticket's end user (see `sendTicketEmail`). A failed send is logged
 * and leaves the message in place: the end user still sees it on the portal.
 */
export async function emailToEndUser(accountId: string, ticket: Ticket, message: TicketMessage): Promise<void> {
  try {
    await sendTicketEmail(accountId, ticket, () => ({
      messageId: message.id,
      subject: `${ticket.channel === 'email' ? 'Re: ' : ''}[#${ticket.number}] ${ticket.subject}`,
      text: `${message.body}\n\n-- \nReply to this email to answer. Ticket #${ticket.number}.`,
      html: `<div style="white-space: pre-wrap">${escapeHtml(message.body)}</div><p style="color:#666">Reply to this email to answer. Ticket #${ticket.number}.</p>`,
    }));
  } catch (err) {
    logger.error('ticket email to end user failed', { ticketId: ticket.id, messageId: message.id, error: (err as Error).message });
  }
}

/** Whom a ticket email goes to, and the portal it comes from (none: the platform's sender). */
export interface TicketRecipient {
  endUser: EndUserRecord;
  portal: Portal | undefined;
}

export interface TicketEmail {
  /** The id of what the email is about (a message, an acknowledgement), part of its Message-ID. */
  messageId: string;
  subject: string;
  text: string;
  html: string;
  autoSubmitted?: OutgoingEmail['autoSubmitted'];
}

/**
 * Every email about a ticket to its end user goes out here: From the company's portal support
 * address (the platform's sender without a portal), Reply-To the ticket's reply address, with a
 * Message-ID that carries the ticket's reply token, threaded under the ticket's earlier mail. A
 * reply by either way reaches this ticket in this account, whoever owns the address later. SES
 * replaces our Message-ID, so the id it gives the email is remembered for the ticket too.
 */
export async function sendTicketEmail(
  accountId: string,
  ticket: Ticket,
  compose: (recipient: TicketRecipient) => TicketEmail | Promise<TicketEmail>,
): Promise<void> {
  // The thread and the reply token in one (consistent) read: a ticket opened a moment ago has both.
  const [endUser, portal, thread] = await Promise.all([
    getEndUserRecord(accountId, ticket.endUserId),
    getPortalRecord(accountId, ticket.companyId),
    ticketEntity.get({ accountId, id: ticket.id }, { consistent: true }),
  ]);
  if (!endUser) return;
  const token = await replyTokenOf(accountId, ticket.id, thread?.replyToken);
  const email = await compose({ endUser, portal });
  const support = portal?.supportEmail ?? config.MAIL_FROM;
  const domain = support.slice(support.lastIndexOf('@') + 1);
  const references = (thread?.mailThread ?? []).slice(-10);
  const messageId = outboundMessageId(token, email.messageId, domain);
  const sesId = await sendEmail({
    from: portal ? `${portal.title} <${support}>` : support,
    to: [endUser.email],
    replyTo: ticketReplyAddress(token, support),
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId,
    inReplyTo: references.at(-1),
    references,
    ...(email.autoSubmitted ? { autoSubmitted: email.autoSubmitted } : {}),
  });
  await Promise.all([
    rememberSentMail({ accountId, ticketId: ticket.id }, `<${sesId}@email.amazonses.com>`),
    ticketEntity.update({ accountId, id: ticket.id }, { append: { mailThread: [messageId] } }),
  ]);
}
