import { Conflict, NotFound } from '../errors.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import type { WriteAction } from '../db/transaction.js';
import { companyExists, getCompany } from '../companies/companies.js';
import { teamsLinkEntity, tenantClaimEntity, type TeamsLink, type TenantOwner } from './entities.js';

const toLink = ({ companyId, tenantId, updatedAt }: TeamsLink): TeamsLink => ({ companyId, tenantId, updatedAt });

const changedMeanwhile = () => new Conflict("The company's Teams link changed meanwhile; try again.");
const tenantTaken = () => new Conflict('This tenant is already linked to another company.', 'conflict', [{ path: 'tenantId', message: 'Already linked' }]);

export async function getTeamsLink(principal: Principal, companyId: string): Promise<TeamsLink> {
  await getCompany(principal, companyId);
  const link = await teamsLinkEntity.get({ accountId: principal.accountId, companyId });
  if (!link) throw new NotFound('The Teams link');
  return toLink(link);
}

/**
 * Links a Microsoft 365 tenant to a company (replacing the company's earlier tenant). The tenant is
 * claimed, and the old one released, in the link's own transaction: of two companies linking one
 * tenant at once, in any accounts, one gets it and the other a 409.
 */
export async function linkTenant(actor: Actor, companyId: string, tenantId: string): Promise<TeamsLink> {
  const { accountId } = actor;
  const tenant = tenantId.toLowerCase();
  const current = await teamsLinkEntity.get({ accountId, companyId }, { consistent: true });
  if (current?.tenantId === tenant) return toLink(current);
  const next: TeamsLink = { companyId, tenantId: tenant, updatedAt: new Date().toISOString() };
  const owner: TenantOwner = { accountId, companyId };
  await commitChanges(
    actor,
    [
      companyExists(accountId, companyId),
      teamsLinkEntity.putAction({ ...next, accountId }, { ...(current ? { ifVersion: current.version ?? 0 } : { ifNew: true }), onFail: changedMeanwhile }),
      tenantClaimEntity.putAction(
        { tenantId: tenant, ...owner },
        {
          // Free, or already this company's (a claim left by an interrupted change).
          condition: {
            or: [
              { itemExists: false },
              {
                and: [
                  { path: 'accountId', eq: accountId },
                  { path: 'companyId', eq: companyId },
                ],
              },
            ],
          },
          onFail: tenantTaken,
        },
      ),
      ...(current ? [tenantClaimEntity.deleteAction({ tenantId: current.tenantId })] : []),
    ],
    [
      {
        resourceType: 'teams_link',
        resourceId: companyId,
        action: current ? 'update' : 'create',
        fields: { tenantId: { from: current?.tenantId ?? null, to: tenant } },
      },
    ],
  );
  return next;
}

/** Unlinks the company's tenant: its users' messages get the unlinked answer from now on. */
export async function unlinkTenant(actor: Actor, companyId: string): Promise<void> {
  const { accountId } = actor;
  const current = await teamsLinkEntity.get({ accountId, companyId }, { consistent: true });
  if (!current) throw new NotFound('The Teams link');
  await commitChanges(
    actor,
    [
      teamsLinkEntity.deleteAction({ accountId, companyId }, { ifVersion: current.version ?? 0, onFail: changedMeanwhile }),
      tenantClaimEntity.deleteAction({ tenantId: current.tenantId }, { condition: { path: 'companyId', eq: companyId } }),
    ],
    [{ resourceType: 'teams_link', resourceId: companyId, action: 'delete', fields: { tenantId: { from: current.tenantId, to: null } } }],
  );
}

/** A company deleted: its Teams link goes with it, and its tenant is free to link elsewhere. */
export async function teamsLinkDeletionParts(accountId: string, companyId: string): Promise<WriteAction[]> {
  const current = await teamsLinkEntity.get({ accountId, companyId }, { consistent: true });
  if (!current) return [];
  return [
    teamsLinkEntity.deleteAction({ accountId, companyId }),
    tenantClaimEntity.deleteAction({ tenantId: current.tenantId }, { condition: { path: 'companyId', eq: companyId } }),
  ];
}

/** The account and company a tenant's messages belong to, if it is linked. */
export async function ownerOfTenant(tenantId: string): Promise<TenantOwner | undefined> {
  const claim = await tenantClaimEntity.get({ tenantId });
  return claim && { accountId: claim.accountId, companyId: claim.companyId };
}
