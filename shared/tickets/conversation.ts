import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import type { Principal } from '../auth/principal.js';
import { sendEmail } from '../clients/ses.js';
import { escapeHtml } from '../email/html.js';
import { outboundMessageId, ticketReplyAddress } from '../email/addresses.js';
import { getEndUserRecord } from '../end-users/end-users.js';
import { getPortalRecord } from '../portals/portals.js';
import { rememberOutboundMail } from './mail-ids.js';
import { appendMessage, getTicket, ticketKeys, type Ticket, type TicketMessage } from './tickets.js';

/** Adds a message to a ticket; a staff message is also emailed to the end user. */
export async function addMessage(principal: Principal, ticketId: string, body: string): Promise<TicketMessage> {
  const ticket = await getTicket(principal, ticketId);
  const author = { type: principal.role === 'end_user' ? ('end_user' as const) : ('staff' as const), id: principal.id };
  const { message } = await appendMessage(principal.accountId, ticket, author, body);
  if (author.type === 'staff') await emailToEndUser(principal.accountId, ticket, message);
  return message;
}

/**
 * Emails a staff message to the ticket's end user, from the company's support address with a
 * reply address and Message-ID that name the ticket, threaded under the ticket's earlier mail.
 * A failed send is logged and leaves the message in place: the end user still sees it on the portal.
 */
export async function emailToEndUser(accountId: string, ticket: Ticket, message: TicketMessage): Promise<void> {
  try {
    const [endUser, portal, thread] = await Promise.all([
      getEndUserRecord(accountId, ticket.endUserId),
      getPortalRecord(accountId, ticket.companyId),
      db.send(new GetCommand({ TableName: tableName, Key: ticketKeys.item(accountId, ticket.id), ProjectionExpression: 'mailThread' })),
    ]);
    if (!endUser) return;
    const support = portal?.supportEmail ?? config.MAIL_FROM;
    const domain = support.slice(support.lastIndexOf('@') + 1);
    const references = ((thread.Item?.mailThread as string[] | undefined) ?? []).slice(-10);
    const messageId = outboundMessageId(ticket.id, message.id, domain);
    const sesId = await sendEmail({
      from: portal ? `${portal.title} <${support}>` : support,
      to: [endUser.email],
      replyTo: ticketReplyAddress(ticket.id, support),
      subject: `${ticket.channel === 'email' ? 'Re: ' : ''}[#${ticket.number}] ${ticket.subject}`,
      text: `${message.body}\n\n-- \nReply to this email to answer. Ticket #${ticket.number}.`,
      html: `<div style="white-space: pre-wrap">${escapeHtml(message.body)}</div><p style="color:#666">Reply to this email to answer. Ticket #${ticket.number}.</p>`,
      messageId,
      inReplyTo: references.at(-1),
      references,
    });
    await Promise.all([
      rememberOutboundMail(accountId, ticket.id, [messageId, `<${sesId}@email.amazonses.com>`]),
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: ticketKeys.item(accountId, ticket.id),
          UpdateExpression: 'SET mailThread = list_append(if_not_exists(mailThread, :none), :ids)',
          ExpressionAttributeValues: { ':none': [], ':ids': [messageId] },
        }),
      ),
    ]);
  } catch (err) {
    logger.error('ticket email to end user failed', { ticketId: ticket.id, messageId: message.id, error: (err as Error).message });
  }
}
