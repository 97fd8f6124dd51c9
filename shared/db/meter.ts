import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts DynamoDB round trips and consumed capacity for one request. The figures are logged with
 * every request and read by the benchmark, so cost is measured where it is spent.
 */
export interface DbUsage {
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
}

const storage = new AsyncLocalStorage<DbUsage>();

/** Measures `work`; nested inside another measurement, it adds to the outer one. */
export function measureDbUsage<T>(work: () => Promise<T>): Promise<{ result: T; usage: DbUsage }> {
  const outer = storage.getStore();
  if (outer) return work().then((result) => ({ result, usage: outer }));
  const usage: DbUsage = { roundTrips: 0, readUnits: 0, writeUnits: 0 };
  return storage.run(usage, async () => ({ result: await work(), usage }));
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export function recordRoundTrip(consumed: Capacity | Capacity[] | undefined, isWrite: boolean): void {
  const usage = storage.getStore();
  if (!usage) return;
  usage.roundTrips += 1;
  for (const c of [consumed ?? []].flat()) {
    const reads = c.ReadCapacityUnits ?? (isWrite ? 0 : (c.CapacityUnits ?? 0));
    const writes = c.WriteCapacityUnits ?? (isWrite ? (c.CapacityUnits ?? 0) : 0);
    usage.readUnits += reads;
    usage.writeUnits += writes;
  }
}
