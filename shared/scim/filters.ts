import SCIMMY from 'scimmy';
import { invalidFilter } from './errors.js';

/**
 * `filter` as directories use it (Entra ID: `eq` and `and` only): `attribute eq value` terms joined
 * by `and`. A filter is answered by a key read of one of its terms; the other terms are then checked
 * on the one resource found. Anything else (`or`, `not`, other operators, attributes with no key)
 * is 400 `invalidFilter`: no filter is ever answered by reading a list and filtering it.
 */
export interface Equality {
  /** Canonical: lower-cased, its schema URN dropped, sub-attributes dotted (`emails.value`, `manager.value`). */
  attribute: string;
  value: string;
}

/** How a resource's attribute compares (RFC 7643 `caseExact`): its values, and whether case matters. */
export interface FilterableAttribute<R> {
  values: (resource: R) => (string | undefined)[];
  caseExact: boolean;
}

const isComparison = (term: unknown): term is unknown[] => Array.isArray(term) && typeof term[0] === 'string';

function canonical(name: string, schemaUrns: readonly string[]): string {
  const lower = name.toLowerCase();
  const urn = schemaUrns.map((u) => `${u.toLowerCase()}:`).find((u) => lower.startsWith(u));
  return urn ? lower.slice(urn.length) : lower;
}

/** The terms of a filter; anything but `eq` terms joined by `and` is refused. */
export function equalities(filter: string, schemaUrns: readonly string[], supported: string): Equality[] {
  let parsed: Record<string, unknown>[];
  try {
    parsed = [...new SCIMMY.Types.Filter(filter)] as Record<string, unknown>[];
  } catch (err) {
    throw invalidFilter((err as Error).message);
  }
  if (parsed.length !== 1) throw invalidFilter(supported);
  const terms: Equality[] = [];
  const equality = (attribute: string, [op, value, ...rest]: unknown[]) => {
    if (op !== 'eq' || rest.length > 0 || !(typeof value === 'string' || typeof value === 'number')) throw invalidFilter(supported);
    terms.push({ attribute, value: String(value) });
  };
  const walk = (expression: Record<string, unknown>, prefix: string) => {
    for (const [name, term] of Object.entries(expression)) {
      const attribute = `${prefix}${canonical(name, schemaUrns)}`;
      if (isComparison(term)) equality(attribute, term);
      else if (Array.isArray(term) && term.every(isComparison)) for (const t of term) equality(attribute, t);
      else if (term && typeof term === 'object' && !Array.isArray(term)) walk(term as Record<string, unknown>, `${attribute}.`);
      else throw invalidFilter(supported);
    }
  };
  walk(parsed[0]!, '');
  return terms;
}

/**
 * The term to find the resource by (the first of `keys`, in that order, the filter names). Every
 * term must name an attribute the resource type can be filtered by.
 */
export function keyTerm<R>(terms: Equality[], keys: readonly string[], attributes: Record<string, FilterableAttribute<R>>, supported: string): Equality {
  if (terms.some((t) => !Object.hasOwn(attributes, t.attribute))) throw invalidFilter(supported);
  const key = keys.map((k) => terms.find((t) => t.attribute === k)).find((t) => t !== undefined);
  if (!key) throw invalidFilter(supported);
  return key;
}

/** Whether the resource a key read found holds every term of the filter. */
export function holdsAll<R>(resource: R, terms: Equality[], attributes: Record<string, FilterableAttribute<R>>): boolean {
  return terms.every(({ attribute, value }) => {
    const { values, caseExact } = attributes[attribute]!;
    return values(resource).some((v) => v !== undefined && (caseExact ? v === value : v.toLowerCase() === value.toLowerCase()));
  });
}
