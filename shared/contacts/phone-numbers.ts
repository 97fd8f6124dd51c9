/**
 * Phone and SMS numbers are stored in E.164: `+`, a country code (never starting with 0), and at
 * most 15 digits in all; we ask for at least 8, the shortest real international numbers.
 */
const e164 = /^\+[1-9]\d{7,14}$/;

/** What people put between digit groups: spaces, dashes (ASCII and typographic), dots, brackets. */
const separators = /[\s\-\u2010-\u2015\u2212.()[\]]/g;

/** The number in E.164, or undefined when it is not one once separators are taken away. */
export function normalisePhoneNumber(input: string): string | undefined {
  const compact = input.replace(separators, '');
  return e164.test(compact) ? compact : undefined;
}
