import { accountPartition, entityKey } from '../db/keys.js';

/** One item per seat held: `SEAT#<module>#<userId>` in the account partition. */
export const seatKeys = {
  item: (accountId: string, module: string, userId: string) => ({
    pk: accountPartition(accountId),
    sk: entityKey('SEAT', `${module}#${userId}`),
  }),
};
