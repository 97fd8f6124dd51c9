import { describe, expect, it } from 'vitest';
import { asViewer, canSeeCompany, companiesVisibleTo, requireCompany, sharedCompanies, visibleCompanyFilter } from '../../shared/companies/access.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { User } from '../../shared/users/users.js';
import type { EndUser } from '../../shared/end-users/end-users.js';
import type { IntegrationKey } from '../../shared/integrations/integration-keys.js';

const staff = (role: 'administrator' | 'technician', companyIds: string[]): Principal => ({
  accountId: 'acc_1',
  id: `usr_${role}`,
  role,
  profile: { id: `usr_${role}`, role, companyIds } as User,
  version: 0,
});
const administrator = staff('administrator', []);
const technician = staff('technician', ['cmp_a', 'cmp_b']);
const integration: Principal = { accountId: 'acc_1', id: 'key_1', role: 'integration', profile: { id: 'key_1' } as IntegrationKey };
const endUser: Principal = { accountId: 'acc_1', id: 'eu_1', role: 'end_user', profile: { id: 'eu_1', companyId: 'cmp_a' } as EndUser };

describe('who may see a company', () => {
  it('lets administrators see every company, including ones they are not a member of', () => {
    expect(companiesVisibleTo(administrator)).toBe('all');
    expect(canSeeCompany(administrator, 'cmp_z')).toBe(true);
  });

  it('lets integration keys see every company of their account', () => {
    expect(companiesVisibleTo(integration)).toBe('all');
    expect(canSeeCompany(integration, 'cmp_z')).toBe(true);
  });

  it('lets a technician see the companies they belong to', () => {
    expect(companiesVisibleTo(technician)).toEqual(['cmp_a', 'cmp_b']);
    expect(canSeeCompany(technician, 'cmp_a')).toBe(true);
  });

  it('hides from a technician every company they do not belong to', () => {
    expect(canSeeCompany(technician, 'cmp_z')).toBe(false);
  });

  it('gives end users no company as staff see it, not even their own', () => {
    expect(companiesVisibleTo(endUser)).toEqual([]);
    expect(canSeeCompany(endUser, 'cmp_a')).toBe(false);
  });

  it('answers the same for a staff record as for that staff member signed in', () => {
    expect(canSeeCompany(asViewer({ role: 'technician', companyIds: ['cmp_a'] }), 'cmp_a')).toBe(true);
    expect(canSeeCompany(asViewer({ role: 'technician', companyIds: ['cmp_a'] }), 'cmp_b')).toBe(false);
    expect(canSeeCompany(asViewer({ role: 'administrator', companyIds: [] }), 'cmp_b')).toBe(true);
  });
});

describe('requiring a company', () => {
  it('passes silently when the principal may see the company', () => {
    expect(() => requireCompany(technician, 'cmp_a')).not.toThrow();
  });

  it("answers a company the principal may not see with the company's 404", () => {
    expect(() => requireCompany(technician, 'cmp_z')).toThrow(new NotFound('The company'));
  });

  it("answers with the resource's own 404 when one is given", () => {
    expect(() => requireCompany(endUser, 'cmp_a', () => new NotFound('The alert'))).toThrow(new NotFound('The alert'));
  });
});

describe('what a principal sees of a resource in several companies', () => {
  it('shows administrators and integration keys every company of it, even none', () => {
    expect(sharedCompanies(administrator, ['cmp_a', 'cmp_z'])).toEqual(['cmp_a', 'cmp_z']);
    expect(sharedCompanies(administrator, [])).toEqual([]);
    expect(sharedCompanies(integration, ['cmp_z'])).toEqual(['cmp_z']);
  });

  it('shows a technician only the companies they share with it', () => {
    expect(sharedCompanies(technician, ['cmp_b', 'cmp_y', 'cmp_a'])).toEqual(['cmp_b', 'cmp_a']);
  });

  it('hides the resource from a technician who shares no company with it', () => {
    expect(sharedCompanies(technician, ['cmp_y', 'cmp_z'])).toBeUndefined();
    expect(sharedCompanies(technician, [])).toBeUndefined();
  });

  it('hides it from end users', () => {
    expect(sharedCompanies(endUser, ['cmp_a'])).toBeUndefined();
  });
});

describe('narrowing a query to the visible companies', () => {
  it('narrows nothing for administrators and integration keys', () => {
    expect(visibleCompanyFilter(administrator, 'companyId')).toBeUndefined();
    expect(visibleCompanyFilter(integration, 'companyId')).toBeUndefined();
  });

  it("keeps a technician's items whose company is one of theirs", () => {
    expect(visibleCompanyFilter(technician, 'companyId')).toEqual({
      or: [
        { path: 'companyId', eq: 'cmp_a' },
        { path: 'companyId', eq: 'cmp_b' },
      ],
    });
  });

  it("keeps a technician's items whose set of companies holds one of theirs", () => {
    expect(visibleCompanyFilter(technician, 'companyIds', true)).toEqual({
      or: [
        { path: 'companyIds', contains: 'cmp_a' },
        { path: 'companyIds', contains: 'cmp_b' },
      ],
    });
  });

  it('keeps nothing with a company for end users', () => {
    expect(visibleCompanyFilter(endUser, 'companyId')).toEqual({ path: 'companyId', exists: false });
  });
});
