import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../db/batch.js';
import { accountCollection } from '../db/keys.js';
import { db, tableName } from '../db/client.js';
import { guard, type GuardedWrite } from '../audit/audit.js';

/**
 * Every email of a ticket, the customer's and ours, is remembered by its Message-ID, so a reply
 * naming any of them in In-Reply-To/References finds the ticket, and the same message delivered
 * twice is recognised. SES replaces the Message-ID of what we send with `<sesId@…amazonses.com>`
 * (the domain varies by region), so such ids are keyed by their SES id alone.
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

/** Remembers the ids an outgoing email of the ticket goes by (ours, and the one SES gives it). */
export async function rememberOutboundMail(accountId: string, ticketId: string, messageIds: string[]): Promise<void> {
  await Promise.all(
    messageIds.map((id) =>
      db.send(new PutCommand({ TableName: tableName, Item: { ...mailIdKeys.item(accountId, id), type: 'mail_id', ticketId, direction: 'outbound' } })),
    ),
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
