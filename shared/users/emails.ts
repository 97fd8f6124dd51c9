import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountPartition, entityKey } from '../db/keys.js';
import { db, tableName, type TransactItem } from '../db/client.js';
import { Conflict } from '../errors.js';
import { guard, type GuardedWrite } from '../audit/audit.js';

/**
 * Emails are unique per account across users and end users, case-insensitively: each address is
 * claimed by one item keyed by the lower-cased address, written in the same transaction as its
 * owner, so concurrent creations race on the claim's condition and one wins.
 */
export const emailKeys = {
  claim: (accountId: string, email: string) => ({ pk: accountPartition(accountId), sk: entityKey('EMAIL', email.toLowerCase()) }),
};

export interface EmailClaim {
  ownerType: 'user' | 'end_user';
  ownerId: string;
}

export class EmailTaken extends Conflict {
  constructor() {
    super('This email address is already in use in the account.', 'conflict', [{ path: 'email', message: 'Already in use' }]);
  }
}

export function claimEmail(accountId: string, email: string, owner: EmailClaim): GuardedWrite {
  return guard(
    {
      Put: {
        TableName: tableName,
        Item: { ...emailKeys.claim(accountId, email), type: 'email_claim', ...owner },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    () => new EmailTaken(),
  );
}

export function releaseEmail(accountId: string, email: string): TransactItem {
  return { Delete: { TableName: tableName, Key: emailKeys.claim(accountId, email) } };
}

export async function getEmailClaim(accountId: string, email: string): Promise<EmailClaim | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: emailKeys.claim(accountId, email) }));
  return out.Item ? { ownerType: out.Item.ownerType, ownerId: out.Item.ownerId } : undefined;
}
