import { logger } from '../logger.js';
import type { Ticket, TicketMessage } from '../tickets/tickets.js';
import { postToConversation } from './connector.js';
import { teamsTicketEntity } from './entities.js';

/**
 * Posts a staff message on a Teams ticket into the ticket's conversation, as the bot. A failed post
 * is logged and leaves the message in place, as a failed email does: staff still see it on the ticket.
 */
export async function postReplyToTeams(accountId: string, ticket: Ticket, message: TicketMessage): Promise<void> {
  try {
    const conversation = await teamsTicketEntity.get({ accountId, ticketId: ticket.id });
    if (!conversation) {
      logger.error('Teams ticket without a conversation', { ticketId: ticket.id });
      return;
    }
    await postToConversation(conversation, message.body);
  } catch (err) {
    logger.error('Teams reply failed', { ticketId: ticket.id, messageId: message.id, error: (err as Error).message });
  }
}
