/**
 * A few lines instead of a UI framework: the pages are small forms and a chat, and every kilobyte
 * is on the customer's phone before they can ask for help. `h` builds an element; event handlers
 * are `on<event>` properties, everything else an attribute (`false`/`undefined` leave it out).
 */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false || value === null) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value as EventListener);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces an element's content. */
export function render(el: Element, ...children: (Child | Child[])[]) {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A unique id, to tie a label or a hint to its control. */
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/** A labelled form field: the label is the control's accessible name, the hint its description. */
export function field(options: {
  label: string;
  name: string;
  type?: string;
  multiline?: boolean;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  value?: string;
  maxlength?: number;
}): { wrapper: HTMLElement; control: HTMLInputElement | HTMLTextAreaElement } {
  const id = uid(options.name);
  const hintId = options.hint ? `${id}-hint` : undefined;
  const attrs = {
    id,
    name: options.name,
    required: options.required,
    autocomplete: options.autocomplete,
    maxlength: options.maxlength,
    'aria-describedby': hintId,
  };
  const control = options.multiline ? h('textarea', { ...attrs, rows: 5 }) : h('input', { ...attrs, type: options.type ?? 'text' });
  if (options.value) control.value = options.value;
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, options.label),
    options.hint ? h('p', { id: hintId, class: 'hint' }, options.hint) : null,
    control,
  );
  return { wrapper, control };
}

/** Moves focus to a new step's heading, so keyboard and screen-reader users land where the page changed. */
export function focusHeading(heading: HTMLElement) {
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/**
 * Runs `work` while the button that started it shows it is busy: disabled, `aria-busy`, and named
 * by what is happening ("Saving…"), so a screen reader hears it too. Afterwards it is as it was.
 */
export async function busyWhile<T>(button: HTMLButtonElement, label: string, work: () => Promise<T>): Promise<T> {
  const text = button.textContent;
  const name = button.getAttribute('aria-label');
  const hadFocus = document.activeElement === button;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  if (name !== null) button.setAttribute('aria-label', label);
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
    if (name !== null) button.setAttribute('aria-label', name);
    // Disabling may have dropped the focus: give it back, unless the work moved it on purpose (to a field in error).
    const focus = document.activeElement;
    if (hadFocus && button.isConnected && (focus === null || focus === document.body)) button.focus();
  }
}

/**
 * Puts an entry into a log in the order of its key: a message that arrives late (read again after a
 * dropped connection) still lands where it belongs in the conversation.
 */
export function insertInOrder(log: HTMLElement, entry: HTMLElement, key: string): void {
  entry.dataset.order = key;
  const next = [...log.children].find((child) => ((child as HTMLElement).dataset.order ?? '') > key);
  log.insertBefore(entry, next ?? null);
}
