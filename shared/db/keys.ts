/**
 * The root of every account's keys: all of an account's data lives under partition keys that start
 * with `A#<accountId>`, so no key built from one account's token can name another account's item.
 * Entity modules build their keys on top of these; no other module writes a key literal.
 */
export const accountPartition = (accountId: string) => `A#${accountId}`;

/** Sub-partitions of an account (`A#<accountId>#AUDIT`, ...), for collections read as a whole. */
export const accountCollection = (accountId: string, ...parts: string[]) => [accountPartition(accountId), ...parts].join('#');

/** Sort keys: `TYPE#id` and their prefix for listing one entity type. */
export const entityKey = (type: string, id: string) => `${type}#${id}`;
export const entityPrefix = (type: string) => `${type}#`;
