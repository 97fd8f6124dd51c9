const bookkeeping = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type', 'ttl']);

/** An item without its table bookkeeping (keys, type tag, TTL): the entity's own fields. */
export function stripKeys<T = Record<string, unknown>>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !bookkeeping.has(k))) as T;
}
