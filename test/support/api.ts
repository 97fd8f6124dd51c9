import { afterAll, beforeAll } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.js';
import { responseProblem } from './openapi-responses.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  baseUrl: string;
  smtpPort: number;
  call: <T = any>(method: string, path: string, options?: CallOptions) => Promise<ApiResponse<T>>;
  ses: LocalServices['ses'];
  sns: LocalServices['sns'];
  runSchedule: LocalServices['runSchedule'];
}

/**
 * Serves the API for one test file: the local runtime's services (HTTP server with the real
 * handlers, SMTP port, SES and SNS stand-ins, schedules) on this file's table of the shared
 * DynamoDB Local.
 */
export function useApi(): TestApi {
  const api = {} as TestApi;
  let services: LocalServices;
  beforeAll(async () => {
    services = await startLocalServices({ apiPort: 0, smtpPort: 0 });
    Object.assign(api, { baseUrl: services.apiUrl, smtpPort: services.smtpPort, ses: services.ses, sns: services.sns, runSchedule: services.runSchedule });
    api.call = async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${api.baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      // Every response must be what the OpenAPI document says it is: one check for every test.
      const problem = responseProblem(method, path, res.status, res.headers.get('content-type'), parsed);
      if (problem) throw new Error(`The response contradicts the OpenAPI document. ${problem}`);
      return { status: res.status, body: parsed as any, headers: res.headers };
    };
  });
  afterAll(async () => {
    await services?.close();
  });
  return api;
}
