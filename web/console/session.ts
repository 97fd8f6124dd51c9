import { ApiError, type Call } from '../shared/api.ts';

/** The signed-in staff member, as `GET /v1/me` gives them. */
export interface Me {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: 'administrator' | 'technician';
  companyIds: string[];
  seats: string[];
}

// sessionStorage only: the token dies with the tab, never reaches a URL, a log or another tab.
const tokenKey = 'desk-admin.console.token';

export const storedToken = () => sessionStorage.getItem(tokenKey) ?? undefined;
export const storeToken = (token: string) => sessionStorage.setItem(tokenKey, token);
export const forgetToken = () => sessionStorage.removeItem(tokenKey);

/**
 * The API as the console calls it: with the session's token, and a 401 (the token expired or
 * ended by a password change) ends the session and leads back to sign-in.
 */
export function sessionApi(call: Call, onExpired: () => void) {
  return async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await call<T>(method, path, { token: storedToken(), ...(body === undefined ? {} : { body }) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onExpired();
      throw error;
    }
  };
}

export type Api = ReturnType<typeof sessionApi>;

/** What every view gets: the API, the signed-in staff member, and the session's ways to change. */
export interface Context {
  api: Api;
  me: Me;
  /** A new token (after a password change: every earlier one ends). */
  renewToken: (token: string) => void;
  /** Tells the header the caller's name changed. */
  meChanged: (me: Me) => void;
  /** The account's language changed: the console speaks the new one. */
  languageChanged: (language: string) => void;
}

export const isAdmin = (ctx: Context) => ctx.me.role === 'administrator';
