import { h, render, uid } from '../shared/dom.ts';
import { languageNames } from '../shared/languages.ts';
import { type Company, companyPanels } from './configure.ts';
import { actionButton, apiForm, errorSlot, explain, section } from './forms.ts';
import { t } from './i18n.ts';
import { progress } from './lists.ts';
import { type Context, isAdmin } from './session.ts';

type SettingValue = string | number | boolean;
type Settings = Record<string, SettingValue>;

interface CompanySettings {
  overrides: Settings;
  effective: Settings;
}

// The settings a company may override (the others are account-wide policy).
const overridableKeys = ['sessionRecording', 'language', 'timezone', 'queueAlertAfterMinutes', 'portalLiveConnect'];

const settingLabel = (key: string) => t.settingLabels[key] ?? key;

const showSetting = (key: string, value: SettingValue | undefined) =>
  typeof value === 'boolean'
    ? value
      ? t.on
      : t.off
    : key === 'language'
      ? (languageNames[value as keyof typeof languageNames] ?? String(value))
      : String(value ?? '');

/** A control for one setting, labelled with its name, and a way to read the value it holds. */
function settingControl(key: string, value: SettingValue) {
  const id = uid(key);
  const label = h('label', { for: id }, settingLabel(key));
  if (typeof value === 'boolean') {
    const control = h('input', { type: 'checkbox', id, name: key, checked: value });
    return { wrapper: h('div', { class: 'check' }, control, label, errorSlot(key)), read: (): SettingValue => control.checked };
  }
  if (key === 'language') {
    const control = h(
      'select',
      { id, name: key },
      Object.entries(languageNames).map(([code, name]) => h('option', { value: code, selected: code === value, lang: code }, name)),
    );
    return { wrapper: h('div', { class: 'field' }, label, control, errorSlot(key)), read: (): SettingValue => control.value };
  }
  const numeric = typeof value === 'number';
  const control = h('input', { type: numeric ? 'number' : 'text', id, name: key, value: String(value) });
  // An empty or unparsable number goes to the API as text, to be refused next to its field.
  const read = (): SettingValue =>
    numeric && control.value.trim() !== '' && Number.isFinite(Number(control.value)) ? Number(control.value) : control.value.trim();
  return { wrapper: h('div', { class: 'field' }, label, control, errorSlot(key)), read };
}

function accountSettings(ctx: Context, settings: Settings, changed: (settings: Settings) => void) {
  const id = uid('account-settings');
  const heading = h('h3', { id }, t.accountWide);
  if (!isAdmin(ctx)) {
    return h(
      'section',
      { 'aria-labelledby': id, class: 'panel' },
      heading,
      h(
        'dl',
        { class: 'settings' },
        Object.entries(settings).flatMap(([key, value]) => [h('dt', {}, settingLabel(key)), h('dd', {}, showSetting(key, value))]),
      ),
    );
  }
  const controls = Object.entries(settings).map(([key, value]) => ({ key, ...settingControl(key, value) }));
  const saved = h('p', { role: 'status' });
  const form = h(
    'form',
    {},
    controls.map((c) => c.wrapper),
    h('button', { type: 'submit' }, t.save),
    saved,
  );
  apiForm(form, async () => {
    saved.textContent = '';
    const updated = await ctx.api<Settings>('PATCH', '/v1/settings', Object.fromEntries(controls.map((c) => [c.key, c.read()])));
    saved.textContent = t.saved;
    changed(updated);
  });
  return h('section', { 'aria-labelledby': id, class: 'panel' }, heading, form);
}

/** A company's overridable settings against the account's, in `host`; `redraw` shows them anew. */
function companySettings(ctx: Context, company: Company, account: () => Settings, initial: CompanySettings) {
  const host = h('div');
  const path = `/v1/companies/${encodeURIComponent(company.id)}/settings`;
  let current = initial;
  const patch = async (body: Record<string, SettingValue | null>) => {
    current = await ctx.api<CompanySettings>('PATCH', path, body);
    redraw();
  };
  const row = (key: string) => {
    const label = settingLabel(key);
    const overridden = Object.hasOwn(current.overrides, key);
    // The account's value as it is now (it may have changed since the company's were read), the override on top.
    const effective = (overridden ? current.overrides[key] : (account()[key] ?? current.effective[key])) ?? '';
    const summary = h(
      'p',
      { class: 'meta' },
      overridden ? t.overridden(label, showSetting(key, effective), showSetting(key, account()[key])) : t.inherited(label, showSetting(key, effective)),
    );
    if (!isAdmin(ctx)) return h('li', {}, summary);
    const control = settingControl(key, effective);
    const fallBack = actionButton({ text: t.useAccountSetting, name: t.useAccountSettingNamed(label, company.name), busy: t.saving }, async () => {
      alert.textContent = '';
      try {
        // null removes the override: the company falls back to the account's value.
        await patch({ [key]: null });
      } catch (error) {
        alert.textContent = explain(error);
      }
    });
    const form = h(
      'form',
      { class: 'inline' },
      control.wrapper,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', 'aria-label': t.overrideNamed(label, company.name) }, t.override),
        overridden ? fallBack : null,
      ),
    );
    const alert = apiForm(form, () => patch({ [key]: control.read() }));
    return h('li', {}, summary, form);
  };
  const redraw = () => render(host, h('ul', { class: 'list' }, overridableKeys.map(row)));
  redraw();
  return { host, redraw };
}

/** Settings: account-wide, and per company with its overrides shown against the account's value. */
export function settingsView(ctx: Context, main: HTMLElement) {
  const host = h('div', { 'aria-busy': 'true' });
  const status = progress();
  render(main, section(t.settings, status.element, host));
  status
    .track(() => ctx.api<Settings>('GET', '/v1/settings'))
    .then(
      (initial) => {
        let account = initial;
        // The company panels show the account's values beside their own: they follow its changes.
        const redraws = new Set<() => void>();
        const panels = companyPanels(ctx, async (company) => {
          const shown = companySettings(
            ctx,
            company,
            () => account,
            await ctx.api<CompanySettings>('GET', `/v1/companies/${encodeURIComponent(company.id)}/settings`),
          );
          redraws.add(shown.redraw);
          return [shown.host];
        });
        const changed = (updated: Settings) => {
          const languageChanged = updated.language !== account.language;
          account = updated;
          if (languageChanged) ctx.languageChanged(String(updated.language));
          else for (const redraw of redraws) redraw();
        };
        render(host, accountSettings(ctx, account, changed), h('h3', {}, t.perCompany), panels.element);
      },
      (error: unknown) => render(host, h('p', { role: 'alert', class: 'error' }, explain(error))),
    )
    .finally(() => host.removeAttribute('aria-busy'));
}
