/**
 * The languages of the settings (api.md "Settings"), each named in itself: a person looking for
 * their own language recognises it written their way, whatever the page speaks now.
 */
export const languageNames = {
  en: 'English',
  de: 'Deutsch',
  es: 'Español',
  fr: 'Français',
  it: 'Italiano',
  pt: 'Português',
  nl: 'Nederlands',
  ja: '日本語',
  zh: '中文',
} as const;

export type Language = keyof typeof languageNames;

export const isLanguage = (value: string): value is Language => Object.hasOwn(languageNames, value);

/** The first of the browser's preferred languages that the pages speak (`de-CH` → `de`), else English. */
export function preferredLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}
