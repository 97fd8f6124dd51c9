import { busyWhile, h } from '../shared/dom.ts';
import { explain } from './forms.ts';
import { t } from './i18n.ts';
import type { Api } from './session.ts';

/** A page of a collection, as every `GET` of a list answers. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A status line that says "Loading…" while the work it tracks runs (a polite live region: a screen
 * reader announces it), and says nothing once all of it is done.
 */
export function progress() {
  const element = h('p', { role: 'status', class: 'progress' });
  let pending = 0;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    pending++;
    // Said once the region is on the page: a live region announces changes, not what it was born with.
    queueMicrotask(() => {
      if (pending) element.textContent = t.loading;
    });
    try {
      return await work();
    } finally {
      if (--pending === 0) element.textContent = '';
    }
  };
  return { element, track };
}

// A filtered read may answer an empty page that still has a next one: read on a little before showing "nothing".
const maxEmptyPages = 5;

const withCursor = (path: string, cursor: string | null) => (cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path);

/**
 * A list read page by page with the API's cursors: the first page now, each next one behind
 * "Load more", while loading a status says so and the list is `aria-busy`.
 */
export function pagedList<T>(api: Api, path: string, renderItem: (item: T) => Node, empty: string) {
  const list = h('ul', { class: 'list' });
  const status = progress();
  const alert = h('p', { role: 'alert', class: 'error' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t.loadMore);
  const emptyItem = h('li', { class: 'empty' }, empty);
  let cursor: string | null = null;
  // A reload starts a new generation: answers for an older one are dropped.
  let generation = 0;

  /** Reads the next page; a `fresh` read starts again from the first page, replacing what is shown once it arrives. */
  const load = async (fresh = false, quietly = false) => {
    if (fresh) {
      generation++;
      cursor = null;
    }
    const mine = generation;
    let failed = false;
    const items: Node[] = [];
    alert.textContent = '';
    if (!quietly) list.setAttribute('aria-busy', 'true');
    const read = async () => {
      for (let pages = 0; pages < maxEmptyPages; pages++) {
        const page = await api<Page<T>>('GET', withCursor(path, cursor));
        if (mine !== generation) return;
        items.push(...page.items.map(renderItem));
        cursor = page.nextCursor;
        if (page.items.length || !cursor) break;
      }
    };
    try {
      await (quietly ? read() : status.track(read));
    } catch (error) {
      failed = true;
      if (mine === generation && !quietly) alert.textContent = explain(error);
    } finally {
      if (mine === generation) {
        // A failed fresh read keeps what was shown.
        if (fresh && !failed) list.replaceChildren();
        list.append(...items);
        list.removeAttribute('aria-busy');
        more.hidden = !cursor;
        if (!failed && !cursor && !list.children.length) list.append(emptyItem);
      }
    }
  };
  more.addEventListener('click', () => void busyWhile(more, t.loading, () => load()));
  void load();

  return {
    element: h('div', {}, status.element, list, more, alert),
    list,
    /** Shows an item just created, first. */
    add: (node: Node) => {
      emptyItem.remove();
      list.prepend(node);
    },
    /** Reads the list again from its first page, saying so. */
    reload: () => void load(true),
    /** Reads the first page again in the background: what is shown stays until the new page is there. */
    refresh: () => void load(true, true),
  };
}

/** Every page of a collection (the companies offered as checkboxes: a handful per account). */
export async function readAll<T>(api: Api, path: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>('GET', withCursor(`${path}${path.includes('?') ? '&' : '?'}limit=100`, cursor));
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
