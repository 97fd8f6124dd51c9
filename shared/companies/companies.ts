import { accountCollection, accountPartition, entityKey } from '../db/keys.js';
import { tableName, type TransactItem } from '../db/client.js';
import { newId } from '../ids.js';

export interface Company {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

/** Companies live in the account partition; `byName` (gsi1) lists them in name order. */
export const companyKeys = {
  item: (accountId: string, companyId: string) => ({ pk: accountPartition(accountId), sk: entityKey('COMPANY', companyId) }),
  byName: (accountId: string, company: Pick<Company, 'id' | 'name'>) => ({
    gsi1pk: accountCollection(accountId, 'COMPANIES'),
    gsi1sk: `${company.name.toLowerCase()}#${company.id}`,
  }),
};

export function newCompany(name: string, description = ''): Company {
  const now = new Date().toISOString();
  return { id: newId('cmp'), name, description, createdAt: now, updatedAt: now };
}

export function putCompany(accountId: string, company: Company, condition?: 'new'): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...companyKeys.item(accountId, company.id), ...companyKeys.byName(accountId, company), type: 'company', ...company },
      ...(condition === 'new' ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    },
  };
}

export function toCompany(item: Record<string, unknown>): Company {
  const { id, name, description, createdAt, updatedAt } = item as unknown as Company;
  return { id, name, description, createdAt, updatedAt };
}
