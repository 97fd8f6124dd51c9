import * as z from 'zod';

/** Building blocks shared by the request schemas of every concept. */
export const emailAddress = z
  .email({ message: 'Must be a valid email address' })
  .max(254)
  .transform((e) => e.trim());

/**
 * One-line text (names, titles, subjects, labels): no C0 control character or DEL, so no line break
 * or escape can reach a header, a log line or a page. Checked before trimming: a trailing line
 * break is refused, not quietly dropped. Chain the field's own `.min()`/`.max()`.
 */
export const oneLineText = z
  .string()
  .regex(/^[^\x00-\x1f\x7f]*$/, 'Must be one line without control characters')
  .trim();

/** Multi-line text (descriptions, message bodies): line breaks and tabs, but no other control character. */
export const multiLineText = z
  .string()
  .regex(/^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/, 'Must not contain control characters other than line breaks and tabs')
  .trim();

export const personName = oneLineText.min(1).max(100);

export const password = z.string().min(10, 'Use at least 10 characters').max(256);

export const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'Use 1-63 lower-case letters, digits and inner dashes');

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

/**
 * The zone's canonical IANA name (`Europe/berlin` → `Europe/Berlin`), or undefined when the
 * runtime's time-zone database does not know it. Offsets such as `+01:00` are not zone names.
 * (`Intl.supportedValuesOf('timeZone')` leaves out `UTC` on Node 20, so the formatter decides.)
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** An IANA time zone, stored under its canonical name. */
export const timeZone = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: 'Must be an IANA time zone name, e.g. Europe/Berlin' });
    return z.NEVER;
  });
