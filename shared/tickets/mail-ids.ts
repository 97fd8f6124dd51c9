import { transact, type WriteAction } from '../db/transaction.js';
import { isReplyToken, newReplyToken, replyTokenFromMessageId } from '../email/addresses.js';
import { firstFound, mailIdEntity, normaliseMessageId, replyTokenEntity, sentMailEntity, ticketEntity, type TicketRef } from './entities.js';

/*
 * Every email the customer sends to a ticket is remembered by its Message-ID in the account that
 * received it, so a reply naming it in In-Reply-To/References finds the ticket, and the same message
 * delivered twice is recognised.
 */

export class DuplicateMail extends Error {}

/** Claims an inbound message for a ticket; a second delivery of it fails with DuplicateMail. */
export function claimInboundMail(accountId: string, messageId: string, ticketId: string): WriteAction {
  return mailIdEntity.putAction({ accountId, messageId, ticketId, direction: 'inbound' }, { ifNew: true, onFail: () => new DuplicateMail() });
}

/** The ticket the first known id belongs to: one batch read for all the ids a reply names. */
export async function ticketIdForMessageIds(accountId: string, messageIds: string[]): Promise<string | undefined> {
  const unique = [...new Map(messageIds.map((id) => [normaliseMessageId(id), id])).values()].slice(0, 100);
  const found = await firstFound(unique.map((messageId) => ({ key: mailIdEntity.key({ accountId, messageId }), entity: mailIdEntity })));
  return found?.ticketId;
}

export async function isKnownMail(accountId: string, messageId: string): Promise<boolean> {
  return (await ticketIdForMessageIds(accountId, [messageId])) !== undefined;
}

/*
 * Reply tokens and the mail we sent are global items (see entities.ts). Only we write them, and a
 * token is 128 random bits, so no account can name another's ticket. The ticket item records its one token.
 */

class TokenTaken extends Error {}

/** The global item that makes a new token name this ticket (a token is never reused). */
export function replyTokenClaim(ref: TicketRef, token: string): WriteAction {
  return replyTokenEntity.putAction({ token, ...ref }, { ifNew: true, onFail: () => new TokenTaken() });
}

/**
 * The ticket's reply token. Tickets get theirs when they are opened (`openTicket`); one opened before
 * tokens existed gets it the first time it needs one: the token item and the ticket's `replyToken`
 * are written together, on the condition that the ticket has none yet, so of two senders at once one
 * wins and the other reads the winner's token. `known` is the ticket's token if the caller read it.
 */
export async function replyTokenOf(accountId: string, ticketId: string, known?: string): Promise<string> {
  if (known) return known;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = (await ticketEntity.get({ accountId, id: ticketId }, { consistent: true }))?.replyToken;
    if (existing) return existing;
    const token = newReplyToken();
    try {
      await transact([
        replyTokenClaim({ accountId, ticketId }, token),
        ticketEntity.updateAction(
          { accountId, id: ticketId },
          { set: { replyToken: token } },
          { condition: { and: [{ itemExists: true }, { path: 'replyToken', exists: false }] }, onFail: () => new TokenTaken() },
        ),
      ]);
      return token;
    } catch (err) {
      if (!(err instanceof TokenTaken)) throw err;
    }
  }
  throw new Error(`No reply token could be recorded for ticket ${ticketId}`);
}

export async function ticketOfReplyToken(token: string): Promise<TicketRef | undefined> {
  if (!isReplyToken(token)) return undefined;
  const ref = await replyTokenEntity.get({ token });
  return ref && { accountId: ref.accountId, ticketId: ref.ticketId };
}

/** Remembers the id SES gave a ticket email we sent, since SES replaces our token Message-ID with it. */
export async function rememberSentMail(ref: TicketRef, sesMessageId: string): Promise<void> {
  await sentMailEntity.put({ messageId: sesMessageId, ...ref });
}

/**
 * The ticket the first of these ids names as one of our emails: by the token in our Message-ID, or
 * by the id SES gave one we sent. One batch read for all the ids a reply names.
 */
export async function ticketNamedByOurMail(messageIds: string[]): Promise<TicketRef | undefined> {
  const lookups = messageIds.slice(-50).map((id) => {
    const token = replyTokenFromMessageId(id);
    return token ? { key: replyTokenEntity.key({ token }), entity: replyTokenEntity } : { key: sentMailEntity.key({ messageId: id }), entity: sentMailEntity };
  });
  const found = await firstFound([...new Map(lookups.map((l) => [l.key.pk, l])).values()]);
  return found && { accountId: found.accountId, ticketId: found.ticketId };
}
