import { ApiError } from '../shared/api.ts';
import { busyWhile, field, h, uid } from '../shared/dom.ts';
import { locale, t } from './i18n.ts';

/** A refusal the console words itself (wrong credentials at sign-in are one sentence, whichever field was wrong). */
export class Refusal extends Error {}

/** A refusal about one field, worded by the console (a wrong current password is a bare 403, say). */
export class FieldError extends Refusal {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API's error as a sentence for a staff member, in the console's language. */
export function explain(error: unknown): string {
  if (error instanceof FieldError) return t.checkFields;
  if (error instanceof Refusal) return error.message;
  if (!(error instanceof ApiError)) return t.failed;
  // The fields say what is wrong with each (showError): the sentence only points to them.
  if (error.details.length && (error.status === 400 || error.status === 409)) return t.checkFields;
  if (error.status === 429) return t.tooMany;
  const known = t.errorCodes[error.code];
  if (known) return known;
  // The API's own sentences are English: another language says what kind of refusal it was.
  if (locale() === 'en') return error.message;
  return t.errorStatuses[error.status] ?? t.failed;
}

/** A slot right under a field for the API's errors about it (`details[].path` starting with its name). */
export function errorSlot(name: string) {
  return h('p', { id: uid(`${name}-error`), class: 'error', 'data-error-for': name });
}

/** What the API said about one field: its own words in English, else ours with its words beside them. */
function fieldMessage(error: ApiError, message: string): (string | Node)[] {
  if (locale() === 'en') return [message];
  return [error.status === 409 ? t.alreadyUsed : t.invalidValue, ' ', h('span', { lang: 'en' }, `(${message})`)];
}

/**
 * Shows an error on a form: each of the API's `details[].path` next to its field (matched by the
 * path's first segment, `companyIds.0` → `companyIds`), the sentence in the form's alert. A detail
 * no field of the form matches is said in the alert, so nothing the API said is lost.
 */
export function showError(form: HTMLElement, alert: HTMLElement, error: unknown) {
  clearErrors(form, alert);
  alert.textContent = explain(error);
  const place = (path: string, message: (string | Node)[]) => {
    const name = path.split('.')[0] ?? '';
    const slot = name ? form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`) : null;
    if (!slot) {
      alert.append(' ', ...message);
      return;
    }
    if (slot.textContent) slot.append(' ');
    slot.append(...message);
    const control = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      const described = control.getAttribute('aria-describedby')?.split(' ') ?? [];
      if (!described.includes(slot.id)) control.setAttribute('aria-describedby', [...described, slot.id].join(' '));
    }
  };
  if (error instanceof FieldError) place(error.path, [error.message]);
  else if (error instanceof ApiError) for (const detail of error.details) place(detail.path, fieldMessage(error, detail.message));
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

export function clearErrors(form: HTMLElement, alert: HTMLElement) {
  alert.textContent = '';
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * A form that submits once at a time: while the API works, the button that sent it says so
 * ("Saving…") and the form's other buttons wait; what the API refused shows next to the fields.
 */
export function apiForm(form: HTMLFormElement, run: () => Promise<void>, busyLabel = t.saving) {
  const alert = h('p', { role: 'alert', class: 'error' });
  form.append(alert);
  form.noValidate = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    const submitter = (event.submitter as HTMLButtonElement | null) ?? form.querySelector<HTMLButtonElement>('button[type="submit"]');
    const others = [...form.querySelectorAll('button')].filter((b) => b !== submitter);
    clearErrors(form, alert);
    form.setAttribute('aria-busy', 'true');
    for (const b of others) b.disabled = true;
    try {
      await (submitter ? busyWhile(submitter, busyLabel, run) : run());
    } catch (error) {
      showError(form, alert, error);
    } finally {
      form.removeAttribute('aria-busy');
      for (const b of others) b.disabled = false;
    }
  });
  return alert;
}

/** A button that calls the API when pressed, saying meanwhile what it does ("Deleting…"). */
export function actionButton(options: { text: string; name?: string; busy: string; kind?: 'primary' | 'secondary' | 'danger' }, work: () => Promise<void>) {
  const kind = options.kind ?? 'secondary';
  const button = h('button', { type: 'button', class: kind === 'primary' ? undefined : kind, 'aria-label': options.name }, options.text);
  button.addEventListener('click', () => void busyWhile(button, options.busy, work));
  return button;
}

/** A field with a slot for its API error right under it. */
export function apiField(options: Parameters<typeof field>[0]) {
  const f = field(options);
  f.wrapper.append(errorSlot(options.name));
  return f;
}

/** A labelled select whose API errors show under it. */
export function selectField(label: string, name: string, options: (readonly [string, string])[], selected?: string) {
  const id = uid(name);
  const control = h(
    'select',
    { id, name },
    options.map(([value, text]) => h('option', { value, selected: value === selected }, text)),
  );
  return { wrapper: h('div', { class: 'field' }, h('label', { for: id }, label), control, errorSlot(name)), control };
}

/** A group of checkboxes sharing a name (one per module, one per company), its errors under it. */
export function checkboxes(legend: string, name: string, options: { value: string; label: string; checked?: boolean }[]) {
  const fieldset = h(
    'fieldset',
    {},
    h('legend', {}, legend),
    options.map((o) => {
      const id = uid(name);
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name, value: o.value, checked: o.checked }), h('label', { for: id }, o.label));
    }),
    errorSlot(name),
  );
  const values = () => [...fieldset.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  return { fieldset, values };
}

/** A form's Save and Cancel. */
export function formActions(cancel: () => void) {
  return h(
    'div',
    { class: 'actions' },
    h('button', { type: 'submit' }, t.save),
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, t.cancel),
  );
}

/** A page's section, named by its heading. */
export function section(title: string, ...children: (Node | null | false)[]) {
  const id = uid('section');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/**
 * Asks before deleting ("Delete X?", "Yes, delete", "Cancel") in `host`. A refusal is said in
 * `alert`, in the words `refused` chooses, and the question goes away.
 */
export function askToDelete(options: {
  host: HTMLElement;
  alert: HTMLElement;
  name: string;
  remove: () => Promise<void>;
  cancel: () => void;
  refused?: (error: unknown) => string;
}) {
  const { host, alert, cancel } = options;
  const yes = actionButton({ text: t.yesDelete, busy: t.deleting, kind: 'danger' }, async () => {
    alert.textContent = '';
    try {
      await options.remove();
    } catch (error) {
      alert.textContent = (options.refused ?? explain)(error);
      cancel();
    }
  });
  host.replaceChildren(
    h('span', {}, t.deleteQuestion(options.name)),
    ' ',
    yes,
    ' ',
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, t.cancel),
  );
  yes.focus();
}
