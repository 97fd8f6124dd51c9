import { defineEntity } from '../db/entity.js';
import { accountPartition, entityKey } from '../db/keys.js';
import type { Portal, PortalOwner } from './portals.js';

/** A company's portal, in the account partition. */
export const portalEntity = defineEntity<Portal & { version?: number }>()({
  type: 'portal',
  partition: (p: { accountId: string }) => accountPartition(p.accountId),
  sort: (p: { companyId: string }) => entityKey('PORTAL', p.companyId),
  keyOnly: ['accountId'],
  versioned: true,
});

/*
 * A portal's slug and support address are claimed by items outside any account, since both must
 * be unique across all accounts and are how a public request (or an inbound email) finds its account.
 */

export const slugClaimEntity = defineEntity<PortalOwner>()({
  type: 'portal_claim',
  partition: (c: { slug: string }) => `PORTAL#${c.slug}`,
  sort: () => 'PORTAL',
  keyOnly: ['slug'],
});

export const supportAddressClaimEntity = defineEntity<PortalOwner>()({
  type: 'portal_claim',
  partition: (c: { address: string }) => `SUPPORT#${c.address.toLowerCase()}`,
  sort: () => 'SUPPORT',
  keyOnly: ['address'],
});

export interface AlertWindowRecord {
  alertId: string;
  /** Seconds since the epoch; the item expires then too. */
  until: number;
  requests: number;
  lastTicketId?: string | undefined;
}

/** The company's current window of portal-request alerts (one alert delivered per window). */
export const alertWindowEntity = defineEntity<AlertWindowRecord>()({
  type: 'portal_alert_window',
  partition: (w: { accountId: string }) => accountPartition(w.accountId),
  sort: (w: { companyId: string }) => entityKey('PORTALALERTS', w.companyId),
  keyOnly: ['accountId', 'companyId'],
});
