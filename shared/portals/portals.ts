import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../db/batch.js';
import { db, tableName } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { Conflict, NotFound } from '../errors.js';
import { changedFields, commitChanges, guard, type Actor, type GuardedWrite } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { companyKeys, getCompany, toCompany, type Company } from '../companies/companies.js';
import { availableStaff } from '../availability/availability.js';
import { withEndUser } from '../end-users/end-users.js';
import { deliverAlert, recordAlert, type Alert } from '../alerts/alerts.js';
import { logger } from '../logger.js';
import { consumeRateLimit } from '../http/rate-limit.js';
import { openTicket, type Ticket } from '../tickets/tickets.js';
import { queuePosition } from '../tickets/queue.js';
import type { PortalRequestInput } from '../tickets/schema.js';
import type { PutPortalInput } from './schema.js';
import { portalKeys } from './keys.js';

export interface Portal {
  companyId: string;
  slug: string;
  title: string;
  enabled: boolean;
  supportEmail: string;
  updatedAt: string;
}

/** Public requests are throttled per portal and per sender. */
export const portalRequestLimits = { perPortalPerMinute: 60, perSenderPerMinute: 5 };

export interface PortalOwner {
  accountId: string;
  companyId: string;
}

function claim(key: { pk: string; sk: string }, owner: PortalOwner, field: string): GuardedWrite {
  return guard(
    {
      Put: {
        TableName: tableName,
        Item: { ...key, type: 'portal_claim', ...owner },
        ConditionExpression: 'attribute_not_exists(pk) OR (accountId = :acc AND companyId = :company)',
        ExpressionAttributeValues: { ':acc': owner.accountId, ':company': owner.companyId },
      },
    },
    () => new Conflict(`This ${field} is already used by another portal.`, 'conflict', [{ path: field, message: 'Already taken' }]),
  );
}

export async function getPortalRecord(accountId: string, companyId: string, consistent = false): Promise<Portal | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: portalKeys.item(accountId, companyId), ConsistentRead: consistent }));
  return out.Item ? stripKeys<Portal>(out.Item) : undefined;
}

export async function getCompanyPortal(principal: Principal, companyId: string): Promise<Portal> {
  await getCompany(principal, companyId);
  const portal = await getPortalRecord(principal.accountId, companyId);
  if (!portal) throw new NotFound('The portal');
  return portal;
}

/**
 * Sets a company's portal. A new slug or support address is claimed (and the old one released) in
 * the same transaction, so two portals can never hold the same one, even when set at once.
 */
export async function putPortal(actor: Actor, companyId: string, input: PutPortalInput): Promise<Portal> {
  const current = await getPortalRecord(actor.accountId, companyId, true);
  const next: Portal = { companyId, ...input, updatedAt: new Date().toISOString() };
  const owner = { accountId: actor.accountId, companyId };
  const slugChanged = current?.slug !== next.slug;
  const emailChanged = current?.supportEmail.toLowerCase() !== next.supportEmail.toLowerCase();
  await commitChanges(
    actor,
    [
      guard(
        { ConditionCheck: { TableName: tableName, Key: companyKeys.item(actor.accountId, companyId), ConditionExpression: 'attribute_exists(pk)' } },
        () => new NotFound('The company'),
      ),
      guard(
        {
          Put: {
            TableName: tableName,
            Item: { ...portalKeys.item(actor.accountId, companyId), type: 'portal', ...next },
            ...(current
              ? { ConditionExpression: 'updatedAt = :seen', ExpressionAttributeValues: { ':seen': current.updatedAt } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        () => new Conflict('The portal changed meanwhile; try again.'),
      ),
      ...(slugChanged ? [claim(portalKeys.slug(next.slug), owner, 'slug')] : []),
      ...(slugChanged && current ? [{ Delete: { TableName: tableName, Key: portalKeys.slug(current.slug) } }] : []),
      ...(emailChanged ? [claim(portalKeys.supportEmail(next.supportEmail), owner, 'supportEmail')] : []),
      ...(emailChanged && current ? [{ Delete: { TableName: tableName, Key: portalKeys.supportEmail(current.supportEmail) } }] : []),
    ],
    [
      {
        resourceType: 'portal',
        resourceId: companyId,
        action: current ? 'update' : 'create',
        fields: changedFields(current ?? ({} as Portal), next, ['slug', 'title', 'enabled', 'supportEmail']),
      },
    ],
  );
  return next;
}

async function ownerOf(key: { pk: string; sk: string }): Promise<PortalOwner | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: key }));
  return out.Item ? { accountId: out.Item.accountId as string, companyId: out.Item.companyId as string } : undefined;
}

