import type { Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { startSesStandIn, startSnsStandIn } from '../../local/stand-ins.js';
import { listen } from '../../local/net.js';

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
  call: <T = any>(method: string, path: string, options?: CallOptions) => Promise<ApiResponse<T>>;
  ses: Awaited<ReturnType<typeof startSesStandIn>>;
  sns: Awaited<ReturnType<typeof startSnsStandIn>>;
}

/**
 * Serves the API for one test file: the local HTTP server with the real handlers, this file's
 * table on the shared DynamoDB Local, and its own SES and SNS stand-ins.
 */
export function useApi(): TestApi {
  const api = {} as TestApi;
  let server: Server;
  beforeAll(async () => {
    api.ses = await startSesStandIn();
    api.sns = await startSnsStandIn();
    process.env.SES_ENDPOINT = api.ses.endpoint;
    process.env.SNS_ENDPOINT = api.sns.endpoint;
    const { createLocalServer } = await import('../../local/api-server.js');
    server = createLocalServer({
      outbox: {
        list: async () => [...(await api.ses.messages()), ...api.sns.messages()],
        clear: async () => {
          await api.ses.clear();
          api.sns.clear();
        },
      },
    });
    const port = await listen(server, 0);
    api.baseUrl = `http://127.0.0.1:${port}`;
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
      return { status: res.status, body: parsed as any, headers: res.headers };
    };
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await api.ses?.close();
    await api.sns?.close();
  });
  return api;
}
