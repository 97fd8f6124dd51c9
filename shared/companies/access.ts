import type { Condition } from '../db/expressions.js';
import { NotFound } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { User } from '../users/users.js';

/**
 * Who asks which companies they may see: a principal, or a staff member's own record standing in
 * for one (when the question is whether they could work in a company, e.g. as a ticket's assignee).
 */
export type CompanyViewer = { role: 'administrator' | 'integration' | 'end_user' } | { role: 'technician'; profile: { companyIds: string[] } };

/** A staff member's record as a viewer: what they may see, asked without them signed in. */
export const asViewer = (user: Pick<User, 'role' | 'companyIds'>): CompanyViewer => ({ role: user.role, profile: user });

/**
 * The one rule of company access: administrators and integration keys see every company,
 * technicians only their own, and end users none as staff do (they see only their own things,
 * which their modules decide).
 */
export function companiesVisibleTo(viewer: CompanyViewer): 'all' | string[] {
  if (viewer.role === 'administrator' || viewer.role === 'integration') return 'all';
  return viewer.role === 'technician' ? viewer.profile.companyIds : [];
}

export function canSeeCompany(viewer: CompanyViewer, companyId: string): boolean {
  const visible = companiesVisibleTo(viewer);
  return visible === 'all' || visible.includes(companyId);
}

/** A company the principal may not see does not exist for them: the company's 404, or the resource's own. */
export function requireCompany(principal: Principal, companyId: string, notFound: () => Error = () => new NotFound('The company')): void {
  if (!canSeeCompany(principal, companyId)) throw notFound();
}

/**
 * What a principal may see of a resource in several companies: all of them for those who see every
 * company, otherwise the companies they share with it; undefined when they share none (then the
 * resource is hidden from them).
 */
export function sharedCompanies(principal: Principal, companyIds: string[]): string[] | undefined {
  const visible = companiesVisibleTo(principal);
  if (visible === 'all') return companyIds;
  const shared = companyIds.filter((id) => visible.includes(id));
  return shared.length ? shared : undefined;
}

/**
 * The filter that narrows one page of an account-wide query to the companies the principal may
 * see: `attribute` holds one company id, or (`holdsSet`) a set of them. Undefined when nothing is
 * hidden (administrators).
 */
export function visibleCompanyFilter(principal: Principal, attribute: string, holdsSet = false): Condition | undefined {
  const visible = companiesVisibleTo(principal);
  if (visible === 'all') return undefined;
  if (visible.length === 0) return { path: attribute, exists: false };
  return { or: visible.map((id): Condition => (holdsSet ? { path: attribute, contains: id } : { path: attribute, eq: id })) };
}