/** The account and company a support address belongs to (inbound email), if any. */
export function ownerOfSupportEmail(address: string): Promise<PortalOwner | undefined> {
  return ownerOf(portalKeys.supportEmail(address));
}

/** An enabled portal with its company, by slug; unknown, disabled or orphaned portals are 404. */
export async function resolvePortal(slug: string): Promise<{ owner: PortalOwner; portal: Portal; company: Company }> {
  const owner = await ownerOf(portalKeys.slug(slug));
  if (!owner) throw new NotFound('The portal');
  const items = await batchGet([portalKeys.item(owner.accountId, owner.companyId), companyKeys.item(owner.accountId, owner.companyId)]);
  const portalItem = items.find((i) => i.type === 'portal');
  const companyItem = items.find((i) => i.type === 'company');
  if (!portalItem || !companyItem || !portalItem.enabled || portalItem.slug !== slug) throw new NotFound('The portal');
  return { owner, portal: stripKeys<Portal>(portalItem), company: toCompany(companyItem) };
}

/** Counts as available for a live connection: available now, with access and a remote support seat. */
async function liveCandidates(owner: PortalOwner) {
  const staff = await availableStaff(owner.accountId, owner.companyId);
  return staff.filter((u) => u.seats.includes('remote_support'));
}

export async function publicPortal(slug: string) {
  const { owner, portal, company } = await resolvePortal(slug);
  return { title: portal.title, companyName: company.name, techniciansAvailable: (await liveCandidates(owner)).length };
}

function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  if (!name) return {};
  const [first, ...rest] = name.split(/\s+/);
  return { firstName: first!, lastName: rest.join(' ') || first! };
}

export interface PortalRequestResult {
  ticket: Ticket;
  queue: { position: number } | null;
  liveTechnician: { id: string; firstName: string } | null;
}

/**
 * A customer's question through the portal: finds or creates the end user (weak), opens the
 * ticket with an available technician who can take it (remote support for the live connection,
 * service desk to be assigned it), or puts it in the company's queue. Every request records a
 * `low` alert for the company's contacts, in the ticket's own transaction.
 */
export async function submitPortalRequest(slug: string, input: PortalRequestInput, request: { requestId: string; sourceIp: string }): Promise<PortalRequestResult> {
  const { owner } = await resolvePortal(slug);
  await consumeRateLimit(owner.accountId, `portal:${owner.companyId}`, portalRequestLimits.perPortalPerMinute, 60);
  await consumeRateLimit(owner.accountId, `sender:${input.email.toLowerCase()}`, portalRequestLimits.perSenderPerMinute, 60);

  const actor: Actor = { accountId: owner.accountId, actorId: null, ...request };
  const candidates = (await liveCandidates(owner)).filter((u) => u.seats.includes('service_desk'));
  const live = candidates[Math.floor(Math.random() * candidates.length)];
  let alert: Alert | undefined;
  // The end user, if new, is written in the ticket's transaction: no end user without their ticket.
  const { ticket } = await withEndUser(actor, { email: input.email, companyId: owner.companyId, ...splitName(input.name) }, (found) =>
    openTicket(owner.accountId, {
      companyId: owner.companyId,
      endUserId: found.endUser.id,
      subject: input.subject,
      description: input.description,
      channel: 'portal',
      author: { type: 'end_user', id: found.endUser.id },
      assigneeId: live?.id ?? null,
      extraWrites: (t) => {
        const { endUser } = found;
        const recorded = recordAlert(owner.accountId, {
          companyId: owner.companyId,
          urgency: 'low',
          title: `New portal request #${t.number}: ${t.subject}`,
          body: `${endUser.firstName} ${endUser.lastName} <${endUser.email}> asked: ${input.description}`,
          source: 'portal_request',
          ticketId: t.id,
        });
        alert = recorded.alert;
        return [...found.writes, recorded.write];
      },
    }),
  );
  // The alert is recorded with the ticket; its delivery outcome is recorded beside it, and a failed
  // delivery never fails the customer's request.
  await deliverAlert(owner.accountId, alert!).catch((err: Error) => logger.error('portal alert delivery failed', { error: err.message }));
  return {
    ticket,
    queue: ticket.status === 'queued' ? { position: await queuePosition(owner.accountId, ticket) } : null,
    liveTechnician: live ? { id: live.id, firstName: live.firstName } : null,
  };
}
