import { ApiError, type Call } from '../shared/api.ts';
import { h, uid } from '../shared/dom.ts';

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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
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

/** The API's error as a sentence for a staff member. */
export function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.status === 400 && error.details.length) return 'Please check the marked fields.';
  if (error.status === 429) return 'Too many attempts. Please wait a few minutes.';
  return error.message;
}

/** A labelled field whose API errors (`details[].path` starting with its name) show right under it. */
export function errorSlot(name: string) {
  return h('p', { id: uid(`${name}-error`), class: 'error', 'data-error-for': name });
}

/**
 * Shows an API error on a form: each `details[].path` next to its field (matched by the path's
 * first segment, `companyIds.0` → `companyIds`), the sentence in the form's alert.
 */
export function showError(form: HTMLElement, alert: HTMLElement, error: unknown) {
  clearErrors(form, alert);
  alert.textContent = explain(error);
  if (!(error instanceof ApiError)) return;
  for (const detail of error.details) {
    const name = detail.path.split('.')[0] ?? '';
    const slot = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) continue;
    slot.textContent = slot.textContent ? `${slot.textContent} ${detail.message}` : detail.message;
    const control = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), slot.id].filter(Boolean).join(' '));
    }
  }
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

export function clearErrors(form: HTMLElement, alert: HTMLElement) {
  alert.textContent = '';
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** A form that submits once at a time and shows what the API refused next to the fields. */
export function apiForm(form: HTMLFormElement, run: () => Promise<void>) {
  const alert = h('p', { role: 'alert', class: 'error' });
  form.append(alert);
  form.noValidate = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    clearErrors(form, alert);
    for (const b of buttons) b.disabled = true;
    try {
      await run();
    } catch (error) {
      showError(form, alert, error);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  });
  return alert;
}

/**
 * A list read page by page with the API's cursors: the first page now, the next behind "Load more".
 */
export function pagedList<T>(api: Api, path: string, renderItem: (item: T) => Node, empty: string) {
  const list = h('ul', { class: 'list' });
  const alert = h('p', { role: 'alert', class: 'error' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  let cursor: string | null = null;
  const load = async () => {
    more.disabled = true;
    try {
      const sep = path.includes('?') ? '&' : '?';
      const page = await api<Page<T>>('GET', cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      if (!cursor && !page.items.length) list.append(h('li', { class: 'empty' }, empty));
      for (const item of page.items) list.append(renderItem(item));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      alert.textContent = explain(error);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
  return { element: h('div', {}, list, more, alert), list };
}

/** Every page of a collection (the companies offered as checkboxes: a handful per account). */
export async function readAll<T>(api: Api, path: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>('GET', `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
