/**
 * What the portal page says, in each language of the settings (one file each under `i18n/`, loaded
 * alone: a customer downloads only their own language). English is the contract (tests and
 * assistive technology find controls by these names); the others are written as a person of that
 * language would write them, formal where the language expects it (Sie, usted, vous, u, Lei).
 */
import { isLanguage, type Language } from '../shared/languages.ts';

export interface Texts {
  askHeading: string;
  intro: string;
  email: string;
  name: string;
  nameHint: string;
  subject: string;
  description: string;
  send: string;
  sending: string;
  signIn: string;
  signInHeading: string;
  password: string;
  signOut: string;
  back: string;
  signedInAs: (email: string) => string;
  myTickets: string;
  noTickets: string;
  ticketStatus: Record<'queued' | 'open' | 'pending' | 'solved' | 'closed', string>;
  ticket: (n: number) => string;
  queuePlace: (n: number) => string;
  connectedWith: (name: string) => string;
  waitingNote: string;
  conversation: string;
  message: string;
  sendMessage: string;
  you: string;
  technician: string;
  offline: string;
  failed: string;
  checkFields: string;
  tooMany: string;
  signInFailed: string;
  newQuestion: string;
}

const loaders: Record<Language, () => Promise<{ default: Texts }>> = {
  en: () => import('./i18n/en.ts'),
  de: () => import('./i18n/de.ts'),
  es: () => import('./i18n/es.ts'),
  fr: () => import('./i18n/fr.ts'),
  it: () => import('./i18n/it.ts'),
  pt: () => import('./i18n/pt.ts'),
  nl: () => import('./i18n/nl.ts'),
  ja: () => import('./i18n/ja.ts'),
  zh: () => import('./i18n/zh.ts'),
};

/** The page's words in that language (English for one the page does not know). */
export async function loadTexts(language: string): Promise<Texts> {
  const known = isLanguage(language) ? language : 'en';
  return (await loaders[known]()).default;
}
