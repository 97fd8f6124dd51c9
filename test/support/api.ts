import { afterAll, beforeAll } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.js';
import type { ApiPath, ErrorBody, MethodOf, ResponseBody, ResponseStatus } from './api-types.js';
import { responseProblem } from './openapi-responses.js';

/** What every response of `call` has, for helpers that read only the status and the error envelope. */
export interface ApiResponse {
  status: number;
  body: Partial<ErrorBody> | undefined;
  headers: Headers;
}

/** A response to a request the OpenAPI document does not describe. */
export interface RawResponse {
  status: number;
  body: unknown;
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
  /**
   * A request to an operation of the OpenAPI document, its response typed from the document. (The
   * response type is spelled out here: a named generic type sends TypeScript's inference inside
   * `Promise.all([...])` into an explosion of unions.)
   */
  call: <P extends ApiPath, M extends MethodOf<P>>(
    method: M,
    path: P,
    options?: CallOptions,
  ) => Promise<{ status: ResponseStatus<M, P>; body: ResponseBody<M, P>; headers: Headers }>;
  /** A request the document does not describe (a local-only or unknown route, a wrong method), or one whose method is chosen at run time. */
  callRaw: (method: string, path: string, options?: CallOptions) => Promise<RawResponse>;
  ses: LocalServices['ses'];
  sns: LocalServices['sns'];
  runSchedule: LocalServices['runSchedule'];
}

/** The response, if it came with this status; otherwise a setup step fails, saying what came instead. */
export function requireStatus<R extends { status: number; body: unknown }>(res: R, status: number, what: string): R {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
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
    api.callRaw = async (method, path, options = {}) => {
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
      return { status: res.status, body: parsed, headers: res.headers };
    };
    // The response was just checked against the document, so it is what the document's types say.
    api.call = api.callRaw as TestApi['call'];
  });
  afterAll(async () => {
    await services?.close();
  });
  return api;
}
