/**
 * Attribute names as SCIM clients write them: case-insensitive, optionally qualified by their
 * schema's URN (`urn:ietf:params:scim:schemas:core:2.0:User:userName`, an extension's attributes by
 * the extension's), sub-attributes dotted (`name.givenName`).
 */

/** The schemas of a resource type: its core schema and its extensions. */
export interface ResourceSchemas {
  core: string;
  extensions: readonly string[];
}

/** An attribute named by a client: a top-level attribute (an extension counts as one, by its URN) and maybe one sub-attribute, lower-cased. */
interface AttributePath {
  name: string;
  sub?: string;
}

function attributePath(raw: string, schemas: ResourceSchemas): AttributePath {
  const lower = raw.trim().toLowerCase();
  for (const extension of schemas.extensions.map((e) => e.toLowerCase())) {
    if (lower === extension) return { name: extension };
    if (lower.startsWith(`${extension}:`)) return { name: extension, sub: lower.slice(extension.length + 1).split('.')[0]! };
  }
  const core = `${schemas.core.toLowerCase()}:`;
  const [name, sub] = (lower.startsWith(core) ? lower.slice(core.length) : lower).split('.');
  return sub ? { name: name!, sub } : { name: name! };
}

function attributeList(value: string | undefined, schemas: ResourceSchemas): AttributePath[] {
  return (value ?? '')
    .split(',')
    .filter((a) => a.trim())
    .map((a) => attributePath(a, schemas));
}

/** The sub-attributes of a complex value (or of each value of a multi-valued one) kept or dropped. */
function subAttributes(value: unknown, subs: string[], keep: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => subAttributes(v, subs, keep));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => subs.includes(k.toLowerCase()) === keep));
}

const alwaysReturned = new Set(['id', 'schemas', 'meta']);

/**
 * RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes` (also on a single resource): only the named
 * attributes, or all but the excluded ones, down to sub-attributes; `id`, `schemas` and `meta` are
 * always returned.
 */
export function projection(query: Record<string, string>, schemas: ResourceSchemas): <T extends Record<string, unknown>>(resource: T) => Partial<T> {
  const only = attributeList(query.attributes, schemas);
  const excluded = attributeList(query.excludedAttributes, schemas);
  return (resource) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource)) {
      const name = key.toLowerCase();
      const named = (only.length ? only : excluded).filter((p) => p.name === name);
      if (alwaysReturned.has(name)) out[key] = value;
      else if (only.length) {
        if (named.length)
          out[key] = named.some((p) => !p.sub)
            ? value
            : subAttributes(
                value,
                named.map((p) => p.sub!),
                true,
              );
      } else if (!named.some((p) => !p.sub))
        out[key] = named.length
          ? subAttributes(
              value,
              named.map((p) => p.sub!),
              false,
            )
          : value;
    }
    return out as Partial<typeof resource>;
  };
}

/** Whether a response carries the attribute (a Group's `members` are not even read when Entra excludes them). */
export function returnsAttribute(query: Record<string, string>, schemas: ResourceSchemas, attribute: string): boolean {
  const name = attribute.toLowerCase();
  const only = attributeList(query.attributes, schemas);
  if (only.length) return only.some((p) => p.name === name);
  return !attributeList(query.excludedAttributes, schemas).some((p) => p.name === name && !p.sub);
}

/**
 * Entra ID sends booleans as `"True"`/`"False"` (its "known issues" with SCIM compliance): made
 * booleans before anything reads them, wherever the attribute is a boolean (`active`, `primary`).
 */
export function coerceBooleans(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => coerceBooleans(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceBooleans(v, k)]));
  if (typeof value === 'string' && key && /(^|[.:])(active|primary)$/i.test(key) && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}
