/** Where the API and the live channel are: `/config.json`, written by the local server or at deploy. */
export interface PageConfig {
  apiUrl: string;
  liveUrl: string;
}

export async function loadConfig(): Promise<PageConfig> {
  const res = await fetch('/config.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return (await res.json()) as PageConfig;
}

/** The contract's error: `{error: {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export function apiClient(config: PageConfig) {
  return async function call<T>(method: string, path: string, options: { body?: unknown; token?: string | undefined } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(`${config.apiUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const body = res.status === 204 ? undefined : await res.json().catch(() => undefined);
    if (!res.ok) {
      const error = (body as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | undefined)?.error;
      throw new ApiError(res.status, error?.code ?? 'internal_error', error?.message ?? `HTTP ${res.status}`, error?.details ?? []);
    }
    return body as T;
  };
}

export type Call = ReturnType<typeof apiClient>;
