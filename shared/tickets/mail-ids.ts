import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../db/batch.js';
import { accountCollection } from '../db/keys.js';
import { db, tableName } from '../db/client.js';
import { guard, writeGuarded, type GuardedWrite } from '../audit/audit.js';
import { isReplyToken, newReplyToken, replyTokenFromMessageId } from '../email/addresses.js';
import { ticketKeys } from './tickets.js';

/**
 * Every email the customer sends to a ticket is remembered by its Message-ID in the account that
 * received it, so a reply naming it in In-Reply-To/References finds the ticket, and the same message
 * delivered twice is recognised. SES replaces the Message-ID of what we send with
 * `<sesId@…amazonses.com>` (the domain varies by region), so such ids are keyed by their SES id alone.
 */
export const mailIdKeys = {
  item: (accountId: string, messageId: string) => ({
    pk: accountCollection(accountId, 'MAIL', createHash('sha256').update(normaliseMessageId(messageId)).digest('base64url')),
    sk: 'MAIL',
  }),
};

export function normaliseMessageId(messageId: string): string {
  const id = messageId.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = id.lastIndexOf('@');
  return at > 0 && id.slice(at + 1).endsWith('amazonses.com') ? `ses:${id.slice(0, at)}` : id;
}

export class DuplicateMail extends Error {}

/** Claims an inbound message for a ticket; a second delivery of it fails with DuplicateMail. */
export function claimInboundMail(accountId: string, messageId: string, ticketId: string): GuardedWrite {
  return guard(
    {
      Put: {
        TableName: tableName,
        Item: { ...mailIdKeys.item(accountId, messageId), type: 'mail_id', ticketId, direction: 'inbound' },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    () => new DuplicateMail(),
  );
}

/** The ticket the first known id belongs to: one BatchGetItem for all the ids a reply names. */
export async function ticketIdForMessageIds(accountId: string, messageIds: string[]): Promise<string | undefined> {
  const unique = [...new Map(messageIds.map((id) => [normaliseMessageId(id), id])).values()].slice(0, 100);
  if (unique.length === 0) return undefined;
  const keys = unique.map((id) => mailIdKeys.item(accountId, id));
  const found = new Map((await batchGet(keys)).map((i) => [i.pk as string, i.ticketId as string]));
  for (const key of keys) if (found.has(key.pk)) return found.get(key.pk);
  return undefined;
}

export async function isKnownMail(accountId: string, messageId: string): Promise<boolean> {
  return (await ticketIdForMessageIds(accountId, [messageId])) !== undefined;
}

/** A ticket in its own account: what a reply token or one of our sent Message-IDs names. */
export interface TicketRef {
  accountId: string;
  ticketId: string;
}

/**
 * Reply tokens and the mail we sent are global items: they name the ticket's own account, so a
 * reply reaches it whoever owns the address it was sent to now. Only we write them, and a token is
 * 128 random bits, so no account can name another's ticket. The ticket item records its one token.
 */
export const replyKeys = {
  token: (token: string) => ({ pk: `REPLY#${token}`, sk: 'REPLY' }),
  sentMail: (messageId: string) => ({
    pk: `SENTMAIL#${createHash('sha256').update(normaliseMessageId(messageId)).digest('base64url')}`,
    sk: 'SENTMAIL',
  }),
};

class TokenTaken extends Error {}

/** The global item that makes a new token name this ticket (a token is never reused). */
export function replyTokenClaim(ref: TicketRef, token: string): GuardedWrite {
  return guard(
    {
      Put: {
        TableName: tableName,
        Item: { ...replyKeys.token(token), type: 'reply_token', accountId: ref.accountId, ticketId: ref.ticketId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    () => new TokenTaken(),
  );
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
    const current = await db.send(
      new GetCommand({ TableName: tableName, Key: ticketKeys.item(accountId, ticketId), ProjectionExpression: 'replyToken', ConsistentRead: true }),
    );
    const existing = current.Item?.replyToken as string | undefined;
    if (existing) return existing;
    const token = newReplyToken();
    try {
      await writeGuarded([
        replyTokenClaim({ accountId, ticketId }, token),
        guard(
          {
            Update: {
              TableName: tableName,
              Key: ticketKeys.item(accountId, ticketId),
              UpdateExpression: 'SET replyToken = :token',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(replyToken)',
              ExpressionAttributeValues: { ':token': token },
            },
          },
          () => new TokenTaken(),
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
  const out = await db.send(new GetCommand({ TableName: tableName, Key: replyKeys.token(token) }));
  return out.Item ? { accountId: out.Item.accountId as string, ticketId: out.Item.ticketId as string } : undefined;
}

/** Remembers the id SES gave a ticket email we sent, since SES replaces our token Message-ID with it. */
export async function rememberSentMail(ref: TicketRef, sesMessageId: string): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...replyKeys.sentMail(sesMessageId), type: 'sent_mail', ...ref } }));
}

/**
 * The ticket the first of these ids names as one of our emails: by the token in our Message-ID, or
 * by the id SES gave one we sent. One BatchGetItem for all the ids a reply names.
 */
export async function ticketNamedByOurMail(messageIds: string[]): Promise<TicketRef | undefined> {
  const keys = [
    ...new Map(
      messageIds.slice(-50).map((id) => {
        const token = replyTokenFromMessageId(id);
        const key = token ? replyKeys.token(token) : replyKeys.sentMail(id);
        return [key.pk, key];
      }),
    ).values(),
  ];
  if (keys.length === 0) return undefined;
  const found = new Map((await batchGet(keys)).map((i) => [i.pk as string, { accountId: i.accountId as string, ticketId: i.ticketId as string }]));
  for (const key of keys) if (found.has(key.pk)) return found.get(key.pk);
  return undefined;
}
