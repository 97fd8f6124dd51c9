import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireStatus } from '../support/api.js';
import { useConsoleTest } from '../support/console.js';
import { password, type SignedUpAccount } from '../support/fixtures.js';

const { api, session, shot, signIn, signedIn, configure, freshAccount } = useConsoleTest('console-language');
let page: Page;
let account: SignedUpAccount;
beforeEach(async () => {
  ({ page, account } = await freshAccount());
});

/** A few of the console's words in each language of the settings, as a person of that language reads them. */
const words = {
  en: { configure: 'Configure', users: 'Users', settings: 'Settings', signOut: 'Sign out', addUser: 'Add user' },
  de: { configure: 'Konfiguration', users: 'Benutzer', settings: 'Einstellungen', signOut: 'Abmelden', addUser: 'Benutzer hinzufügen' },
  es: { configure: 'Configuración', users: 'Usuarios', settings: 'Ajustes', signOut: 'Cerrar sesión', addUser: 'Añadir usuario' },
  fr: { configure: 'Configuration', users: 'Utilisateurs', settings: 'Paramètres', signOut: 'Se déconnecter', addUser: 'Ajouter un utilisateur' },
  it: { configure: 'Configurazione', users: 'Utenti', settings: 'Impostazioni', signOut: 'Esci', addUser: 'Aggiungi utente' },
  pt: { configure: 'Configuração', users: 'Usuários', settings: 'Configurações', signOut: 'Sair', addUser: 'Adicionar usuário' },
  nl: { configure: 'Configuratie', users: 'Gebruikers', settings: 'Instellingen', signOut: 'Uitloggen', addUser: 'Gebruiker toevoegen' },
  ja: { configure: '設定管理', users: 'ユーザー', settings: '設定', signOut: 'サインアウト', addUser: 'ユーザーを追加' },
  zh: { configure: '配置', users: '用户', settings: '设置', signOut: '退出登录', addUser: '添加用户' },
} as const;

const setLanguage = async (language: string) =>
  requireStatus(await api.call('PATCH', '/v1/settings', { token: account.token, body: { language } }), 200, `language ${language}`);

describe('The console speaks the account’s language', () => {
  it('speaks each of the nine languages of the settings once signed in', async () => {
    await signedIn();
    for (const [language, word] of Object.entries(words)) {
      await setLanguage(language);
      // The tab keeps its session: a reload reads the account's language again.
      await page.reload();
      await page.getByRole('button', { name: word.signOut, exact: true }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      const configure = page.getByRole('navigation', { name: word.configure, exact: true });
      await configure.getByRole('link', { name: word.users, exact: true }).click();
      await page.getByRole('heading', { level: 2, name: word.users, exact: true }).waitFor();
      await page.getByRole('button', { name: word.addUser, exact: true }).waitFor();
      await shot(`users-${language}`);
    }
  });

  it('switches language as soon as an administrator changes the account’s', async () => {
    await signedIn();
    await configure('Settings');
    await page.getByRole('region', { name: 'Account-wide' }).getByLabel('Language').selectOption({ label: 'Deutsch' });
    await page.getByRole('region', { name: 'Account-wide' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 2, name: 'Einstellungen' }).waitFor();
    await page.getByRole('button', { name: 'Abmelden' }).waitFor();
    await page.getByRole('region', { name: 'Für das ganze Konto' }).waitFor();
    await page.getByRole('region', { name: 'Default' }).getByText('Sprache: Deutsch (Kontoeinstellung)').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await shot('settings-de');
  });

  it('explains refusals in the account’s language, with the API’s own words beside them', async () => {
    await setLanguage('fr');
    // Before signing in the page speaks the browser's language (English here), then the account's.
    await signIn();
    await page.getByRole('navigation', { name: 'Configuration' }).getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByRole('button', { name: 'Ajouter un utilisateur' }).click();
    await page.getByLabel('E-mail').fill('pas une adresse');
    await page.getByLabel('Prénom').fill('Grace');
    await page.getByLabel('Nom', { exact: true }).fill('Hopper');
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('group', { name: 'Sociétés' }).getByRole('checkbox', { name: 'Default' }).check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Veuillez vérifier les champs signalés.' }).waitFor();
    expect(await page.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Cette valeur n’est pas acceptée.').waitFor();
    await shot('refused-fr');
  });

  it('signs in in the browser’s language before it knows the account’s', async () => {
    const french = await session.newPerson({ locale: 'fr-FR' });
    await french.goto(`${api.baseUrl}/console`);
    await french.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await french.getAttribute('html', 'lang')).toBe('fr');
    await french.getByLabel('Compte').fill(account.slug);
    await french.getByLabel('E-mail').fill(account.adminEmail);
    await french.getByLabel('Mot de passe').fill('pas le mot de passe');
    await french.getByRole('button', { name: 'Se connecter' }).click();
    await french.getByRole('alert').filter({ hasText: 'Le compte, l’adresse e-mail ou le mot de passe est incorrect.' }).waitFor();
    await shot('sign-in-fr', french);

    // Signed in, it speaks the account's language (English here), not the browser's.
    await french.getByLabel('Mot de passe').fill(password);
    await french.getByRole('button', { name: 'Se connecter' }).click();
    await french.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await french.getAttribute('html', 'lang')).toBe('en');
  });
});
