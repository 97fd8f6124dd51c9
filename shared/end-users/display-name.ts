/**
 * The name given to an end user created from their first email or portal request without a name
 * (product.md, "End users"): a dot in the local part separates first and last name, further dots
 * read as spaces in the last name; with no dot the whole local part is both names. Each word starts
 * with a capital letter, the rest lower case. A `+tag` is dropped. The From header's display name is
 * deliberately not used: this rule is the documented behaviour.
 */
export function deriveDisplayName(email: string): { firstName: string; lastName: string } {
  const at = email.lastIndexOf('@');
  const rawLocal = (at >= 0 ? email.slice(0, at) : email).replace(/^"(.*)"$/, '$1');
  const withoutTag = rawLocal.split('+')[0] ?? '';
  const local = withoutTag.trim() || rawLocal.replace(/\+/g, ' ').trim() || 'customer';
  const dot = local.indexOf('.');
  const first = dot >= 0 ? local.slice(0, dot) : local;
  const rest =
    dot >= 0
      ? local
          .slice(dot + 1)
          .split('.')
          .filter(Boolean)
          .join(' ')
      : local;
  // A local part of nothing but separators ("+.+") still names its person something.
  const firstName = capitalise(first) || capitalise(rest) || 'Customer';
  const lastName = capitalise(rest) || firstName;
  return { firstName, lastName };
}

function capitalise(words: string): string {
  return words
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join(' ');
}
