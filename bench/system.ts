import { randomBytes } from 'node:crypto';
import { startLocalDynamo, ensureTable } from '../local/dynamodb.js';
import { measureDbUsage } from '../shared/db/meter.js';
import { freePort } from '../local/net.js';
import { startLocalServices, type LocalServices } from '../local/services.js';

export interface BenchSystem {
  baseUrl: string;
  services: LocalServices;
  call: (method: string, path: string, options?: { token?: string; body?: unknown }) => Promise<Measured>;
  stop: () => Promise<void>;
}

export interface Measured {
  status: number;
  body: any;
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  ms: number;
}

/** Measures work that no HTTP request carries (inbound mail, schedules, a live `$connect`) the way the meter counts requests. */
export async function measureInProcess(work: () => Promise<unknown>): Promise<Measured> {
  const started = performance.now();
  const { result, usage } = await measureDbUsage(work);
  return { status: 200, body: result, ...usage, ms: performance.now() - started };
}

/** The same local system `npm start` runs, in memory, for measuring. */
export async function startBenchSystem(): Promise<BenchSystem> {
  const dynamo = await startLocalDynamo({ port: await freePort() });
  Object.assign(process.env, {
    TABLE_NAME: 'bench',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  await ensureTable(dynamo.endpoint, 'bench');
  const services = await startLocalServices({ apiPort: 0, smtpPort: 0 });
  const baseUrl = services.apiUrl;
  return {
    baseUrl,
    services,
    call: async (method, path, options = {}) => {
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const started = performance.now();
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await res.text();
      const ms = performance.now() - started;
      const usage = Object.fromEntries((res.headers.get('x-local-ddb') ?? '').split(';').map((p) => p.trim().split('=') as [string, string]));
      return {
        status: res.status,
        body: text ? JSON.parse(text) : undefined,
        roundTrips: Number(usage.roundTrips ?? 0),
        readUnits: Number(usage.rcu ?? 0),
        writeUnits: Number(usage.wcu ?? 0),
        ms,
      };
    },
    stop: async () => {
      await services.close();
      await dynamo.stop();
    },
  };
}
